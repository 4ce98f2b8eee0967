//go:build linux

package node

import (
	"context"
	"os"
	osexec "os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lumbung/lumbung/doctor"
)

// TestDoctorFullDisk runs a desa on a real small filesystem (a 64 MiB
// tmpfs, mounted for the test) and asks its doctor: the disk is named
// nearly full, with what to do, and the rest of the office is well. It
// needs the right to mount (root, as in CI); without it, it says so and
// skips.
func TestDoctorFullDisk(t *testing.T) {
	mnt := filepath.Join(t.TempDir(), "kecil")
	if err := os.MkdirAll(mnt, 0o700); err != nil {
		t.Fatal(err)
	}
	if out, err := osexec.Command("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small filesystem here (%v: %s)", err, strings.TrimSpace(string(out)))
	}
	t.Cleanup(func() { _ = osexec.Command("umount", "-l", mnt).Run() })
	dir := filepath.Join(mnt, "desa")
	cfg := DefaultConfig(TierDesa, testDesa)
	if err := SaveConfig(dir, cfg); err != nil {
		t.Fatal(err)
	}
	opts := Options{Logger: testLogger(t), PasswordCost: cheapPasswords}
	opts.Store.MemTableBytes = 4 << 20 // a WAL and a memtable that fit
	n, err := Open(dir, cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	if _, err := n.CreateComplaint(context.Background(), testInput(1)); err != nil {
		t.Fatal(err)
	}
	fs := n.Doctor(context.Background())
	for _, f := range fs {
		switch {
		case f.Check == "disk" && (f.Level != doctor.Problem || !strings.Contains(f.Says.ID, "Disk hampir penuh") ||
			!strings.Contains(f.Fix.ID, "jangan hapus apa pun di "+dir)):
			t.Errorf("the disk on a 64 MiB filesystem: %+v", f)
		case f.Check != "disk" && f.Level != doctor.OK:
			t.Errorf("%s: %+v", f.Check, f)
		}
	}
}
