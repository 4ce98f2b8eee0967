package node

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/cockroachdb/pebble/v2"
	"github.com/lumbung/lumbung/schema"
)

// Errors of the write path.
var (
	// ErrClosed means the store was closed before the write ran.
	ErrClosed = errors.New("node: store closed")
	// ErrStoreFailed means a commit to disk failed; the store takes no
	// more writes until the node restarts and Pebble recovers its WAL.
	ErrStoreFailed = errors.New("node: store failed")
)

// WriteFunc is a write run on the writer goroutine inside a group. It must
// validate before it writes: once it has called tx.Append or tx.Set, an
// error makes the writer drop the whole group and run the other writes of
// the group again without it, so no partial write is ever committed. It
// may be run more than once, and must have no effect outside tx.
type WriteFunc func(tx *Tx) (any, error)

type request struct {
	fn   WriteFunc
	res  any
	err  error
	done chan struct{}
}

// Do runs fn on the writer goroutine and returns its result once the group
// it belongs to is committed with fsync. Writes that arrive together share
// one commit (group commit).
func (s *Store) Do(ctx context.Context, fn WriteFunc) (any, error) {
	if err := s.Err(); err != nil {
		return nil, err
	}
	r := &request{fn: fn, done: make(chan struct{})}
	select {
	case s.reqs <- r:
	case <-s.stop:
		return nil, ErrClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	<-r.done // never abandon a queued write: its result says whether it is durable
	return r.res, r.err
}

func (s *Store) writer() {
	defer s.wg.Done()
	for {
		var group []*request // a new slice each time: the syncer holds the last one
		select {
		case r := <-s.reqs:
			group = append(group, r)
		case <-s.stop:
			s.drain()
			close(s.syncq)
			return
		}
	fill:
		for len(group) < s.cfg.MaxGroup {
			select {
			case r := <-s.reqs:
				group = append(group, r)
			default:
				break fill
			}
		}
		s.commitGroup(group)
	}
}

// drain answers the writes still queued at close.
func (s *Store) drain() {
	for {
		select {
		case r := <-s.reqs:
			r.err = ErrClosed
			close(r.done)
		default:
			return
		}
	}
}

type writerState struct {
	seq, pos uint64
	clock    schema.Clock
}

func (s *Store) commitGroup(group []*request) {
	if err := s.Err(); err != nil {
		finish(group, err)
		return
	}
	saved := writerState{s.seq, s.pos, *s.clock}
	start := time.Now()
	for {
		b := s.db.NewIndexedBatch()
		poisoned := s.runGroup(b, group)
		if poisoned < 0 {
			s.commit(b, group, saved, start)
			return
		}
		_ = b.Close()
		s.seq, s.pos, *s.clock = saved.seq, saved.pos, saved.clock
		finish(group[poisoned:poisoned+1], group[poisoned].err)
		group = append(group[:poisoned:poisoned], group[poisoned+1:]...)
		if len(group) == 0 {
			return
		}
	}
}

// runGroup runs each write on b. It returns the index of a write that
// failed after writing (the group must be run again without it), or -1.
func (s *Store) runGroup(b *pebble.Batch, group []*request) int {
	for i, r := range group {
		tx := &Tx{s: s, b: b}
		r.res, r.err = r.fn(tx)
		if r.err == nil {
			r.err = tx.err
		}
		if r.err != nil && tx.wrote {
			return i
		}
	}
	return -1
}

// commit applies the group's batch and hands it to the syncer. The batch
// is visible once applied, so the next group, built while this one's
// fsync is in flight, reads it; its writers are answered only when the
// syncer has seen the fsync return.
func (s *Store) commit(b *pebble.Batch, group []*request, saved writerState, start time.Time) {
	writes := 0
	for _, r := range group {
		if r.err == nil {
			writes++
		}
	}
	if writes == 0 {
		_ = b.Close()
		finish(group, nil)
		return
	}
	last := s.clock.Last()
	clk := make([]byte, 12)
	binary.BigEndian.PutUint64(clk, uint64(last.Wall))
	binary.BigEndian.PutUint32(clk[8:], last.Logical)
	_ = b.Set(keyClock, clk, nil)
	if err := s.db.ApplyNoSyncWait(b, pebble.Sync); err != nil {
		_ = b.Close()
		s.seq, s.pos, *s.clock = saved.seq, saved.pos, saved.clock
		s.fail(group, err)
		return
	}
	s.syncq <- &pending{b: b, group: group, pos: s.pos, writes: writes, start: start}
}

// pending is a group applied to Pebble whose fsync has not returned yet.
type pending struct {
	b      *pebble.Batch
	group  []*request
	pos    uint64
	writes int
	start  time.Time
}

// syncer waits for each applied group's fsync, in order, then answers its
// writers and advances the durable position.
func (s *Store) syncer() {
	defer s.wg.Done()
	for p := range s.syncq {
		err := p.b.SyncWait()
		_ = p.b.Close()
		if err != nil {
			s.fail(p.group, err)
			continue
		}
		s.durable.Store(p.pos)
		if s.onCommit != nil {
			s.onCommit(p.writes, time.Since(p.start))
		}
		finish(p.group, nil)
	}
}

// fail stops the store's writes after a failed commit and answers the
// group's writers with the error.
func (s *Store) fail(group []*request, cause error) {
	err := fmt.Errorf("%w: commit: %w", ErrStoreFailed, cause)
	s.failed.CompareAndSwap(nil, &err)
	s.cfg.Logger.Error("store commit failed; writes refused until restart", "err", err)
	for _, r := range group {
		r.res, r.err = nil, err
	}
	finish(group, nil)
}

func finish(group []*request, err error) {
	for _, r := range group {
		if err != nil {
			r.res, r.err = nil, err
		}
		close(r.done)
	}
}

// Tx is one write's view of the store inside a group: it reads the
// committed state plus everything written earlier in the same group.
type Tx struct {
	s     *Store
	b     *pebble.Batch
	wrote bool
	err   error
}

// Origin returns the identity local changes are written under.
func (tx *Tx) Origin() schema.Origin { return tx.s.origin }

// NextSeq returns the sequence number the next Append will use.
func (tx *Tx) NextSeq() uint64 { return tx.s.seq + 1 }

// Get reads a key.
func (tx *Tx) Get(key []byte) ([]byte, bool, error) { return getFrom(tx.b, key) }

// Set writes a local-only key (never a change: it is not replicated).
func (tx *Tx) Set(key, value []byte) {
	tx.wrote = true
	if err := tx.b.Set(key, value, nil); err != nil && tx.err == nil {
		tx.err = fmt.Errorf("node: batch set: %w", err)
	}
}

// Append writes a local change (the next sequence number and a fresh
// clock reading), applies it, and returns it with its entity's new state.
// prior holds the changes of the entity the caller already read
// (EntityChanges), or an empty non-nil slice for a new entity; nil makes
// Append read them.
func (tx *Tx) Append(actor, entity string, scope schema.Code, op schema.Op, body any,
	prior []*schema.Change) (*schema.Change, any, error) {
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, nil, fmt.Errorf("node: encode change body: %w", err)
	}
	tx.s.seq++
	c := &schema.Change{Origin: tx.s.origin, Seq: tx.s.seq, HLC: tx.s.clock.Now(tx.s.cfg.Now().UnixMilli()),
		Actor: actor, Entity: entity, Scope: scope, Op: op, Body: raw}
	tx.Set(keySeq, u64(tx.s.seq))
	tx.Set(highKey(c.Origin), u64(c.Seq)) // local sequences only grow
	state, err := tx.apply(c, prior, body)
	if err == nil {
		err = tx.err
	}
	return c, state, err
}

// EntityChanges returns every change held for entity, in key order.
func (tx *Tx) EntityChanges(entity string) ([]*schema.Change, error) {
	return entityChanges(tx.b, entity)
}

type iterable interface {
	reader
	NewIter(o *pebble.IterOptions) (*pebble.Iterator, error)
}

func entityChanges(r iterable, entity string) ([]*schema.Change, error) {
	p := entityPrefix(entity)
	it, err := r.NewIter(&pebble.IterOptions{LowerBound: p, UpperBound: prefixEnd(p)})
	if err != nil {
		return nil, fmt.Errorf("node: scan %s: %w", entity, err)
	}
	defer it.Close()
	var out []*schema.Change
	for it.First(); it.Valid(); it.Next() {
		ref := it.Key()[len(p):]
		raw, ok, err := getFrom(r, append([]byte(prefixChange), ref...))
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("node: entity %s names a missing change", entity)
		}
		c, err := schema.DecodeChange(raw)
		if err != nil {
			return nil, fmt.Errorf("node: stored change of %s: %w", entity, err)
		}
		out = append(out, c)
	}
	return out, it.Error()
}
