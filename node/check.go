package node

import (
	"fmt"
	"strings"

	"github.com/cockroachdb/pebble/v2"
	"github.com/lumbung/lumbung/schema"
)

// CheckReport is what Check found.
type CheckReport struct {
	LogEntries   uint64            `json:"log_entries"`
	Origins      map[string]uint64 `json:"origins"`       // highest sequence per origin
	LocalChanges uint64            `json:"local_changes"` // changes of this node's current origin
	// NotUnderstood counts the changes a newer version made that this
	// binary keeps without folding (see newer.go).
	NotUnderstood uint64 `json:"not_understood"`
}

// Check verifies the store's invariants, reading everything once: every
// log entry names a stored change, no change is in the log twice, log
// positions run 1..N, the sequence numbers of every origin in this node's
// region (its own, and those below it, whose whole logs come up) run
// 1..high without a gap, the local sequence matches what the node will issue next, and
// every change not understood has its entity indexed to fold after an
// upgrade.
func (s *Store) Check() (*CheckReport, error) {
	// One snapshot: on a running node, a group applied while the check
	// reads must be wholly in it or wholly out.
	snap := s.db.NewSnapshot()
	defer snap.Close()
	it, err := snap.NewIter(&pebble.IterOptions{LowerBound: []byte(prefixLog), UpperBound: prefixEnd([]byte(prefixLog))})
	if err != nil {
		return nil, fmt.Errorf("node: check: %w", err)
	}
	defer it.Close()
	rep := &CheckReport{Origins: map[string]uint64{}}
	seen := map[schema.ChangeID]bool{}
	perOrigin := map[string]map[uint64]bool{}
	for it.First(); it.Valid(); it.Next() {
		rep.LogEntries++
		if pos := getU64(it.Key()[len(prefixLog):]); pos != rep.LogEntries {
			return rep, fmt.Errorf("%w: log position %d where %d was expected", ErrCorrupt, pos, rep.LogEntries)
		}
		ref, _ := splitLogValue(it.Value())
		raw, ok, err := getFrom(snap, append([]byte(prefixChange), ref...))
		if err != nil {
			return rep, err
		}
		if !ok {
			return rep, fmt.Errorf("%w: log position %d names a missing change", ErrCorrupt, rep.LogEntries)
		}
		c, err := schema.DecodeChange(raw)
		if err != nil {
			return rep, fmt.Errorf("%w: log position %d: %w", ErrCorrupt, rep.LogEntries, err)
		}
		if seen[c.ID()] {
			return rep, fmt.Errorf("%w: change %s/%d is in the log twice", ErrCorrupt, c.Origin, c.Seq)
		}
		seen[c.ID()] = true
		if err := s.checkNewer(rep, c); err != nil {
			return rep, err
		}
		o := c.Origin.String()
		if perOrigin[o] == nil {
			perOrigin[o] = map[uint64]bool{}
		}
		perOrigin[o][c.Seq] = true
		rep.Origins[o] = max(rep.Origins[o], c.Seq)
	}
	if err := it.Error(); err != nil {
		return rep, fmt.Errorf("node: check: %w", err)
	}
	return rep, s.checkSequences(rep, perOrigin, snap)
}

func (s *Store) checkSequences(rep *CheckReport, perOrigin map[string]map[uint64]bool, snap reader) error {
	for o, seqs := range perOrigin {
		if region, _, _ := strings.Cut(o, "/"); !s.cfg.Region.Contains(schema.Code(region)) {
			continue // from above: only the changes in this node's scope came down
		}
		if uint64(len(seqs)) != rep.Origins[o] {
			return fmt.Errorf("%w: origin %s holds %d changes up to sequence %d: a gap", ErrCorrupt, o, len(seqs), rep.Origins[o])
		}
	}
	pos, _, err := getFrom(snap, keyPos)
	if err != nil {
		return err
	}
	if rep.LogEntries != getU64(pos) {
		return fmt.Errorf("%w: log has %d entries, metadata says %d", ErrCorrupt, rep.LogEntries, getU64(pos))
	}
	rep.LocalChanges = rep.Origins[s.Origin().String()]
	seq, _, err := getFrom(snap, keySeq)
	if err != nil {
		return err
	}
	if getU64(seq) != rep.LocalChanges {
		return fmt.Errorf("%w: local sequence is %d but the log holds %d local changes", ErrCorrupt, getU64(seq), rep.LocalChanges)
	}
	return nil
}

// checkNewer counts c if this binary does not understand it, and fails
// unless its entity is indexed under nu/.
func (s *Store) checkNewer(rep *CheckReport, c *schema.Change) error {
	if understood(c) {
		return nil
	}
	rep.NotUnderstood++
	if _, ok, err := s.get(newerKey(c.Entity)); err != nil || !ok {
		if err == nil {
			err = fmt.Errorf("%w: change %s/%d is not understood and its entity is not indexed", ErrCorrupt, c.Origin, c.Seq)
		}
		return err
	}
	return nil
}
