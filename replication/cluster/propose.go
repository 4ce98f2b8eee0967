package cluster

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/hashicorp/raft"
)

// Result is a committed command's answer from the state machine, and the
// raft index of the entry that carried it.
type Result struct {
	Index uint64
	Data  []byte
}

// errRetry means the command was certainly not handed to raft (the member
// asked was not the leader, or could not be dialled): it may be sent again.
var errRetry = errors.New("cluster: not leader, retry")

// Propose replicates cmd and returns the state machine's result once the
// entry holding it is committed and applied on the leader. On a follower
// it forwards cmd to the leader, then waits (briefly) until this member
// has applied it too, so the caller's next local read sees it. It retries
// while there is no leader, until ctx ends. ErrUnknownOutcome means cmd
// may or may not have been applied.
func (c *Cluster) Propose(ctx context.Context, cmd []byte) (Result, error) {
	for {
		var res Result
		err := errRetry
		if c.IsLeader() {
			res, err = c.batch.submit(ctx, cmd)
		} else if addr, id := c.leader(); id != "" && id != c.cfg.ID {
			res, err = c.forward(ctx, addr, cmd)
			if err == nil {
				wctx, cancel := context.WithTimeout(ctx, 2*time.Second)
				_ = c.WaitApplied(wctx, res.Index) // committed already; waiting only helps the next read
				cancel()
			}
		}
		if !errors.Is(err, errRetry) {
			return res, err
		}
		if err := c.pause(ctx); err != nil {
			return Result{}, fmt.Errorf("%w: %w", ErrNoLeader, err)
		}
	}
}

// ReadIndex returns an index such that a member whose state has applied
// it reflects every write acknowledged before ReadIndex was called. The
// leader proves it still leads by committing a barrier entry; a follower
// asks the leader.
func (c *Cluster) ReadIndex(ctx context.Context) (uint64, error) {
	for {
		var idx uint64
		err := errRetry
		if c.IsLeader() {
			idx, err = c.barrier(ctx)
		} else if addr, id := c.leader(); id != "" && id != c.cfg.ID {
			idx, err = c.remoteReadIndex(ctx, addr)
		}
		if !errors.Is(err, errRetry) {
			return idx, err
		}
		if err := c.pause(ctx); err != nil {
			return 0, fmt.Errorf("%w: %w", ErrNoLeader, err)
		}
	}
}

// barrier proves this member still leads and returns an index its state
// machine has applied that reflects every write committed before the
// call. Concurrent callers share rounds: a round's raft barrier starts
// after every caller it answers has called, so each gets an index at
// least as new as its call, and a busy member writes one barrier entry
// per round instead of one per read (every request of a logged-in
// officer reads this way, to see a revocation made at another member).
func (c *Cluster) barrier(ctx context.Context) (uint64, error) {
	r := c.reads.join(c)
	select {
	case <-r.done:
		return r.idx, r.err
	case <-ctx.Done():
		return 0, fmt.Errorf("cluster: barrier: %w", ctx.Err())
	}
}

// readRounds groups read barriers: at most one in flight, and the next
// one gathers every caller that arrives meanwhile.
type readRounds struct {
	mu      sync.Mutex
	next    *readRound
	running bool
	closed  bool           // no round starts any more
	wg      sync.WaitGroup // the running round's goroutine
}

// wait stops rounds from starting and returns once none is running.
func (b *readRounds) wait() {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	b.wg.Wait()
}

// readRound is one barrier and the callers waiting on it.
type readRound struct {
	done chan struct{}
	idx  uint64
	err  error
}

// barrierTimeout bounds one shared barrier; a caller stops waiting at its
// own deadline.
const barrierTimeout = 10 * time.Second

func (b *readRounds) join(c *Cluster) *readRound {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		r := &readRound{done: make(chan struct{}), err: ErrShutdown}
		close(r.done)
		return r
	}
	if b.next == nil {
		b.next = &readRound{done: make(chan struct{})}
	}
	r := b.next
	if !b.running {
		b.running = true
		b.wg.Add(1)
		go b.run(c)
	}
	return r
}

// run takes rounds until none is waiting.
func (b *readRounds) run(c *Cluster) {
	defer b.wg.Done()
	for {
		b.mu.Lock()
		r := b.next
		b.next = nil
		if r == nil {
			b.running = false
			b.mu.Unlock()
			return
		}
		b.mu.Unlock()
		select {
		case <-c.stopped: // no new barrier once Close began
			r.err = ErrShutdown
		default:
			r.idx, r.err = c.raftBarrier()
		}
		close(r.done)
	}
}

