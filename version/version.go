// Package version says which release of Lumbung this build is. The
// Makefile stamps Release and Commit at build time:
//
//	go build -ldflags "-X github.com/lumbung/lumbung/version.Release=v0.3.0 -X github.com/lumbung/lumbung/version.Commit=abc1234"
//
// A build without the stamp (go build, go test) is release "dev" and takes
// its commit from the VCS information the Go toolchain embeds, when there
// is one. The protocol range and the store format live with the code that
// keeps them (replication/wire, node); node.Build gathers all four.
package version

import "runtime/debug"

// Release is the release name, such as "v0.3.0"; "dev" when not stamped.
var Release = "dev"

// Commit is the source commit the build was made from; empty when not
// stamped, then read from the build's VCS information.
var Commit = ""

// Revision returns Commit, or the VCS revision Go embedded in the binary
// (shortened to 12 characters, "+dirty" when the tree had changes), or
// "unknown".
func Revision() string {
	if Commit != "" {
		return Commit
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	var rev, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if rev == "" {
		return "unknown"
	}
	return rev[:min(12, len(rev))] + dirty
}
