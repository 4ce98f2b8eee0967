// Package raftstore keeps hashicorp/raft's log and stable store in a
// Pebble database of its own, apart from the node's state store.
//
// The contract raft relies on, and this package keeps:
//
//  1. Every StoreLog, StoreLogs, DeleteRange, Set and SetUint64 returns only
//     after its batch was committed with fsync: what raft was told is
//     stored survives kill -9 and power loss. (A public Pebble-backed log
//     store once lost entries on restart because it wrote without Sync and
//     cached indexes it never reloaded; the crash test here kills a real
//     process mid-write and reopens.)
//  2. FirstIndex and LastIndex are read back from the keys on Open, never
//     trusted from a previous run, and kept in memory after each write.
//  3. GetLog of an index not held returns raft.ErrLogNotFound.
//  4. StoreLogs is atomic: all the entries of one call or none.
//  5. Gaps are allowed (raft may store logs after a snapshot restore that
//     do not follow the last index); FirstIndex and LastIndex are then the
//     lowest and highest keys held.
//
// Methods may be called from any goroutine; writes are serialised by a
// mutex (raft writes from one goroutine anyway).
package raftstore
