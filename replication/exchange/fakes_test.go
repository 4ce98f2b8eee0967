package exchange

// The fakes below implement Sender and Receiver: the interfaces this
// package owns and the node implements (node/syncnode.go). An interface
// owned by its consumer, with its contract written on it, is what a fake
// may legitimately stand in for; these keep that contract (idempotent
// applies, Last as documented, Changed closed on growth) in memory, and
// count what reached them so that tests can say what was sent twice.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"

	"github.com/lumbung/lumbung/replication/wire"
	"github.com/lumbung/lumbung/schema"
)

// The regions of the tests: a kecamatan upstream and two desa in it.
const (
	kecamatan schema.Code = "32.14.02"
	desaA     schema.Code = "32.14.02.2001"
	desaB     schema.Code = "32.14.02.2002"
)

var (
	originA   = schema.Origin{Region: desaA, Incarnation: "K7M2QX"}
	originB   = schema.Origin{Region: desaB, Incarnation: "ABCDEF"}
	originKec = schema.Origin{Region: kecamatan, Incarnation: "Q4W8ZT"}
)

// newChange returns a valid change whose body resists compression a
// little, so that a few dozen of them fill several frames.
func newChange(o schema.Origin, seq uint64, scope schema.Code) *schema.Change {
	rnd := rand.New(rand.NewPCG(seq, uint64(len(o.Region))))
	note := make([]byte, 240)
	for i := range note {
		note[i] = "abcdefghjkmnpqrstuvwxyz "[rnd.IntN(24)]
	}
	return &schema.Change{Origin: o, Seq: seq, HLC: schema.HLC{Wall: 1_780_000_000_000 + int64(seq)},
		Actor: "operator", Entity: fmt.Sprintf("complaint/%s-%s-%04d", scope.Compact(), o.Incarnation, seq),
		Scope: scope, Op: schema.OpComplaintCreate,
		Body: []byte(fmt.Sprintf(`{"title":"Jalan desa rusak %d","note":"%s"}`, seq, note))}
}

// logEntry is one position of a log: a change and where it came from
// ("" written here, "^" from upstream, else the region of the link below
// it came up), as the node records it.
type logEntry struct {
	c    *schema.Change
	from schema.Code
}

// memLog is an append-only change log, positions from 1, that skips a
// change it holds and closes its Changed channel when it grows. Its mutex
// guards the fields of the fake that embeds it too.
type memLog struct {
	mu      sync.Mutex
	entries []logEntry
	held    map[schema.ChangeID]bool
	changed chan struct{}
}

// appendLocked adds c unless held and reports whether it was new.
func (l *memLog) appendLocked(c *schema.Change, from schema.Code) bool {
	if l.held == nil {
		l.held = map[schema.ChangeID]bool{}
	}
	if l.held[c.ID()] {
		return false
	}
	l.held[c.ID()] = true
	l.entries = append(l.entries, logEntry{c, from})
	l.signalLocked()
	return true
}

func (l *memLog) signalLocked() {
	if l.changed != nil {
		close(l.changed)
		l.changed = nil
	}
}

// Changed returns a channel closed the next time the log grows.
func (l *memLog) Changed() <-chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.changed == nil {
		l.changed = make(chan struct{})
	}
	return l.changed
}

// holds reports whether the log holds c.
func (l *memLog) holds(c *schema.Change) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.held[c.ID()]
}

// scanLocked returns the changes after position after that keep,
// stopping once their encoding passes maxBytes, the position of the last
// of them (after when none) and the position the scan reached.
func (l *memLog) scanLocked(after uint64, maxBytes int, keep func(logEntry) bool) (out []*schema.Change, kept, scanned uint64) {
	size, kept, scanned := 0, after, after
	for i := int(after); i < len(l.entries) && size < maxBytes; i++ {
		scanned = uint64(i + 1)
		if keep(l.entries[i]) {
			out, kept = append(out, l.entries[i].c), scanned
			size += len(schema.EncodeChange(l.entries[i].c))
		}
	}
	return out, kept, scanned
}

// fakeSender is the node below as its uplink sees it.
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

// fakeReceiver is the upstream node as the handler sees it.
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