func (c *Cluster) raftBarrier() (uint64, error) {
	if err := c.raft.Barrier(barrierTimeout).Error(); err != nil {
		if errors.Is(err, raft.ErrNotLeader) || errors.Is(err, raft.ErrLeadershipLost) {
			return 0, errRetry
		}
		return 0, fmt.Errorf("cluster: barrier: %w", err)
	}
	idx, _ := c.fsm.appliedIndex()
	return idx, nil
}

// WaitApplied waits until this member's state machine has applied index.
func (c *Cluster) WaitApplied(ctx context.Context, index uint64) error {
	for {
		applied, changed := c.fsm.appliedIndex()
		if applied >= index {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("cluster: wait for index %d (at %d): %w", index, applied, ctx.Err())
		case <-c.stopped:
			return ErrShutdown
		}
	}
}

// Consistent returns once this member's state reflects every write
// acknowledged before the call: a read made after it is linearizable.
func (c *Cluster) Consistent(ctx context.Context) error {
	idx, err := c.ReadIndex(ctx)
	if err != nil {
		return err
	}
	return c.WaitApplied(ctx, idx)
}

// batcher groups the commands proposed at the leader into raft entries:
// while up to InFlight entries are being committed, new commands gather,
// and the next entry takes all of them (up to MaxEntryBytes).
type batcher struct {
	c     *Cluster
	mu    sync.Mutex
	queue []*proposal
	wake  chan struct{}
	slots chan struct{}
	wg    sync.WaitGroup
}

type proposal struct {
	cmd  []byte
	res  Result
	err  error
	done chan struct{}
}

func newBatcher(c *Cluster) *batcher {
	b := &batcher{c: c, wake: make(chan struct{}, 1), slots: make(chan struct{}, c.cfg.Settings.InFlight)}
	b.wg.Add(1)
	go b.loop()
	return b
}

// submit queues cmd for the next entry and waits for its result.
func (b *batcher) submit(ctx context.Context, cmd []byte) (Result, error) {
	p := &proposal{cmd: cmd, done: make(chan struct{})}
	b.mu.Lock()
	b.queue = append(b.queue, p)
	b.mu.Unlock()
	select {
	case b.wake <- struct{}{}:
	default:
	}
	select {
	case <-p.done:
		return p.res, p.err
	case <-ctx.Done():
		return Result{}, fmt.Errorf("%w: %w", ErrUnknownOutcome, ctx.Err())
	}
}

func (b *batcher) loop() {
	defer b.wg.Done()
	for {
		select {
		case <-b.wake:
		case <-b.c.stopped:
			answer(b.take(0), Result{}, ErrShutdown)
			return
		}
		for {
			select {
			case b.slots <- struct{}{}:
			case <-b.c.stopped:
				answer(b.take(0), Result{}, ErrShutdown)
				return
			}
			group := b.take(b.c.cfg.Settings.MaxEntryBytes)
			if len(group) == 0 {
				<-b.slots
				break
			}
			b.apply(group)
		}
	}
}

// take removes queued proposals up to max bytes of commands (always at
// least one; 0 means all).
func (b *batcher) take(max int) []*proposal {
	b.mu.Lock()
	defer b.mu.Unlock()
	n, size := 0, 0
	for n < len(b.queue) && (max == 0 || n == 0 || size+len(b.queue[n].cmd) <= max) {
		size += len(b.queue[n].cmd)
		n++
	}
	group := b.queue[:n:n]
	b.queue = b.queue[n:]
	return group
}

// apply hands one group to raft as one entry; the answer comes back on
// another goroutine, which frees the slot.
func (b *batcher) apply(group []*proposal) {
	e := &entry{wall: b.c.wall(), cmds: make([][]byte, len(group))}
	for i, p := range group {
		e.cmds[i] = p.cmd
	}
	f := b.c.raft.Apply(e.encode(), 0)
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		err := f.Error()
		<-b.slots
		switch {
		case errors.Is(err, raft.ErrNotLeader):
			answer(group, Result{}, errRetry) // never appended: safe to send again
		case err != nil:
			answer(group, Result{}, fmt.Errorf("%w: %w", ErrUnknownOutcome, err))
		default:
			resp, _ := f.Response().(*response)
			if resp == nil || resp.err != nil || len(resp.results) != len(group) {
				answer(group, Result{}, fmt.Errorf("cluster: entry %d refused: %v", f.Index(), resp))
				return
			}
			for i, p := range group {
				p.res = Result{Index: f.Index(), Data: resp.results[i]}
				close(p.done)
			}
		}
	}()
}

func answer(group []*proposal, res Result, err error) {
	for _, p := range group {
		p.res, p.err = res, err
		close(p.done)
	}
}

// wait returns once every entry handed to raft has been answered.
func (b *batcher) wait() { b.wg.Wait() }
