package exchange

// The fakes below implement Sender and Receiver: the interfaces this
// package owns and the node implements (node/syncnode.go). An interface
// owned by its consumer, with its contract written on it, is what a fake
// may legitimately stand in for; these keep that contract (idempotent
// applies, Last as documented, Changed closed on growth) in memory, and
// count what reached them so that tests can say what was sent twice.

import (
	"fmt"
	"math/rand/v2"
	"sync"

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
