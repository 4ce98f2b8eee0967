package node

import "sync"

// A node's data directory holds its store, its raft log, its
// configuration (with the sync token) and its keys: nobody but the
// account that runs the node, and the machine's administrators, may read
// any of it. KeepPrivate makes it so, each time a node or a store opens:
//
//   - on Linux and other Unix systems, the directory and everything in
//     it become 0700 (directories) and 0600 (files), and the process's
//     umask becomes 077, so that every file written later (Pebble's
//     tables and logs, raft's, backups, the configuration) is born 0600;
//   - on Windows, the directory gets a protected access list that its
//     files and subdirectories inherit: full control for SYSTEM, the
//     Administrators group and the directory's owner (the service
//     account), nobody else.
//
// A data directory made by an older release (0755 and 0644) is tightened
// the first time the new release opens it.

// umaskOnce sets the process's umask once.
var umaskOnce sync.Once

// KeepPrivate makes dir and everything under it private to the account
// that runs the node (see above). A directory that does not exist yet is
// left for its creator (which makes it 0700).
func KeepPrivate(dir string) error {
	umaskOnce.Do(restrictUmask)
	return restrict(dir)
}
