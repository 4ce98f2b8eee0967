// Package groupcommit commits writes to a Pebble database in groups: the
// writes that arrive together run, one at a time, into one indexed batch
// and share one fsync. It is the engine under the node's store, and knows
// nothing of what the writes mean.
//
// What it promises:
//
//  1. Do returns a write's result only once the batch holding it has
//     returned from its fsync (or, with Config.NoSync, from its apply):
//     an acknowledged write is on disk.
//  2. A write that fails after writing to the batch is dropped, and its
//     group is run again without it on a fresh batch, with the owner's
//     state restored first: no part of a refused write is ever committed.
//  3. Groups become durable in the order they were applied, one group in
//     flight at a time; Owner.Durable is called in that order.
//  4. After a failed apply or fsync every later write is refused with
//     ErrFailed: the state of the page cache is unknown, and Pebble
//     recovers its WAL on the next open.
//
// Groups are led, not served by a writer goroutine (LevelDB's writer
// queue, Pebble's commit pipeline): the first write to arrive while no
// group is being led leads one itself. See node/DESIGN.md, "The write
// path".
package groupcommit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cockroachdb/pebble/v2"
)

var (
	// ErrClosed means the committer was closed before the write ran.
	ErrClosed = errors.New("store closed")
	// ErrFailed means a commit to disk failed; no more writes are taken
	// until the database is opened again.
	ErrFailed = errors.New("store failed")
)

// Write runs one write into b, which holds every earlier write of its
// group (read your writes). It returns its result, whether it wrote to b,
// and its error. It must validate before it writes: once it has written,
// an error makes the group drop it and run again without it. It may run
// more than once, must have no effect outside b and the owner's state,
// and never runs concurrently with another write.
type Write func(b *pebble.Batch) (res any, wrote bool, err error)

// Owner is the state kept in memory beside the database that writes
// advance (a store's sequence, log position and clock). Its methods are
// called by the goroutine leading a group, one at a time.
type Owner[S any] interface {
	// Save returns the state before a group is run.
	Save() S
	// Restore puts back a state Save returned: before a group is run
	// again without a poisoned write, and after a failed apply.
	Restore(S)
	// Seal adds to the batch what the group as a whole writes, just before
	// it is applied, and returns a mark for Durable (a log position).
	Seal(b *pebble.Batch) (mark uint64)
	// Durable says that the group sealed with mark, of writes writes, is
	// on disk, took long since its first write ran.
	Durable(mark uint64, writes int, took time.Duration)
}

// Config tunes a committer.
type Config struct {
	// MaxGroup bounds the writes in one group; 0 means 256.
	MaxGroup int
	// NoSync applies groups without waiting for their fsync (a raft
	// member, whose log is the durable record).
	NoSync bool
	// Logger receives the failure of a commit; nil means slog.Default().
	Logger *slog.Logger
}

// Committer runs writes on one database in groups.
type Committer[S any] struct {
	db     *pebble.DB
	cfg    Config
	owner  Owner[S]
	failed atomic.Pointer[error]

	// mu guards queue, leading and closed; idle is signalled when the last
	// leader steps down.
	mu      sync.Mutex
	idle    *sync.Cond
	queue   []*request
	leading bool
	closed  bool
	arrived chan struct{} // a write was queued while a leader waits for the slot
	slot    chan struct{} // held from a group's apply until its fsync returned
}

// New returns a committer of writes on db; the caller keeps db and closes
// it after Close.
func New[S any](db *pebble.DB, cfg Config, owner Owner[S]) *Committer[S] {
	if cfg.MaxGroup <= 0 {
		cfg.MaxGroup = 256
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	c := &Committer[S]{db: db, cfg: cfg, owner: owner, arrived: make(chan struct{}, 1), slot: make(chan struct{}, 1)}
	c.idle = sync.NewCond(&c.mu)
	return c
}

type request struct {
	fn      Write
	res     any
	err     error
	wrote   bool          // the write had written to the batch when it failed
	done    chan struct{} // closed once the result is final (durable or refused)
	promote chan struct{} // closed when this request's goroutine must lead the next group
}

// Do runs w and returns its result once the group it belongs to is on
// disk. The calling goroutine may be made the group's leader and run the
// whole group: an idle database commits a lone write with no hand-off to
// another goroutine. A write queued is never abandoned, even when ctx
// ends: its answer says whether it is durable.
func (c *Committer[S]) Do(ctx context.Context, w Write) (any, error) {
	if err := c.Err(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r := &request{fn: w, done: make(chan struct{}), promote: make(chan struct{})}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil, ErrClosed
	}
	c.queue = append(c.queue, r)
	lead := !c.leading
	c.leading = true
	c.mu.Unlock()
	if !lead {
		select {
		case c.arrived <- struct{}{}: // tell a leader waiting for the slot
		default:
		}
		select {
		case <-r.done:
			return r.res, r.err
		case <-r.promote:
		}
	}
	c.lead()
	<-r.done
	return r.res, r.err
}

// Err returns the error that stopped the writes, or nil.
func (c *Committer[S]) Err() error {
	if p := c.failed.Load(); p != nil {
		return *p
	}
	return nil
}

// Close refuses new writes and waits until the last group's fsync has
// returned. It does not close the database.
func (c *Committer[S]) Close() {
	c.mu.Lock()
	c.closed = true
	for c.leading {
		c.idle.Wait()
	}
	c.mu.Unlock()
	c.slot <- struct{}{} // held for good: no group follows
}

// lead runs one group: it takes the queue, runs the writes into a batch,
// keeps taking writes that arrive until the previous group's fsync has
// returned (the slot), applies the batch, hands leadership to the next
// waiting write, then waits for this group's fsync and answers its writes.
func (c *Committer[S]) lead() {
	g := c.newGroup()
	for _, r := range c.take() {
		g.add(r)
	}
collect:
	for len(g.reqs) < c.cfg.MaxGroup {
		select {
		case c.slot <- struct{}{}:
			break collect
		case <-c.arrived:
			for _, r := range c.take() {
				g.add(r)
			}
		}
	}
	if len(g.reqs) >= c.cfg.MaxGroup {
		c.slot <- struct{}{}
	}
	for _, r := range c.take() { // whatever arrived while the slot was taken
		g.add(r)
	}
	p := c.apply(g)
	c.handOver()
	if p != nil {
		c.synced(p)
	}
}

// take removes and returns the queued writes.
func (c *Committer[S]) take() []*request {
	c.mu.Lock()
	defer c.mu.Unlock()
	q := c.queue
	c.queue = nil
	return q
}

// handOver makes the first queued write lead the next group, or marks the
// committer as having no leader.
func (c *Committer[S]) handOver() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.queue) == 0 {
		c.leading = false
		c.idle.Broadcast()
		return
	}
	close(c.queue[0].promote)
}

