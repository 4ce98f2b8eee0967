package schema

import (
	"fmt"
	"math"
)

// HLC is a hybrid logical clock timestamp: wall milliseconds since the Unix
// epoch, and a logical counter that orders events within one millisecond or
// behind a clock that went backwards.
type HLC struct {
	Wall    int64  `json:"w"`
	Logical uint32 `json:"l"`
}

// Less reports whether h orders before o.
func (h HLC) Less(o HLC) bool {
	if h.Wall != o.Wall {
		return h.Wall < o.Wall
	}
	return h.Logical < o.Logical
}

// IsZero reports whether h is the zero timestamp.
func (h HLC) IsZero() bool { return h.Wall == 0 && h.Logical == 0 }

// Next returns the smallest timestamp after h.
func (h HLC) Next() HLC {
	if h.Logical == math.MaxUint32 {
		return HLC{Wall: h.Wall + 1}
	}
	return HLC{Wall: h.Wall, Logical: h.Logical + 1}
}

// String formats h as "wall.logical".
func (h HLC) String() string { return fmt.Sprintf("%d.%d", h.Wall, h.Logical) }

// Clock issues HLC timestamps. It is not safe for concurrent use: the
// node's single writer owns it. The physical time is passed in, so Clock is
// deterministic.
type Clock struct {
	last HLC
}

// NewClock returns a clock that never issues a timestamp at or below last
// (the value persisted by the previous run).
func NewClock(last HLC) *Clock { return &Clock{last: last} }

// Last returns the latest timestamp issued or observed.
func (c *Clock) Last() HLC { return c.last }

// Now returns a timestamp for a local event at physical time physMs,
// strictly greater than every timestamp issued or observed before.
func (c *Clock) Now(physMs int64) HLC {
	switch {
	case physMs > c.last.Wall:
		c.last = HLC{Wall: physMs}
	case c.last.Logical == math.MaxUint32:
		// The counter is full (a peer may send any value): move to the
		// next millisecond rather than wrap to a smaller timestamp.
		c.last = HLC{Wall: c.last.Wall + 1}
	default:
		c.last.Logical++
	}
	return c.last
}

// Observe merges a timestamp received from a peer, so that every later
// local timestamp orders after it.
func (c *Clock) Observe(remote HLC) {
	if c.last.Less(remote) {
		c.last = remote
	}
}
