package service

import "context"

// Name is the service's name in the system's service manager on Windows;
// UnitName is the systemd unit's on Linux.
const Name = "Lumbung"

// State is what the system's service manager says of Lumbung's service.
type State struct {
	Known     bool // this platform has a service manager this binary speaks to
	Installed bool
	Running   bool
	AtBoot    bool // started by itself when the machine starts
}

// Manager starts and stops the installed service. Start returns once the
// manager has started it (not once the node is ready: see Upgrade.Ready);
// Stop returns once it has stopped, its store closed. Both are safe to
// call on a service already in that state.
type Manager interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
}
