//go:build !windows

package service

import "context"

// Query says what the system's service manager knows of Lumbung's
// service: systemd's unit, where there is systemd.
func Query(ctx context.Context) State { return querySystemd(ctx, UnitDir) }
