//go:build unix

package node

import (
	"context"
	iofs "io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestDataDirPrivate: a data directory an older release left readable by
// everyone (0755 directories, 0644 files) is private once a node opens
// it, and so is every file the node writes after: directories 0700,
// files 0600.
func TestDataDirPrivate(t *testing.T) {
	dir := t.TempDir()
	cfg := DefaultConfig(TierDesa, testDesa)
	if err := SaveConfig(dir, cfg); err != nil {
		t.Fatal(err)
	}
	old := filepath.Join(dir, "old")
	if err := os.Mkdir(old, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(old, "notes.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{dir, old, filepath.Join(dir, ConfigFile)} {
		if err := os.Chmod(p, map[bool]os.FileMode{true: 0o755, false: 0o644}[p != filepath.Join(dir, ConfigFile)]); err != nil {
			t.Fatal(err)
		}
	}
	n, err := Open(dir, cfg, Options{Logger: testLogger(t), PasswordCost: cheapPasswords})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		if _, err := n.CreateComplaint(context.Background(), testInput(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := n.Close(); err != nil {
		t.Fatal(err)
	}
	files := 0
	err = filepath.WalkDir(dir, func(path string, d iofs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		want := os.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		} else {
			files++
		}
		if info.Mode().Perm() != want {
			t.Errorf("%s: %v, want %v", path, info.Mode().Perm(), want)
		}
		return nil
	})
	if err != nil || files < 5 {
		t.Fatalf("walked %d files: %v", files, err)
	}
}
