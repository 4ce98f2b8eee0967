// Package exchange is the sync exchange between tiers: the handler an
// upstream serves and the uplink a node below runs.
//
// One HTTP POST, initiated from below, carries both directions. The
// request body is a Hello, the sender's changes after its acknowledged
// position in frames, and an End. The receiver applies each frame as it
// arrives, skipping changes it holds, and commits it durably (through raft
// at a cluster) before it counts the frame as acknowledged. The response is
// an Ack (the new acknowledged position and the receiver's clock), the
// changes in the sender's scope after its downlink cursor, up to a byte
// budget, and an End carrying the new downlink cursor.
//
// Exactly once in effect: every change is identified by (origin, seq) and
// a receiver skips what it holds, so a resent frame changes nothing. The
// receiver keeps, per sender origin, the last position it committed, so a
// sender that lost an Ack (the link cut after the receiver committed)
// learns it at its next exchange; it then resends only the frame that was
// in flight.
//
// Who may send what: a token names one region below the receiver. Every
// change in a request must have its origin and its scope inside that
// region, or the frame is refused whole with ErrScope.
//
// Idle cost: when a sender has nothing to send it asks the receiver to
// hold the request (Hello.Wait) until something in its scope arrives or
// the wait runs out. An answer written upstream so reaches a connected
// node within seconds, and an idle node makes one small exchange per
// wait period.
//
// The Receiver and Sender interfaces are what the node gives this package;
// their contracts are written on them.
package exchange
