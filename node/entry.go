package node

import (
	"context"
	"fmt"
)

// applyEntry runs the writes of the committed raft entry at index in one
// batch with one fsync, stamping their changes with the entry's wall
// clock, and records index in the same batch. It returns each write's
// error: a write refused by its own checks (it wrote nothing) gets its
// error and the others go on. An entry at or below the recorded index is
// a replay: nothing runs and it returns nil. If a write fails after
// writing (the batch is poisoned), the whole entry is refused: none of
// its writes is kept, each gets the error, and only the index is
// recorded. All of this depends only on the stored state and the entry,
// so every member of a cluster comes to the same state.
func (s *Store) applyEntry(ctx context.Context, index uint64, wall int64, calls []decoded) ([]error, error) {
	errs := make([]error, len(calls))
	replay := false
	_, err := s.do(ctx, func(tx *Tx) (any, error) {
		applied, _, err := tx.Get(keyRaftApplied)
		if err != nil {
			return nil, err
		}
		if index <= getU64(applied) {
			replay = true
			return nil, nil
		}
		for i, c := range calls {
			sub := &Tx{s: tx.s, b: tx.b, wall: wall}
			err := c.run(sub)
			if err == nil {
				err = sub.err
			}
			tx.wrote = tx.wrote || sub.wrote
			if err != nil && sub.wrote {
				return nil, fmt.Errorf("node: raft entry %d, write %d: %w", index, i, err)
			}
			errs[i] = err
		}
		tx.Set(keyRaftApplied, u64(index))
		return nil, nil
	})
	if replay {
		return nil, nil
	}
	if err == nil {
		return errs, nil
	}
	if s.Err() != nil {
		return nil, err // the store failed: the caller must stop
	}
	for i := range errs {
		errs[i] = err
	}
	_, rerr := s.do(ctx, func(tx *Tx) (any, error) {
		tx.Set(keyRaftApplied, u64(index))
		return nil, nil
	})
	return errs, rerr
}
