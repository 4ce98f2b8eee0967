//go:build unix

package node

import "syscall"

// diskSpace is the free space (for an unprivileged writer) and the size
// of the filesystem holding dir.
func diskSpace(dir string) (free, total uint64, err error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, 0, err
	}
	bs := uint64(st.Bsize) //nolint:unconvert // int64 on linux, uint32 elsewhere
	return st.Bavail * bs, st.Blocks * bs, nil
}
