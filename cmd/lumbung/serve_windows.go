//go:build windows

package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"os/signal"

	"github.com/lumbung/lumbung/service"
	"github.com/urfave/cli/v2"
)

// serveLogger is serve's log: started by the service manager, into a
// rotating file under %ProgramData%\\Lumbung\\logs and, for warnings and
// errors, the Windows event log; in a console, on standard error.
func serveLogger(c *cli.Context) (*slog.Logger, func(), error) {
	if !service.IsService() {
		log, err := newLogger(c, c.App.ErrWriter)
		return log, func() {}, err
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.String("log-level"))); err != nil {
		return nil, nil, errors.New(tr(langOf(c), "err.log_level", c.String("log-level")))
	}
	return service.Logger(level)
}

// runService runs serve as the Windows service when the service manager
// started this process (stopped by it, or by the machine shutting down),
// else until Ctrl-C.
func runService(parent context.Context, serve func(ctx context.Context, ready func()) error) error {
	if service.IsService() {
		return service.Run(serve)
	}
	ctx, stop := signal.NotifyContext(parent, os.Interrupt)
	defer stop()
	return serve(ctx, func() {})
}
