// Package atomicfile replaces a file whole or not at all, through Pebble's
// vfs.FS (so a test can run it on vfs.NewMem or inject a failed fsync
// with vfs/errorfs).
//
// Write writes a temporary file in the target's directory, syncs it,
// renames it over the target and syncs the directory, so that after a
// crash the path holds either the old file or the new one, complete, and
// once Write returns nil the new one survives power loss. A file it
// writes, or makes with Create, is readable by its owner only (0600 where
// the system has modes): configurations and backups hold enrolment
// tokens.
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
	tmp, err := TempName(path)
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
	if err := SyncDir(fs, fs.PathDir(path)); err != nil {
		return 0, fmt.Errorf("atomicfile: %s: sync directory: %w", path, err)
	}
	return size, nil
}

// TempName names a file (or directory) beside path that no other writer
// picks: path, a dot, 12 random hex digits and ".tmp".
func TempName(path string) (string, error) {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("atomicfile: %w", err)
	}
	return path + "." + hex.EncodeToString(b[:]) + ".tmp", nil
}

// Create creates name on fs (replacing a file of that name), readable
// by its owner only.
func Create(fs vfs.FS, name string) (vfs.File, error) {
	f, err := fs.Create(name, vfs.WriteCategoryUnspecified)
	if err != nil {
		return nil, err
	}
	if err := restrict(f); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// writeSynced creates name, fills it by write, syncs it and returns its
// size.
func writeSynced(fs vfs.FS, name string, write func(io.Writer) error) (int64, error) {
	f, err := Create(fs, name)
	if err != nil {
		return 0, err
	}
	var size int64
	err = write(f)
	if err == nil {
		err = f.Sync()
	}
	if err == nil {
		var st vfs.FileInfo
		if st, err = f.Stat(); err == nil {
			size = st.Size()
		}
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return size, err
}

// SyncDir makes the entries of dir (a file created, renamed or removed in
// it) durable. Where the system cannot sync a directory (Windows) it does
// nothing, and need not.
func SyncDir(fs vfs.FS, dir string) error {
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
