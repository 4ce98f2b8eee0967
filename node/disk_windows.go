//go:build windows

package node

import "golang.org/x/sys/windows"

// diskSpace is the free space (for this account) and the size of the
// volume holding dir.
func diskSpace(dir string) (free, total uint64, err error) {
	p, err := windows.UTF16PtrFromString(dir)
	if err != nil {
		return 0, 0, err
	}
	var avail, size, all uint64
	if err := windows.GetDiskFreeSpaceEx(p, &avail, &size, &all); err != nil {
		return 0, 0, err
	}
	return avail, size, nil
}
