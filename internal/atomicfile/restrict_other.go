//go:build !unix

package atomicfile

import "github.com/cockroachdb/pebble/v2/vfs"

// restrict does nothing where files have no Unix modes.
func restrict(vfs.File) error { return nil }
