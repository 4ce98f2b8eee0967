package node

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"hash"
	"maps"
	"slices"

	"github.com/cockroachdb/pebble/v2"
	"github.com/lumbung/lumbung/schema"
)

// ApplyChanges stores changes written elsewhere in the store of a stopped
// desa node (a test corpus, a tool). Every change is checked first: one
// malformed change refuses the whole call and nothing is written. A
// change the node already holds (same origin and sequence) is skipped, so
// redelivery has no effect. It returns how many changes were new. A
// cluster member's store refuses it: raft writes it (kindChanges).
func (s *Store) ApplyChanges(ctx context.Context, changes []*schema.Change) (int, error) {
	return runLocal(ctx, s, kindChanges, changesWrite{Changes: changes})
}

// ImportChanges stores changes written elsewhere through this node's
// write path (raft on a cluster member), as ApplyChanges does on a stopped
// desa store: a tool's, or a test's, way to play another node, such as a
// newer release. They replicate from here by their scope like any other.
func (n *Node) ImportChanges(ctx context.Context, changes []*schema.Change) (int, error) {
	return exec(ctx, n, kindChanges, changesWrite{Changes: changes})
}

// applyRemote stores the changes not held yet, noting where they came from
// (see apply), and returns how many were new.
func (tx *Tx) applyRemote(changes []*schema.Change, from string) (int, error) {
	added := 0
	for _, c := range changes {
		_, held, err := tx.Get(changeKey(c.ID()))
		if err != nil {
			return added, err
		}
		if held {
			continue
		}
		tx.observe(c.HLC)
		high, _, err := tx.Get(highKey(c.Origin))
		if err != nil {
			return added, err
		}
		if c.Seq > getU64(high) {
			tx.Set(highKey(c.Origin), u64(c.Seq))
		}
		if _, err := tx.apply(c, nil, nil, from); err != nil {
			return added, err
		}
		added++
	}
	return added, nil
}

// RaftApplied returns the raft index last recorded (applyEntry); 0 while a Replace has not completed.
func (s *Store) RaftApplied() (uint64, error) {
	if _, restoring, err := s.get(keyRestoring); err != nil || restoring {
		return 0, err
	}
	v, _, err := s.get(keyRaftApplied)
	return getU64(v), err
}

// LogRange returns the changes in the node's log after position after, in
// log order, at most limit of them, never past DurablePos; and the
// position of the last one returned (after, when none).
func (s *Store) LogRange(after uint64, limit int) ([]*schema.Change, uint64, error) {
	end := s.DurablePos()
	if after >= end {
		return nil, after, nil
	}
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: logKey(after + 1), UpperBound: logKey(end + 1)})
	if err != nil {
		return nil, after, fmt.Errorf("node: read log: %w", err)
	}
	defer it.Close()
	var out []*schema.Change
	pos := after
	for it.First(); it.Valid() && len(out) < limit; it.Next() {
		ref, _ := splitLogValue(it.Value())
		raw, ok, err := s.get(append([]byte(prefixChange), ref...))
		if err != nil {
			return nil, after, err
		}
		if !ok {
			return nil, after, fmt.Errorf("%w: log names a missing change", ErrCorrupt)
		}
		c, err := schema.DecodeChange(raw)
		if err != nil {
			return nil, after, fmt.Errorf("%w: %w", ErrCorrupt, err)
		}
		out = append(out, c)
		pos = getU64(it.Key()[len(prefixLog):])
	}
	return out, pos, it.Error()
}

// StateDigest hashes the replicated state: every materialised entity.
// Two nodes that hold the same changes have the same digest, whatever the
// order in which the changes arrived. Local-only records (anonymous
// reporters' identity) and the node's own log order are not part of it.
func (s *Store) StateDigest() ([32]byte, error) {
	p := []byte(prefixState)
	return s.digest(&pebble.IterOptions{LowerBound: p, UpperBound: prefixEnd(p)})
}

// Digest hashes every key and value the store holds but the audit trail
// and the raft index applied (on a cluster, it moves on with the trail's
// entries too): two equal digests mean the store's data is byte for byte
// the same (tests use it to show that a refused write touched nothing;
// the trail records that it was tried).
func (s *Store) Digest() ([32]byte, error) {
	return s.digest(&pebble.IterOptions{SkipPoint: func(k []byte) bool {
		return bytes.HasPrefix(k, []byte(prefixAudit)) || bytes.Equal(k, keyRaftApplied)
	}})
}

// ScopeDigests hashes what a node holds of each scope at one level (every
// desa, or every kecamatan): the identity of every change whose scope lies
// within it, and the materialised state of every entity those changes
// touch. Replicas at different tiers hold the same changes of a desa, so
// their digests for that desa are equal once they have converged, though
// each holds other scopes besides. Changes scoped above the level
// (reference data from above) are in none of them.
func (s *Store) ScopeDigests(level schema.Level) (map[schema.Code][32]byte, error) {
	p := []byte(prefixChange)
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: p, UpperBound: prefixEnd(p)})
	if err != nil {
		return nil, fmt.Errorf("node: scope digest: %w", err)
	}
	defer it.Close()
	hashes := map[schema.Code]hash.Hash{}
	entities := map[schema.Code]map[string]bool{}
	for it.First(); it.Valid(); it.Next() {
		c, err := schema.DecodeChange(it.Value())
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrCorrupt, err)
		}
		scope := c.Scope
		for scope.Level() > level {
			scope = scope.Parent()
		}
		if scope.Level() != level {
			continue
		}
		h := hashes[scope]
		if h == nil {
			h, entities[scope] = sha256.New(), map[string]bool{}
			hashes[scope] = h
		}
		h.Write(it.Key())
		h.Write([]byte{0})
		entities[scope][c.Entity] = true
	}
	if err := it.Error(); err != nil {
		return nil, fmt.Errorf("node: scope digest: %w", err)
	}
	out := make(map[schema.Code][32]byte, len(hashes))
	for scope, h := range hashes {
		for _, e := range slices.Sorted(maps.Keys(entities[scope])) {
			v, _, err := s.get(stateKey(e))
			if err != nil {
				return nil, err
			}
			h.Write([]byte(e))
			h.Write([]byte{0})
			h.Write(v)
			h.Write([]byte{0})
		}
		var d [32]byte
		copy(d[:], h.Sum(nil))
		out[scope] = d
	}
	return out, nil
}

// digest hashes every key and value the iterator options select.
func (s *Store) digest(o *pebble.IterOptions) ([32]byte, error) {
	it, err := s.db.NewIter(o)
	if err != nil {
		return [32]byte{}, fmt.Errorf("node: digest: %w", err)
	}
	defer it.Close()
	h := sha256.New()
	for it.First(); it.Valid(); it.Next() {
		h.Write(it.Key())
		h.Write([]byte{0})
		h.Write(it.Value())
		h.Write([]byte{0})
	}
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out, it.Error()
}
