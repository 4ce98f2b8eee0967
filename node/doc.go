// Package node is a running Lumbung node: the Pebble state store, the
// single writer that commits local writes in groups with one fsync, the
// HTTP API of PRODUCT.md, configuration, backup and restore.
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
//  5. Nothing a person or a peer sends makes the API answer 500: bad input
//     gets a 4xx JSON error naming the field, in Indonesian or English.
package node
