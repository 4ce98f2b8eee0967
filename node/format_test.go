package node

import (
	"crypto/sha256"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cockroachdb/pebble/v2"
)

// TestStoreFormat: a new store records StoreFormat; a store of format 1
// (no record, as every release before issue 15 wrote) is migrated to it
// keeping its identity; a store of a newer format is refused with a
// message naming both formats, and not one byte of its directory changes.
func TestStoreFormat(t *testing.T) {
	dir := t.TempDir()
	cfg := DefaultStoreConfig(dir, testDesa)
	cfg.Logger = testLogger(t)
	s, err := OpenStore(cfg)
	if err != nil {
		t.Fatal(err)
	}
	origin := s.Origin()
	if f, err := readFormat(s.db); err != nil || f != StoreFormat {
		t.Fatalf("a new store has format %d (%v), want %d", f, err, StoreFormat)
	}
	_ = s.Close()

	setRawFormat(t, dir, 0) // what a format-1 store looks like
	if s, err = OpenStore(cfg); err != nil {
		t.Fatalf("open a format-1 store: %v", err)
	}
	if f, _ := readFormat(s.db); f != StoreFormat || s.Origin() != origin {
		t.Errorf("after migration: format %d, origin %s; want %d, %s", f, s.Origin(), StoreFormat, origin)
	}
	_ = s.Close()

	setRawFormat(t, dir, StoreFormat+1)
	before := treeDigest(t, dir)
	_, err = OpenStore(cfg)
	if !errors.Is(err, ErrNewerStore) {
		t.Fatalf("open a store of format %d: %v, want ErrNewerStore", StoreFormat+1, err)
	}
	for _, want := range []string{"format 3", "up to 2", "nothing was changed"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the refusal %q does not say %q", err, want)
		}
	}
	if after := treeDigest(t, dir); after != before {
		t.Errorf("refusing the newer store changed its directory")
	}
}

// setRawFormat writes the store's format record with Pebble alone, as
// another release would (0 removes it).
func setRawFormat(t *testing.T, dir string, f int) {
	t.Helper()
	db, err := pebble.Open(dir, &pebble.Options{Logger: pebbleLogger{testLogger(t)}})
	if err != nil {
		t.Fatal(err)
	}
	if f == 0 {
		err = db.Delete(keyFormat, pebble.Sync)
	} else {
		err = db.Set(keyFormat, u64(uint64(f)), pebble.Sync)
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

// treeDigest hashes every file's name, mode and contents under dir.
func treeDigest(t *testing.T, dir string) [32]byte {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		h.Write([]byte(path + "\x00" + info.Mode().String() + "\x00"))
		if d.Type().IsRegular() {
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			h.Write(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}
