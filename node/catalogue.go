package node

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/lumbung/lumbung/catalogue"
	"github.com/lumbung/lumbung/schema"
)

// ErrNotAbove means reference data (a catalogue extension, a region list)
// was to be published by a desa node: only a node above the desa
// publishes it, for its own region.
var ErrNotAbove = errors.New("node: only a node above the desa publishes reference data")

// catMemo keeps the effective catalogues built, keyed by the stored
// extensions they came from, so that reading one costs a few point reads.
type catMemo struct {
	byKey map[string]*catalogue.Effective
}

const maxCatMemo = 64

// Catalogue returns the catalogue in effect at region: the built-in one,
// extended by every region above it (and region itself, above the desa)
// whose extension this node holds.
func (s *Store) Catalogue(region schema.Code) (*catalogue.Effective, error) {
	return s.catalogueFrom(s.db, region)
}

func (tx *Tx) catalogue(region schema.Code) (*catalogue.Effective, error) {
	return tx.s.catalogueFrom(tx.b, region)
}

func (s *Store) catalogueFrom(r reader, region schema.Code) (*catalogue.Effective, error) {
	line := extensionLine(region)
	raws := make([][]byte, len(line))
	var key []byte
	for i, a := range line {
		raw, _, err := getFrom(r, stateKey(catalogue.Entity(a)))
		if err != nil {
			return nil, err
		}
		raws[i] = raw
		key = append(append(key, raw...), 0)
	}
	s.catMu.Lock()
	defer s.catMu.Unlock()
	if e, ok := s.cats.byKey[string(key)]; ok {
		return e, nil
	}
	var exts []*catalogue.Extension
	for i, raw := range raws {
		if raw == nil {
			continue
		}
		var x catalogue.Extension
		if err := json.Unmarshal(raw, &x); err != nil {
			return nil, fmt.Errorf("node: stored extension of %s: %w", line[i], err)
		}
		exts = append(exts, &x)
	}
	e := catalogue.NewEffective(exts...)
	if s.cats.byKey == nil || len(s.cats.byKey) >= maxCatMemo {
		s.cats.byKey = map[string]*catalogue.Effective{}
	}
	s.cats.byKey[string(key)] = e
	return e, nil
}

// extensionLine lists the regions whose extensions apply at region,
// outermost first: those above it, and region itself above the desa.
func extensionLine(region schema.Code) []schema.Code {
	var line []schema.Code
	for r := region; r != ""; r = r.Parent() {
		if r.Level() < schema.LevelDesa {
			line = append(line, r)
		}
	}
	slices.Reverse(line)
	return line
}

// materialiseCatalogue folds a region's extension and stores it.
func (tx *Tx) materialiseCatalogue(entity string, all []*schema.Change) (any, error) {
	region, ok := catalogue.ParseEntity(entity)
	if !ok {
		return nil, nil // not an entity this version can fold: kept, not folded
	}
	x := catalogue.Fold(region, all)
	state, err := json.Marshal(x)
	if err != nil {
		return nil, fmt.Errorf("node: encode %s: %w", entity, err)
	}
	tx.Set(stateKey(entity), state)
	return x, nil
}

// ExtendCatalogue adds to or amends the catalogue of the node's region and
// everything below it. It returns the region's extension.
func (n *Node) ExtendCatalogue(ctx context.Context, officer string, b *catalogue.Body) (*catalogue.Extension, error) {
	res, err := n.Exec(ctx, &Write{Kind: WriteCatalogueSet, Officer: officer, Catalogue: b})
	if err != nil {
		return nil, err
	}
	x, ok := res.(*catalogue.Extension)
	if !ok {
		return nil, fmt.Errorf("node: catalogue write gave %T", res)
	}
	return x, nil
}

func extendCatalogue(officer string, b *catalogue.Body) WriteFunc {
	return func(tx *Tx) (any, error) {
		region := tx.s.cfg.Region
		if region.Level() >= schema.LevelDesa {
			return nil, ErrNotAbove
		}
		entity := catalogue.Entity(region)
		prior, err := tx.EntityChanges(entity)
		if err != nil {
			return nil, err
		}
		if prior == nil {
			prior = []*schema.Change{}
		}
		if err := b.Check(catalogue.Fold(region, prior)); err != nil {
			return nil, err
		}
		_, state, err := tx.Append(actor(officer), entity, region, schema.OpCatalogueSet, b, prior)
		return state, err
	}
}
