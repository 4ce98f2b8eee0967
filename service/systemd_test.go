package service

import (
	"net"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnit: the unit runs the node as its own user, ready by notify,
// restarted after a crash, and hardened; a path that would break the
// unit's syntax is refused.
func TestUnit(t *testing.T) {
	text, err := Unit{Binary: "/usr/bin/lumbung", DataDir: "/var/lib/lumbung", User: "lumbung", About: "kecamatan 32.14.02"}.Render()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Description=Lumbung kecamatan 32.14.02", "Type=notify", "User=lumbung",
		"ExecStart=/usr/bin/lumbung serve --data /var/lib/lumbung", "Restart=on-failure", "NoNewPrivileges=yes",
		"ProtectSystem=strict", "ReadWritePaths=/var/lib/lumbung", "PrivateTmp=yes", "UMask=0077", "WantedBy=multi-user.target"} {
		if !strings.Contains(text, want+"\n") {
			t.Errorf("the unit lacks %q:\n%s", want, text)
		}
	}
	for _, bad := range []Unit{
		{Binary: "lumbung", DataDir: "/var/lib/lumbung", User: "lumbung"},
		{Binary: "/usr/bin/lumbung", DataDir: "/var/lib/lumbung\nExecStartPre=/bin/sh", User: "lumbung"},
		{Binary: "/usr/bin/lumbung", DataDir: "/var/lib/lumbung", User: ""},
	} {
		if _, err := bad.Render(); err == nil {
			t.Errorf("%+v rendered", bad)
		}
	}
}

// TestNotify: the state reaches the socket systemd names, and nothing
// happens without one.
func TestNotify(t *testing.T) {
	t.Setenv("NOTIFY_SOCKET", "")
	if err := Notify("READY=1"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "notify")
	ln, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	t.Setenv("NOTIFY_SOCKET", path)
	if err := Notify("READY=1"); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	n, _, err := ln.ReadFromUnix(buf)
	if err != nil || string(buf[:n]) != "READY=1" {
		t.Fatalf("systemd heard %q, %v", buf[:n], err)
	}
}
