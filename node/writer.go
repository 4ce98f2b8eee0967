package node

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	"github.com/cockroachdb/pebble/v2"
	"github.com/lumbung/lumbung/schema"
)

// writeFunc is a write run inside a group. It must validate before it
// writes: once it has called tx.Append or tx.Set, an error makes the group
// drop it and run the group's other writes again without it, so no partial
// write is ever committed. It may be run more than once, and must have no
// effect outside tx. Writes run one at a time, never concurrently.
type writeFunc func(tx *Tx) (any, error)

type request struct {
	fn      writeFunc
	res     any
	err     error
	wrote   bool          // the write had written to the batch when it failed
	done    chan struct{} // closed once the result is final (durable or refused)
	promote chan struct{} // closed when this request's goroutine must lead the next group
}

// do runs fn and returns its result once the group it belongs to is
// committed with fsync. Only the write path calls it: a registered kind
// (runLocal, or a raft entry through applyEntry), or a restore. Writes that arrive together share one commit
// (group commit). The calling goroutine may be made the group's leader and
// run the whole group: an idle node commits a lone write with no hand-off
// to another goroutine.
func (s *Store) do(ctx context.Context, fn writeFunc) (any, error) {
	if err := s.Err(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r := &request{fn: fn, done: make(chan struct{}), promote: make(chan struct{})}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, ErrClosed
	}
	s.queue = append(s.queue, r)
	lead := !s.leading
	s.leading = true
	s.mu.Unlock()
	if !lead {
		select {
		case s.arrived <- struct{}{}: // tell a leader waiting for the slot
		default:
		}
		select {
		case <-r.done: // never abandon a queued write: its result says whether it is durable
			return r.res, r.err
		case <-r.promote:
		}
	}
	s.lead()
	<-r.done
	return r.res, r.err
}

// lead runs one group: it takes the queue, runs the writes into a batch,
// keeps taking writes that arrive until the previous group's fsync has
// returned (the slot), applies the batch, hands leadership to the next
// waiting write, then waits for this group's fsync and answers its writes.
func (s *Store) lead() {
	g := s.newGroup()
	for _, r := range s.take() {
		g.add(r)
	}
collect:
	for len(g.reqs) < s.cfg.MaxGroup {
		select {
		case s.slot <- struct{}{}:
			break collect
		case <-s.arrived:
			for _, r := range s.take() {
				g.add(r)
			}
		}
	}
	if len(g.reqs) >= s.cfg.MaxGroup {
		s.slot <- struct{}{}
	}
	for _, r := range s.take() { // whatever arrived while the slot was taken
		g.add(r)
	}
	p := s.apply(g)
	s.handOver()
	if p != nil {
		s.synced(p)
	}
}

// take removes and returns the queued writes.
func (s *Store) take() []*request {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.queue
	s.queue = nil
	return q
}

// handOver makes the first queued write lead the next group, or marks the
// store as having no leader.
func (s *Store) handOver() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.queue) == 0 {
		s.leading = false
		s.idle.Broadcast()
		return
	}
	close(s.queue[0].promote)
}

type writerState struct {
	seq, pos uint64
	clock    schema.Clock
}

// group is the writes that will share one batch and one fsync.
type group struct {
	s     *Store
	b     *pebble.Batch
	reqs  []*request
	saved writerState // the writer's state before the group, to roll back
	start time.Time
}

func (s *Store) newGroup() *group {
	return &group{s: s, b: s.db.NewIndexedBatch(), saved: writerState{s.seq, s.pos, *s.clock}, start: time.Now()}
}

// add runs r into the group's batch. A write that fails after writing is
// answered with its error, and the group is rebuilt without it.
func (g *group) add(r *request) {
	if err := g.s.Err(); err != nil {
		finish([]*request{r}, err)
		return
	}
	g.reqs = append(g.reqs, r)
	if !g.s.run(g.b, r) {
		g.rebuild()
	}
}

// rebuild drops the poisoned writes and runs the others again on a fresh
// batch, until none poisons it.
func (g *group) rebuild() {
	s := g.s
	for {
		_ = g.b.Close()
		s.seq, s.pos, *s.clock = g.saved.seq, g.saved.pos, g.saved.clock
		var keep []*request
		for _, r := range g.reqs {
			if r.err != nil && r.wrote {
				finish([]*request{r}, r.err)
				continue
			}
			keep = append(keep, r)
		}
		g.reqs, g.b = keep, s.db.NewIndexedBatch()
		if s.runGroup(g.b, g.reqs) < 0 {
			return
		}
	}
}

