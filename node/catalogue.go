package node

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/cockroachdb/pebble/v2"
	"github.com/lumbung/lumbung/catalogue"
	"github.com/lumbung/lumbung/schema"
)

// catMemo keeps the effective catalogues built, by region and catalogue
// version (keyCatalogueVer), so that reading one costs one point read. It
// is emptied when the store is loaded or replaced, since a replaced store
// may reuse a version number for other content.
type catMemo struct {
	byKey map[catKey]*catalogue.Effective
	gen   uint64 // moves on when emptied: a build begun before is not kept
}

type catKey struct {
	region schema.Code
	ver    uint64
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

// catalogueFrom reads the catalogue in effect from r: a committed store,
// a snapshot or a write's batch, whose version it keys the memo by.
func (s *Store) catalogueFrom(r reader, region schema.Code) (*catalogue.Effective, error) {
	s.catMu.Lock()
	gen := s.cats.gen // before the read, as with the aggregates
	s.catMu.Unlock()
	raw, _, err := getFrom(r, keyCatalogueVer)
	if err != nil {
		return nil, err
	}
	key := catKey{region: region, ver: getU64(raw)}
	s.catMu.Lock()
	e, ok := s.cats.byKey[key]
	ok = ok && s.cats.gen == gen
	s.catMu.Unlock()
	if ok {
		return e, nil
	}
	var exts []*catalogue.Extension
	for _, a := range extensionLine(region) {
		var x catalogue.Extension
		found, err := getJSONFrom(r, stateKey(catalogue.Entity(a)), &x)
		if err != nil {
			return nil, fmt.Errorf("node: stored extension of %s: %w", a, err)
		}
		if found {
			exts = append(exts, &x)
		}
	}
	e = catalogue.NewEffective(exts...)
	if _, inWrite := r.(*pebble.Batch); inWrite {
		// A write's batch may hold an extension not yet committed, which
		// a failed write would drop: remember only what is committed.
		committed, _, err := getFrom(s.db, keyCatalogueVer)
		if err != nil || getU64(committed) != key.ver {
			return e, nil
		}
	}
	s.catMu.Lock()
	defer s.catMu.Unlock()
	if s.cats.gen != gen {
		return e, nil // the store was replaced while this was built
	}
	if s.cats.byKey == nil || len(s.cats.byKey) >= maxCatMemo {
		s.cats.byKey = map[catKey]*catalogue.Effective{}
	}
	s.cats.byKey[key] = e
	return e, nil
}

// forgetCatalogues empties the memo (the store was loaded or replaced).
func (s *Store) forgetCatalogues() {
	s.catMu.Lock()
	s.cats.byKey = nil
	s.cats.gen++
	s.catMu.Unlock()
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
func materialiseCatalogue(tx *Tx, u entityUpdate) (any, error) {
	entity := u.change.Entity
	region, ok := catalogue.ParseEntity(entity)
	if !ok {
		return nil, nil // not an entity this version can fold: kept, not folded
	}
	x := catalogue.Fold(region, u.all)
	state, err := json.Marshal(x)
	if err != nil {
		return nil, fmt.Errorf("node: encode %s: %w", entity, err)
	}
	tx.Set(stateKey(entity), state)
	if err := bumpVersion(tx.b, keyCatalogueVer); err != nil {
		return nil, fmt.Errorf("node: catalogue version: %w", err)
	}
	return x, nil
}

// catalogueWrite is a catalogue.set command: what it adds to the
// catalogue of the node's region.
type catalogueWrite struct {
	Officer   string          `json:"officer,omitempty"`
	Catalogue *catalogue.Body `json:"catalogue,omitempty"`
}

// kindCatalogueSet adds to or amends the catalogue of the node's region.
var kindCatalogueSet = register(&Kind[catalogueWrite, *catalogue.Extension]{
	Name: "catalogue.set", Version: 1, Entity: entityCatalogue, Result: "extension",
	Check: func(in *catalogueWrite) error {
		if in.Catalogue == nil {
			return fmt.Errorf("%w: no catalogue extension", schema.ErrInvalid)
		}
		return schema.CheckOfficer(in.Officer)
	},
	Run: extendCatalogue,
})

// ExtendCatalogue adds to or amends the catalogue of the node's region and
// everything below it. It returns the region's extension.
func (n *Node) ExtendCatalogue(ctx context.Context, officer string, b *catalogue.Body) (*catalogue.Extension, error) {
	return exec(ctx, n, kindCatalogueSet, catalogueWrite{Officer: officer, Catalogue: b})
}

func extendCatalogue(tx *Tx, in *catalogueWrite) (*catalogue.Extension, error) {
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
	if err := in.Catalogue.Check(catalogue.Fold(region, prior)); err != nil {
		return nil, err
	}
	return appendState[*catalogue.Extension](tx, actor(in.Officer), entity, region, schema.OpCatalogueSet, in.Catalogue, prior)
}
