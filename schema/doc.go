// Package schema is Lumbung's data model, and nothing else: region codes,
// the complaint and its status machine, the change record every write
// becomes, the hybrid logical clock that orders changes, validation of what
// a person or a peer sends, and the canonical encoding.
//
// It is pure: no I/O, no goroutines, no clock reads. Time comes in as an
// argument (wall milliseconds), so every function here is deterministic and
// can be tested by replaying inputs.
//
// The central promise kept here is convergence: an entity's state is a fold
// of its changes sorted by (HLC, Origin, Seq), with duplicates dropped, so
// the same set of changes gives the same state, byte for byte, whatever the
// order or repetition in which they arrived.
package schema
