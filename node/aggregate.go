package node

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cockroachdb/pebble/v2"
	"github.com/lumbung/lumbung/catalogue"
	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/schema"
)

// aggKey names the aggregates of one period over the documents of one
// region (the node's own).
type aggKey struct {
	scope  schema.Code
	period monografi.Period
}

// periodAgg is a period's aggregator and the log position it has seen.
type periodAgg struct {
	a      *monografi.Aggregator
	cat    *catalogue.Effective
	regver uint64
	pos    uint64
	gen    uint64
}

// MonografiAggregate returns the monografi of a region above the desa for
// a period: the approved figures of the desa below it that this node
// holds, combined by each indicator's rule, with completeness against the
// imported region list (expected is 0 when no list was imported), by the
// rules of the catalogue in effect at the node's region: an extension
// that arrives makes the aggregates start again, so values entered for
// an indicator the node did not know yet count from then on.
//
// The first request for a period builds its aggregates from scratch; each
// later one reads only the log written since, refolds nothing, and
// updates the aggregates of the desa whose documents changed
// (monografi.Aggregator.Update). Reads see one Pebble snapshot, so the
// log position and the documents agree.
func (s *Store) MonografiAggregate(region schema.Code, p monografi.Period) (*monografi.Aggregate, error) {
	s.aggMu.Lock()
	defer s.aggMu.Unlock()
	// The generation is read before the snapshot: a store replaced in
	// between is seen as a new generation by the next request.
	gen := s.aggGen.Load()
	snap := s.db.NewSnapshot()
	defer snap.Close()
	rawPos, _, err := getFrom(snap, keyPos)
	if err != nil {
		return nil, err
	}
	pos, key := getU64(rawPos), aggKey{scope: s.cfg.Region, period: p}
	cat, err := s.catalogueFrom(snap, key.scope)
	if err != nil {
		return nil, err
	}
	rawVer, _, err := getFrom(snap, keyRegionsVer)
	if err != nil {
		return nil, err
	}
	regver := getU64(rawVer)
	pa := s.aggs[key]
	switch {
	case pa == nil || pa.gen != gen || pos < pa.pos || pa.cat != cat || pa.regver != regver:
		if pa, err = s.buildAggregate(snap, key, cat, pos, gen); err != nil {
			return nil, err
		}
		pa.regver = regver
		if s.aggs == nil {
			s.aggs = map[aggKey]*periodAgg{}
		}
		s.aggs[key] = pa
	case pos > pa.pos:
		if err := updateAggregate(snap, pa, p, pos); err != nil {
			return nil, err
		}
	}
	return pa.a.Get(region), nil
}

func (s *Store) buildAggregate(snap *pebble.Snapshot, key aggKey, cat *catalogue.Effective, pos, gen uint64) (*periodAgg, error) {
	docs, err := monografiDocs(snap, key.scope, key.period)
	if err != nil {
		return nil, err
	}
	regions, err := regionCodes(snap)
	if err != nil {
		return nil, err
	}
	a := monografi.NewAggregator(cat.Catalogue, monografi.NewTree(regions), key.period, slices.Values(docs))
	return &periodAgg{a: a, cat: cat, pos: pos, gen: gen}, nil
}

// updateAggregate brings pa from its position to pos: it reads the log in
// between, and updates each desa document of the period it names once.
func updateAggregate(snap *pebble.Snapshot, pa *periodAgg, p monografi.Period, pos uint64) error {
	it, err := snap.NewIter(&pebble.IterOptions{LowerBound: logKey(pa.pos + 1), UpperBound: logKey(pos + 1)})
	if err != nil {
		return fmt.Errorf("node: read log for aggregates: %w", err)
	}
	defer it.Close()
	seen := map[string]bool{}
	suffix := "/" + string(p)
	for it.First(); it.Valid(); it.Next() {
		ref, _ := splitLogValue(it.Value())
		raw, ok, err := getFrom(snap, append([]byte(prefixChange), ref...))
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("node: the log names a missing change")
		}
		c, err := schema.DecodeChange(raw)
		if err != nil {
			return fmt.Errorf("node: stored change: %w", err)
		}
		if seen[c.Entity] || !strings.HasPrefix(c.Entity, "monografi/") || !strings.HasSuffix(c.Entity, suffix) {
			continue
		}
		seen[c.Entity] = true
		var d monografi.Document
		found, err := getJSONFrom(snap, stateKey(c.Entity), &d)
		if err != nil {
			return err
		}
		if !found {
			continue // not foldable by this version
		}
		pa.a.Update(&d)
	}
	if err := it.Error(); err != nil {
		return err
	}
	pa.pos = pos
	return nil
}

// regionCodes reads the imported region list.
func regionCodes(r iterable) ([]schema.Code, error) {
	p := []byte(prefixRegList)
	it, err := r.NewIter(&pebble.IterOptions{LowerBound: p, UpperBound: prefixEnd(p)})
	if err != nil {
		return nil, fmt.Errorf("node: read region list: %w", err)
	}
	defer it.Close()
	var out []schema.Code
	for it.First(); it.Valid(); it.Next() {
		out = append(out, schema.Code(it.Key()[len(p):]))
	}
	return out, it.Error()
}
