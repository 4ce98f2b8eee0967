// Package atomicfile replaces a file whole or not at all, through Pebble's
// vfs.FS (so a test can run it on vfs.NewMem or inject a failed fsync
// with vfs/errorfs).
//
// Write writes a temporary file in the target's directory, syncs it,
// renames it over the target and syncs the directory, so that after a
// crash the path holds either the old file or the new one, complete, and
// once Write returns nil the new one survives power loss. A file is
// readable by its owner only (0600 where the system has modes): configs
// and backups hold enrolment tokens.
package atomicfile

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"

	"github.com/cockroachdb/pebble/v2/vfs"
)

// Write replaces path on fs with what write writes, and returns its size.
// When it fails, path is as it was (or, if only the final directory sync
// failed, holds the new file, possibly not durably) and no temporary file
// is left behind.
func Write(fs vfs.FS, path string, write func(io.Writer) error) (int64, error) {
	tmp, err := tempName(path)
	if err != nil {
		return 0, err
	}
	size, err := writeSynced(fs, tmp, write)
	if err == nil {
		err = fs.Rename(tmp, path)
	}
	if err != nil {
		_ = fs.Remove(tmp)
		return 0, fmt.Errorf("atomicfile: %s: %w", path, err)
	}
	if err := syncDir(fs, fs.PathDir(path)); err != nil {
		return 0, fmt.Errorf("atomicfile: %s: sync directory: %w", path, err)
	}
	return size, nil
}

// tempName names a file beside path that no other writer picks.
func tempName(path string) (string, error) {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("atomicfile: %w", err)
	}
	return path + "." + hex.EncodeToString(b[:]) + ".tmp", nil
}

// writeSynced creates name, owner-only, fills it by write and syncs it.
func writeSynced(fs vfs.FS, name string, write func(io.Writer) error) (int64, error) {
	f, err := fs.Create(name, vfs.WriteCategoryUnspecified)
	if err != nil {
		return 0, err
	}
	cw := &countWriter{w: f}
	err = restrict(f)
	if err == nil {
		err = write(cw)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return cw.n, err
}

func syncDir(fs vfs.FS, dir string) error {
	d, err := fs.OpenDir(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
