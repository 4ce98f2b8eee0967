// Package service runs Lumbung as the operating system's service.
//
// On a Linux server it is a systemd unit, hardened, with sd_notify
// readiness: Unit renders the unit (pure) and Notify tells systemd the
// node's state. On a Windows laptop it is a Windows service that starts
// at boot and restarts after a crash (windows.go), logging to a rotating
// file (RotatingFile) and to the event log (EventHandler). Query says
// what the system's service manager knows of it, for the doctor; Manager
// starts and stops it, and Upgrade replaces its binary, rolling back to
// the previous one when the new one does not become ready.
//
// The CLI (`lumbung service`, `lumbung setup`, `lumbung upgrade`) wires
// these to the node.
package service
