package main

import (
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lumbung/lumbung/node"
)

// TestServiceInstall: lumbung service install writes a hardened systemd
// unit that runs this node's data directory as its own account, ready by
// notify; uninstall removes the unit and leaves the data. (systemctl is
// not called for a unit directory of the test's own; start, stop and
// status are systemctl's.)
func TestServiceInstall(t *testing.T) {
	me, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "desa")
	mustRun(t, "init", "--data", dir, "--tier", "desa", "--region", testDesa)
	units := t.TempDir()
	out := mustRun(t, "service", "install", "--data", dir, "--unit-dir", units, "--user", me.Username, "--binary", "/usr/bin/lumbung")
	wantOut(t, out, "terpasang", me.Username)
	unit, err := os.ReadFile(filepath.Join(units, "lumbung.service"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"ExecStart=/usr/bin/lumbung serve --data " + dir + "\n", "User=" + me.Username + "\n",
		"Type=notify\n", "NoNewPrivileges=yes\n", "ProtectSystem=strict\n", "ReadWritePaths=" + dir + "\n", "PrivateTmp=yes\n",
		"Description=Lumbung desa " + string(testDesa) + "\n"} {
		if !strings.Contains(string(unit), want) {
			t.Errorf("the unit lacks %q:\n%s", want, unit)
		}
	}
	wantErr(t, []string{"data"}, "service", "install", "--unit-dir", units)
	out = mustRun(t, "service", "uninstall", "--unit-dir", units)
	wantOut(t, out, "dilepas")
	if _, err := os.Stat(filepath.Join(units, "lumbung.service")); !os.IsNotExist(err) {
		t.Errorf("the unit is still there: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, node.ConfigFile)); err != nil {
		t.Errorf("uninstall touched the data: %v", err)
	}
}
