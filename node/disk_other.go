//go:build !unix && !windows

package node

import "errors"

// diskSpace is not known on this platform.
func diskSpace(string) (free, total uint64, err error) {
	return 0, 0, errors.New("node: disk space is not known on this platform")
}
