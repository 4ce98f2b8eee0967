package exchange

import (
	"context"

	"github.com/lumbung/lumbung/replication/wire"
	"github.com/lumbung/lumbung/schema"
)

// fakeSender is the node below as its uplink sees it: an in-memory
// Sender, the interface this package owns (see fake_test.go).
type fakeSender struct {
	memLog
	origin   schema.Origin
	seq      uint64
	up, down uint64
	// saved holds every SaveUp position, skews every ObserveSkew.
	saved []uint64
	skews []int64
	// downs counts how many times each change came down.
	downs        map[schema.ChangeID]int
	pendingCalls int
	saveErr      error
	// cursorsHook, when set, runs at the start of Cursors call n (from 1),
	// as a local write or a pause would come between the uplink's steps.
	cursorsHook func(n int)
	cursorCalls int
}

var _ Sender = (*fakeSender)(nil)

func newSender(o schema.Origin) *fakeSender {
	return &fakeSender{origin: o, downs: map[schema.ChangeID]int{}}
}

// write makes n local changes.
func (s *fakeSender) write(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.seq++
		s.appendLocked(newChange(s.origin, s.seq, s.origin.Region), "")
	}
}

// fromUpstream adds a change that came down from upstream (by another
// path than this uplink): it grows the log but is never sent up.
func (s *fakeSender) fromUpstream(c *schema.Change) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.appendLocked(c, "^")
}

// local keeps what an uplink sends: everything but what came from upstream.
func local(e logEntry) bool { return e.from != "^" }

func (s *fakeSender) Origin() schema.Origin { return s.origin }

func (s *fakeSender) Cursors() (uint64, uint64, error) {
	s.mu.Lock()
	s.cursorCalls++
	n, hook := s.cursorCalls, s.cursorsHook
	s.mu.Unlock()
	if hook != nil {
		hook(n)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.up, s.down, nil
}

// cursors reads the cursors for the test, not counted as a call.
func (s *fakeSender) cursors() (up, down uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.up, s.down
}

func (s *fakeSender) Outbound(after uint64, maxBytes int) (*wire.Batch, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out, kept, _ := s.scanLocked(after, maxBytes, local)
	return &wire.Batch{Last: kept, Changes: out}, nil
}

func (s *fakeSender) Pending(after uint64) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pendingCalls++
	out, _, _ := s.scanLocked(after, 1<<62, local)
	return len(out), nil
}

func (s *fakeSender) SaveUp(_ context.Context, pos uint64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.saveErr != nil {
		return s.saveErr
	}
	s.saved = append(s.saved, pos)
	s.up = pos
	return nil
}

func (s *fakeSender) ApplyDown(_ context.Context, b *wire.Batch) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range b.Changes {
		s.downs[c.ID()]++
		s.appendLocked(c, "^")
	}
	s.down = max(s.down, b.Last)
	return nil
}

func (s *fakeSender) Catalogue() int { return 1 }

func (s *fakeSender) ObserveSkew(ms int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.skews = append(s.skews, ms)
}

// pendingCount returns how many times Pending was called.
func (s *fakeSender) pendingCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pendingCalls
}

// savedUps returns the positions SaveUp was called with.
func (s *fakeSender) savedUps() []uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]uint64(nil), s.saved...)
}
