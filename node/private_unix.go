//go:build unix

package node

import (
	"errors"
	"fmt"
	iofs "io/fs"
	"os"
	"path/filepath"
	"syscall"
)

func restrictUmask() { syscall.Umask(0o077) }

// restrict sets 0700 on dir and every directory under it, 0600 on every
// file; symbolic links are left as they are, never followed.
func restrict(dir string) error {
	err := filepath.WalkDir(dir, func(path string, d iofs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		mode := os.FileMode(0o600)
		switch {
		case d.Type()&iofs.ModeSymlink != 0:
			return nil
		case d.IsDir():
			mode = 0o700
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if info.Mode().Perm() == mode {
			return nil
		}
		return os.Chmod(path, mode)
	})
	if errors.Is(err, iofs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("node: keep %s private: %w", dir, err)
	}
	return nil
}