// group is the writes that will share one batch and one fsync.
type group[S any] struct {
	c     *Committer[S]
	b     *pebble.Batch
	reqs  []*request
	saved S // the owner's state before the group, to roll back
	start time.Time
}

func (c *Committer[S]) newGroup() *group[S] {
	return &group[S]{c: c, b: c.db.NewIndexedBatch(), saved: c.owner.Save(), start: time.Now()}
}

// add runs r into the group's batch. A write that fails after writing is
// answered with its error, and the group is rebuilt without it.
func (g *group[S]) add(r *request) {
	if err := g.c.Err(); err != nil {
		finish([]*request{r}, err)
		return
	}
	g.reqs = append(g.reqs, r)
	if !run(g.b, r) {
		g.rebuild()
	}
}

// rebuild drops the poisoned writes and runs the others again on a fresh
// batch, until none poisons it.
func (g *group[S]) rebuild() {
	for {
		_ = g.b.Close()
		g.c.owner.Restore(g.saved)
		var keep []*request
		for _, r := range g.reqs {
			if r.err != nil && r.wrote {
				finish([]*request{r}, r.err)
				continue
			}
			keep = append(keep, r)
		}
		g.reqs, g.b = keep, g.c.db.NewIndexedBatch()
		if runAll(g.b, g.reqs) < 0 {
			return
		}
	}
}

// run runs one write on b and reports whether the batch is still clean
// (false: the write failed after writing).
func run(b *pebble.Batch, r *request) bool {
	r.res, r.wrote, r.err = r.fn(b)
	return r.err == nil || !r.wrote
}

// runAll runs each write on b. It returns the index of a write that
// failed after writing (the group must be run again without it), or -1.
func runAll(b *pebble.Batch, reqs []*request) int {
	for i, r := range reqs {
		if !run(b, r) {
			return i
		}
	}
	return -1
}

// apply applies the group's batch to Pebble (visible, fsync not yet
// returned) and returns it to wait on, or nil when nothing is left to
// commit (then the slot is released here).
func (c *Committer[S]) apply(g *group[S]) *pending {
	writes := 0
	for _, r := range g.reqs {
		if r.err == nil {
			writes++
		}
	}
	if writes == 0 {
		_ = g.b.Close()
		finish(g.reqs, nil)
		<-c.slot
		return nil
	}
	mark := c.owner.Seal(g.b)
	var err error
	if c.cfg.NoSync {
		err = c.db.Apply(g.b, pebble.NoSync) // SyncWait then returns at once
	} else {
		err = c.db.ApplyNoSyncWait(g.b, pebble.Sync)
	}
	if err != nil {
		_ = g.b.Close()
		c.owner.Restore(g.saved)
		c.fail(g.reqs, err)
		<-c.slot
		return nil
	}
	return &pending{b: g.b, reqs: g.reqs, mark: mark, writes: writes, start: g.start}
}

// pending is a group applied to Pebble whose fsync has not returned yet.
type pending struct {
	b      *pebble.Batch
	reqs   []*request
	mark   uint64
	writes int
	start  time.Time
}

// synced waits for a group's fsync, releases the slot for the next group,
// and answers the group's writers. The slot allows one group in flight, so
// groups become durable in the order they were applied.
func (c *Committer[S]) synced(p *pending) {
	err := p.b.SyncWait()
	_ = p.b.Close()
	if err != nil {
		c.fail(p.reqs, err)
		<-c.slot
		return
	}
	c.owner.Durable(p.mark, p.writes, time.Since(p.start))
	<-c.slot // the next group may go to disk
	finish(p.reqs, nil)
}

// fail stops the writes after a failed commit and answers the group's
// writers with the error.
func (c *Committer[S]) fail(reqs []*request, cause error) {
	err := fmt.Errorf("%w: commit: %w", ErrFailed, cause)
	c.failed.CompareAndSwap(nil, &err)
	c.cfg.Logger.Error("store commit failed; writes refused until restart", "err", err)
	for _, r := range reqs {
		r.res, r.err = nil, err
	}
	finish(reqs, nil)
}

func finish(reqs []*request, err error) {
	for _, r := range reqs {
		if err != nil {
			r.res, r.err = nil, err
		}
		close(r.done)
	}
}
