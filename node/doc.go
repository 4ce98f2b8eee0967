// Package node is a running Lumbung node: the Pebble state store and its
// change log, the single writer that commits local writes in groups with
// one fsync, the registered kinds of write (complaints, monografi and its
// approval, catalogue, regions, sync), the raft state machine of a
// cluster member, the uplink, configuration, backup and restore. Its HTTP
// API is package httpapi's.
//
// What it promises (see DESIGN.md for why it holds):
//
//  1. A write is answered only after the batch holding it returned from
//     Pebble's Commit with Sync: an acknowledged write survives kill -9
//     and power loss.
//  2. A refused write touches nothing: every write validates before it
//     writes, and one that fails after writing is dropped from its group,
//     which is run again without it.
//  3. Every change the node writes gets the next sequence number of its
//     origin, with no gap, and the log holds each change once.
//  4. An anonymous reporter's identity is a local-only record; it never
//     enters a change, so it can never leave the node.
//  5. Every error a read or a write returns is one of the sentinels or
//     types of errors.go (wrapped), so the API maps each to a 4xx in plain
//     words; only an error no input can cause becomes a 500.
package node
