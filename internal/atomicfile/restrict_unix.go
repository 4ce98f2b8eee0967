//go:build unix

package atomicfile

import (
	"syscall"

	"github.com/cockroachdb/pebble/v2/vfs"
)

// restrict makes a file on the operating system's filesystem readable by
// its owner only, while it is still empty (vfs.FS creates files 0666, less
// the umask).
func restrict(f vfs.File) error {
	if fd := f.Fd(); fd != vfs.InvalidFd {
		return syscall.Fchmod(int(fd), 0o600)
	}
	return nil
}