// run runs one write on b and reports whether the batch is still clean
// (false: the write failed after writing).
func (s *Store) run(b *pebble.Batch, r *request) bool {
	tx := &Tx{s: s, b: b}
	r.res, r.err = r.fn(tx)
	if r.err == nil {
		r.err = tx.err
	}
	r.wrote = tx.wrote
	return r.err == nil || !tx.wrote
}

// runGroup runs each write on b. It returns the index of a write that
// failed after writing (the group must be run again without it), or -1.
func (s *Store) runGroup(b *pebble.Batch, group []*request) int {
	for i, r := range group {
		if !s.run(b, r) {
			return i
		}
	}
	return -1
}

// apply applies the group's batch to Pebble (visible, fsync not yet
// returned) and returns it to wait on, or nil when nothing is left to
// commit (then the slot is released here).
func (s *Store) apply(g *group) *pending {
	writes := 0
	for _, r := range g.reqs {
		if r.err == nil {
			writes++
		}
	}
	if writes == 0 {
		_ = g.b.Close()
		finish(g.reqs, nil)
		<-s.slot
		return nil
	}
	last := s.clock.Last()
	clk := make([]byte, 12)
	binary.BigEndian.PutUint64(clk, uint64(last.Wall))
	binary.BigEndian.PutUint32(clk[8:], last.Logical)
	_ = g.b.Set(keyClock, clk, nil)
	var err error
	if s.cfg.NoSync {
		err = s.db.Apply(g.b, pebble.NoSync) // SyncWait then returns at once
	} else {
		err = s.db.ApplyNoSyncWait(g.b, pebble.Sync)
	}
	if err != nil {
		_ = g.b.Close()
		s.seq, s.pos, *s.clock = g.saved.seq, g.saved.pos, g.saved.clock
		s.fail(g.reqs, err)
		<-s.slot
		return nil
	}
	return &pending{b: g.b, group: g.reqs, pos: s.pos, writes: writes, start: g.start}
}

// pending is a group applied to Pebble whose fsync has not returned yet.
type pending struct {
	b      *pebble.Batch
	group  []*request
	pos    uint64
	writes int
	start  time.Time
}

// synced waits for a group's fsync, releases the slot for the next group,
// and answers the group's writers. The slot allows one group in flight, so
// groups become durable in the order they were applied.
func (s *Store) synced(p *pending) {
	err := p.b.SyncWait()
	_ = p.b.Close()
	if err != nil {
		s.fail(p.group, err)
		<-s.slot
		return
	}
	s.durable.Store(p.pos)
	s.signal()
	<-s.slot // the next group may go to disk
	if s.onCommit != nil {
		s.onCommit(p.writes, time.Since(p.start))
	}
	finish(p.group, nil)
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
	wall  int64 // the wall clock in ms to stamp changes with; 0 reads the store's clock
}

// Origin returns the identity local changes are written under.
func (tx *Tx) Origin() schema.Origin { return tx.s.Origin() }

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

// Delete removes a local-only key.
func (tx *Tx) Delete(key []byte) {
	tx.wrote = true
	if err := tx.b.Delete(key, nil); err != nil && tx.err == nil {
		tx.err = fmt.Errorf("node: batch delete: %w", err)
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
	if prior == nil {
		if prior, err = tx.EntityChanges(entity); err != nil {
			return nil, nil, err
		}
	}
	tx.s.seq++
	c := &schema.Change{Origin: tx.s.Origin(), Seq: tx.s.seq, HLC: tx.stamp(prior),
		Actor: actor, Entity: entity, Scope: scope, Op: op, Body: raw}
	tx.Set(keySeq, u64(tx.s.seq))
	tx.Set(highKey(c.Origin), u64(c.Seq)) // local sequences only grow
	state, err := tx.apply(c, prior, body, "")
	if err == nil {
		err = tx.err
	}
	return c, state, err
}

// appendState is Append for a write that shows its entity's new state:
// it returns the state as S, and an error if the entity's materialiser
// made something else.
func appendState[S any](tx *Tx, actor, entity string, scope schema.Code, op schema.Op, body any,
	prior []*schema.Change) (S, error) {
	var zero S
	_, state, err := tx.Append(actor, entity, scope, op, body, prior)
	if err != nil {
		return zero, err
	}
	s, ok := state.(S)
	if !ok {
		return zero, fmt.Errorf("node: %s materialised as %T, want %T", entity, state, zero)
	}
	return s, nil
}

// now returns the wall clock to stamp a change with: the one the raft
// entry carries on a cluster member (the same on every member), the
// store's own clock otherwise.
func (tx *Tx) now() int64 {
	if tx.wall != 0 {
		return tx.wall
	}
	return tx.s.Wall()
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
