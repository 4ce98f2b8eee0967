package node

import (
	"context"
	"fmt"
)

// Outcome is one write's result within a raft entry.
type Outcome struct {
	Value any
	Err   error
}

// ApplyEntry runs the writes of the committed raft entry at index in one
// batch with one fsync, stamping their changes with the entry's wall
// clock, and records index in the same batch. A write refused by its own
// checks (it wrote nothing) gets its error in its Outcome and the others
// go on. An entry at or below the recorded index is a replay: nothing runs
// and it returns nil. If a write fails after writing (the batch is
// poisoned), the whole entry is refused: none of its writes is kept, each
// Outcome carries the error, and only the index is recorded. All of this
// depends only on the stored state and the entry, so every member of a
// cluster comes to the same state.
func (s *Store) ApplyEntry(ctx context.Context, index uint64, wall int64, fns []WriteFunc) ([]Outcome, error) {
	outs := make([]Outcome, len(fns))
	replay := false
	_, err := s.Do(ctx, func(tx *Tx) (any, error) {
		applied, _, err := tx.Get(keyRaftApplied)
		if err != nil {
			return nil, err
		}
		if index <= getU64(applied) {
			replay = true
			return nil, nil
		}
		for i, fn := range fns {
			sub := &Tx{s: tx.s, b: tx.b, wall: wall}
			v, err := fn(sub)
			if err == nil {
				err = sub.err
			}
			tx.wrote = tx.wrote || sub.wrote
			if err != nil && sub.wrote {
				return nil, fmt.Errorf("node: raft entry %d, write %d: %w", index, i, err)
			}
			outs[i] = Outcome{Value: v, Err: err}
		}
		tx.Set(keyRaftApplied, u64(index))
		return nil, nil
	})
	if replay {
		return nil, nil
	}
	if err == nil {
		return outs, nil
	}
	if s.Err() != nil {
		return nil, err // the store failed: the caller must stop
	}
	for i := range outs {
		outs[i] = Outcome{Err: err}
	}
	_, rerr := s.Do(ctx, func(tx *Tx) (any, error) {
		tx.Set(keyRaftApplied, u64(index))
		return nil, nil
	})
	return outs, rerr
}
