package node

import (
	"time"

	"github.com/lumbung/lumbung/schema"
)

// clockTolerance is how far a node's clock may be from its upstream's
// before its changes are stamped with the upstream's time instead, and
// how far ahead of this node's clock a received change may be stamped
// before it stops moving this node's clock (it is kept, and counted).
const clockTolerance = 2 * time.Minute

// Changed returns a channel closed the next time the log grows.
func (s *Store) Changed() <-chan struct{} {
	s.changedMu.Lock()
	defer s.changedMu.Unlock()
	if s.changed == nil {
		s.changed = make(chan struct{})
	}
	return s.changed
}

// signal wakes every waiter of Changed.
func (s *Store) signal() {
	s.changedMu.Lock()
	defer s.changedMu.Unlock()
	if s.changed != nil {
		close(s.changed)
		s.changed = nil
	}
}

// ObserveSkew takes the skew an exchange measured (this node's clock minus
// the upstream's, in ms). Beyond clockTolerance, local changes are stamped
// with the upstream's time from then on, so a laptop whose clock is days
// off neither loses nor wins every later conflict; within it, the clock
// is trusted.
func (s *Store) ObserveSkew(ms int64) {
	tol := clockTolerance.Milliseconds()
	fix := int64(0)
	if ms > tol || ms < -tol {
		fix = -ms
	}
	if old := s.clockFix.Swap(fix); old-fix > tol || fix-old > tol {
		s.clockReset.Store(true) // let the clock go back; Append keeps each entity's order
	}
}

// stamp returns the clock reading for a new change to an entity whose
// changes so far are prior: the clock's next reading, moved past the
// entity's latest change so that a change never orders before one it
// follows, whatever clock wrote that one.
func (tx *Tx) stamp(prior []*schema.Change) schema.HLC {
	if tx.s.clockReset.Swap(false) {
		tx.s.clock = schema.NewClock(schema.HLC{})
	}
	h := tx.s.clock.Now(tx.now())
	for _, p := range prior {
		if !p.HLC.Less(h) {
			h = p.HLC.Next()
		}
	}
	return h
}

// observe merges a received change's clock, unless it lies more than
// clockTolerance ahead of this node's: such a change is kept but does not
// drag every later local change days ahead with it.
func (tx *Tx) observe(h schema.HLC) {
	if h.Wall > tx.now()+clockTolerance.Milliseconds() {
		tx.s.futureChanges.Add(1)
		return
	}
	tx.s.clock.Observe(h)
}

// ClockFix returns the correction applied to this node's clock, in ms.
func (s *Store) ClockFix() int64 { return s.clockFix.Load() }
