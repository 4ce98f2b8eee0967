package exchange

import (
	"context"

	"github.com/lumbung/lumbung/replication/wire"
	"github.com/lumbung/lumbung/schema"
)

// Sender is what a node below gives its uplink.
//
// The uplink calls it from one goroutine at a time, but the node's own
// writes run concurrently with it. SaveUp and ApplyDown must be durable
// when they return (raft-committed at a cluster) and idempotent.
type Sender interface {
	// Origin returns the node's identity: its region and the incarnation
	// of its log (a cluster's genesis incarnation).
	Origin() schema.Origin
	// Cursors returns the acknowledged uplink position and the downlink
	// cursor last saved.
	Cursors() (up, down uint64, err error)
	// Outbound returns the changes to send after log position after, in
	// log order, skipping those that came from upstream, stopping once
	// their encoding passes maxBytes. The batch's Last is the position of
	// its last change (after, when there is none).
	Outbound(after uint64, maxBytes int) (*wire.Batch, error)
	// Pending counts the changes Outbound would send after position after.
	Pending(after uint64) (int, error)
	// SaveUp records the acknowledged uplink position.
	SaveUp(ctx context.Context, pos uint64) error
	// ApplyDown applies a downlink batch, skipping changes held, and
	// records b.Last as the downlink cursor in the same commit.
	ApplyDown(ctx context.Context, b *wire.Batch) error
	// Changed returns a channel closed the next time the log grows.
	Changed() <-chan struct{}
	// Catalogue returns the monografi catalogue version the node runs.
	Catalogue() int
	// ObserveSkew tells the node how far its clock is from the
	// upstream's, measured at an exchange (positive: the node is ahead).
	ObserveSkew(ms int64)
}
