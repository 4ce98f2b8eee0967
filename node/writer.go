package node

import (
	"bytes"
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

// do runs fn and returns its result once the group it belongs to is
// committed with fsync. Only the write path calls it: a registered kind
// (runLocal, or a raft entry through applyEntry), a refold or a restore.
// Writes that arrive together share one commit (package groupcommit).
func (s *Store) do(ctx context.Context, fn writeFunc) (any, error) {
	return s.gc.Do(ctx, func(b *pebble.Batch) (any, bool, error) {
		tx := &Tx{s: s, b: b}
		res, err := fn(tx)
		if err == nil {
			err = tx.err
		}
		return res, tx.wrote, err
	})
}

// writerState is what a group advances beside the batch: the store's
// sequence, log position and clock, saved before each group and put back
// when the group is run again without a write that failed.
type writerState struct {
	seq, pos uint64
	clock    schema.Clock
}

// committer is the store as package groupcommit's owner of the writer
// state (kept off Store's own methods).
type committer struct{ s *Store }

func (c committer) Save() writerState { return writerState{c.s.seq, c.s.pos, *c.s.clock} }

func (c committer) Restore(w writerState) {
	c.s.seq, c.s.pos, *c.s.clock = w.seq, w.pos, w.clock
	c.s.authDirty, c.s.keysDirty = false, false
}

// Seal records the clock's last reading in the group's batch; the group
// makes the log durable up to the store's position.
func (c committer) Seal(b *pebble.Batch) uint64 {
	last := c.s.clock.Last()
	clk := make([]byte, 12)
	binary.BigEndian.PutUint64(clk, uint64(last.Wall))
	binary.BigEndian.PutUint32(clk[8:], last.Logical)
	_ = b.Set(keyClock, clk, nil)
	mark := c.s.pos
	if c.s.authDirty {
		mark |= authMark
		c.s.authDirty = false
	}
	if c.s.keysDirty {
		mark |= keysMark
		c.s.keysDirty = false
	}
	return mark
}

// authMark, in a group's mark, says the group wrote an account or a
// session: once it is durable, the cached sessions are stale (authGen).
// keysMark says the same of the identity keys (keysGen).
const (
	authMark = 1 << 63
	keysMark = 1 << 62
)

func (c committer) Durable(mark uint64, writes int, took time.Duration) {
	pos := mark &^ (authMark | keysMark)
	if mark&keysMark != 0 {
		c.s.keysGen.Add(1)
		c.s.keysChanged()
	}
	if mark&authMark != 0 {
		c.s.authGen.Add(1)
		if err := c.s.countOfficers(); err != nil {
			c.s.cfg.Logger.Error("cannot count officers", "err", err)
		}
	}
	c.s.durable.Store(pos)
	c.s.signal()
	if c.s.onCommit != nil {
		c.s.onCommit(writes, took)
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
	tx.noteAuth(key)
	if err := tx.b.Set(key, value, nil); err != nil && tx.err == nil {
		tx.err = fmt.Errorf("node: batch set: %w", err)
	}
}

// Delete removes a local-only key.
func (tx *Tx) Delete(key []byte) {
	tx.wrote = true
	tx.noteAuth(key)
	if err := tx.b.Delete(key, nil); err != nil && tx.err == nil {
		tx.err = fmt.Errorf("node: batch delete: %w", err)
	}
}

// noteAuth marks the group as writing an account or a session.
func (tx *Tx) noteAuth(key []byte) {
	if bytes.HasPrefix(key, []byte(prefixOfficer)) || bytes.HasPrefix(key, []byte(prefixSession)) {
		tx.s.authDirty = true
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
