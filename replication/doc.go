// Package replication moves changes between machines. Each concept lives
// in a sub-package:
//
//   - cluster: the regional raft cluster of a kecamatan or kabupaten,
//     built on hashicorp/raft; its members hold the same state.
//   - raftstore: raft's durable log and stable store, on Pebble.
//   - wire: the format of the sync exchange between tiers (frames, the
//     zstd coders with our trained dictionaries, the messages).
//   - exchange: the sync exchange itself, the handler an upstream serves
//     and the uplink a node below runs.
//
// DESIGN.md says what each promises and why.
package replication
