package service

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// UnitName is the systemd unit Lumbung installs; UnitDir is where.
const (
	UnitName = "lumbung.service"
	UnitDir  = "/etc/systemd/system"
)

// Unit is what a systemd unit for one node needs.
type Unit struct {
	Binary  string // absolute path of the lumbung binary
	DataDir string // absolute path of the node's data directory
	User    string // the account it runs as, its own
	About   string // what the node is, for Description ("kecamatan 32.14.02")
}

// Render is the unit's text: Type=notify (ready once the node listens,
// Notify), restarted after a crash, stopped with time to close the store,
// and hardened: its own user, no new privileges, the file system read
// only but for its data directory, a private /tmp, no devices, no kernel
// tunables, files made private (umask 077).
func (u Unit) Render() (string, error) {
	for name, v := range map[string]string{"binary": u.Binary, "data directory": u.DataDir, "user": u.User} {
		if v == "" || strings.ContainsAny(v, "\n\"'\\%$ ") {
			return "", fmt.Errorf("service: the %s %q cannot go in a unit", name, v)
		}
	}
	if !strings.HasPrefix(u.Binary, "/") || !strings.HasPrefix(u.DataDir, "/") {
		return "", errors.New("service: the binary and the data directory must be absolute paths")
	}
	about := strings.Map(func(r rune) rune {
		if r < ' ' {
			return -1
		}
		return r
	}, u.About)
	return fmt.Sprintf(`[Unit]
Description=Lumbung %s
Documentation=https://github.com/lumbung/lumbung
After=network-online.target
Wants=network-online.target

[Service]
Type=notify
NotifyAccess=main
User=%s
Group=%s
ExecStart=%s serve --data %s
Restart=on-failure
RestartSec=5
TimeoutStartSec=120
TimeoutStopSec=90
UMask=0077
LimitNOFILE=65536
NoNewPrivileges=yes
ProtectSystem=strict
ReadWritePaths=%s
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
RestrictSUIDSGID=yes
RestrictRealtime=yes
RestrictNamespaces=yes
LockPersonality=yes
MemoryDenyWriteExecute=yes
RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6
SystemCallArchitectures=native
CapabilityBoundingSet=

[Install]
WantedBy=multi-user.target
`, about, u.User, u.User, u.Binary, u.DataDir, u.DataDir), nil
}

// Notify tells systemd the node's state ("READY=1", "STOPPING=1",
// "STATUS=…"), when it runs the node as a Type=notify unit
// ($NOTIFY_SOCKET); elsewhere it does nothing.
func Notify(state string) error {
	addr := os.Getenv("NOTIFY_SOCKET")
	if addr == "" {
		return nil
	}
	if strings.HasPrefix(addr, "@") {
		addr = "\x00" + addr[1:] // an abstract socket
	}
	c, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: addr, Net: "unixgram"})
	if err != nil {
		return fmt.Errorf("service: notify systemd: %w", err)
	}
	defer c.Close()
	if _, err := c.Write([]byte(state)); err != nil {
		return fmt.Errorf("service: notify systemd: %w", err)
	}
	return nil
}

// Systemd starts and stops the installed unit with systemctl.
type Systemd struct{}

// Start runs systemctl start.
func (Systemd) Start(ctx context.Context) error { return systemctl(ctx, "start") }

// Stop runs systemctl stop, which returns once the node has stopped.
func (Systemd) Stop(ctx context.Context) error { return systemctl(ctx, "stop") }

func systemctl(ctx context.Context, verb string) error {
	out, err := exec.CommandContext(ctx, "systemctl", verb, UnitName).CombinedOutput()
	if err != nil {
		return fmt.Errorf("service: systemctl %s: %w: %s", verb, err, bytes.TrimSpace(out))
	}
	return nil
}

// querySystemd asks systemd about the unit in unitDir; a machine without
// systemctl is not Known.
func querySystemd(ctx context.Context, unitDir string) State {
	if _, err := exec.LookPath("systemctl"); err != nil {
		return State{}
	}
	st := State{Known: true}
	if _, err := os.Stat(filepath.Join(unitDir, UnitName)); err != nil {
		return st
	}
	st.Installed = true
	st.Running = exec.CommandContext(ctx, "systemctl", "is-active", "--quiet", UnitName).Run() == nil
	st.AtBoot = exec.CommandContext(ctx, "systemctl", "is-enabled", "--quiet", UnitName).Run() == nil
	return st
}
