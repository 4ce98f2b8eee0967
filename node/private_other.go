//go:build !unix && !windows

package node

func restrictUmask() {}

// restrict does nothing where the system has neither Unix modes nor
// Windows access lists.
func restrict(string) error { return nil }
