package exchange

import (
	"context"
	"fmt"

	"github.com/lumbung/lumbung/replication/wire"
	"github.com/lumbung/lumbung/schema"
)

// fakeReceiver is the upstream node as the handler sees it: an in-memory
// Receiver, the interface this package owns (see fake_test.go).
type fakeReceiver struct {
	memLog
	tokens map[string]Link
	acked  map[schema.Origin]uint64
	// received counts how many times each change reached Apply.
	received      map[schema.ChangeID]int
	applyCalls    int
	downlinkCalls int
	clock         int64
	catalogue     int
	// failure, when set, is what Acked and Apply return at once: the
	// receiver cannot commit now.
	failure error
}

var _ Receiver = (*fakeReceiver)(nil)

// tokenA is the token of desa A's link.
const tokenA = "lmb_TOKENFORDESAA"

func newReceiver() *fakeReceiver {
	return &fakeReceiver{tokens: map[string]Link{tokenA: {Region: desaA, TokenID: "tokA"}},
		acked: map[schema.Origin]uint64{}, received: map[schema.ChangeID]int{},
		clock: 1_780_000_000_000, catalogue: 1}
}

// write adds changes written upstream (or come up another link).
func (r *fakeReceiver) write(from schema.Code, cs ...*schema.Change) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range cs {
		r.appendLocked(c, from)
	}
}

func (r *fakeReceiver) Authorize(_ context.Context, token string) (Link, error) {
	l, ok := r.tokens[token]
	if !ok {
		return Link{}, fmt.Errorf("%w: unknown token", ErrToken)
	}
	return l, nil
}

// Bind binds nothing: the node's binding is tested at the node
// (TestSyncTokenBinding, testcluster).
func (r *fakeReceiver) Bind(context.Context, Link, schema.Origin) error { return nil }

func (r *fakeReceiver) Acked(_ context.Context, o schema.Origin) (uint64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.acked[o], r.failure
}

func (r *fakeReceiver) Apply(_ context.Context, link Link, o schema.Origin, b *wire.Batch) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.failure != nil {
		return 0, r.failure
	}
	r.applyCalls++
	n := 0
	for _, c := range b.Changes {
		r.received[c.ID()]++
		if r.appendLocked(c, link.Region) {
			n++
		}
	}
	r.acked[o] = max(r.acked[o], b.Last)
	return n, nil
}

func (r *fakeReceiver) Downlink(_ context.Context, link Link, after uint64, maxBytes int) (*wire.Batch, bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.downlinkCalls++
	out, _, last := r.scanLocked(after, maxBytes, func(e logEntry) bool {
		return ForDownlink(e.c, link.Region) && e.from != link.Region
	})
	return &wire.Batch{Last: last, Changes: out}, last < uint64(len(r.entries)), nil
}

func (r *fakeReceiver) Catalogue() int { return r.catalogue }

func (r *fakeReceiver) Now() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.clock
}

// distinct returns how many distinct changes reached Apply.
func (r *fakeReceiver) distinct() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.received)
}

// restore puts the receiver back to holding origin's changes up to pos:
// a restore from a backup.
func (r *fakeReceiver) restore(o schema.Origin, pos uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.acked[o] = pos
	kept := r.entries[:0]
	for _, e := range r.entries {
		if e.c.Origin == o && e.c.Seq > pos {
			delete(r.held, e.c.ID())
			continue
		}
		kept = append(kept, e)
	}
	r.entries = kept
}

// locked runs f with the receiver's state to itself.
func (r *fakeReceiver) locked(f func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f()
}

func (r *fakeReceiver) ackedOf(o schema.Origin) uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.acked[o]
}

func (r *fakeReceiver) downlinks() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.downlinkCalls
}
