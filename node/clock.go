package node

import (
	"encoding/binary"
	"time"

	"github.com/cockroachdb/pebble/v2"
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
		s.saveClockFix(fix)
	}
}

// clockFixLife is how long a saved correction is trusted without an
// exchange to confirm it.
const clockFixLife = 30 * 24 * time.Hour

func (s *Store) saveClockFix(fix int64) {
	v := make([]byte, 16)
	binary.BigEndian.PutUint64(v, uint64(fix))
	binary.BigEndian.PutUint64(v[8:], uint64(s.cfg.Now().UnixMilli()))
	if err := s.db.Set(keyClockFix, v, pebble.Sync); err != nil {
		s.cfg.Logger.Warn("clock correction not saved; it is learned again at the next exchange", "err", err)
	}
}

// loadClockFix restores a saved correction, unless the local clock has
// since gone back before the moment it was learned (someone set the
// clock) or it is older than clockFixLife.
func (s *Store) loadClockFix() error {
	v, ok, err := s.get(keyClockFix)
	if err != nil || !ok || len(v) != 16 {
		return err
	}
	fix := int64(binary.BigEndian.Uint64(v))
	at := time.UnixMilli(int64(binary.BigEndian.Uint64(v[8:])))
	now := s.cfg.Now()
	if now.Before(at.Add(-clockTolerance)) || now.After(at.Add(clockFixLife)) {
		return nil
	}
	s.clockFix.Store(fix)
	return nil
}

// stamp returns the clock reading for a new change to an entity whose
// changes so far are prior: the clock's next reading, moved past the
// entity's latest change so that a change never orders before one it
// follows, whatever clock wrote that one. In a raft entry (tx.wall set)
// the reading depends on the entry and the replicated state alone, so
// every member stamps alike; a correction its own uplink learned
// (clockReset) applies only to a store that stamps with its own clock.
func (tx *Tx) stamp(prior []*schema.Change) schema.HLC {
	if tx.wall == 0 && tx.s.clockReset.Swap(false) {
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

// Wall is this node's best reading of the time, in Unix ms: its clock,
// corrected by what its uplink learned from the tier above. Local
// changes are stamped with it, a cluster's leader stamps its raft entries
// with it, and the tier below is told it.
func (s *Store) Wall() int64 { return s.cfg.Now().UnixMilli() + s.clockFix.Load() }

// clockCorrection returns the correction applied to this node's clock, in ms.
func (s *Store) clockCorrection() int64 { return s.clockFix.Load() }
