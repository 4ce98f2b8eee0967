// Package replication moves changes between machines: the regional raft
// cluster of a kecamatan or kabupaten and, later, the sync exchange between
// tiers. Each concept lives in a sub-package; raftstore is raft's durable
// log and stable store on Pebble.
package replication
