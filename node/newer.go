package node

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/cockroachdb/pebble/v2"
	"github.com/lumbung/lumbung/catalogue"
	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/schema"
)

// Changes a newer version made (see replication/DESIGN.md, "Versions
// mix"). A change this binary does not understand — an entity kind, an op
// or a body field it does not know — is stored and replicated like any
// other, and its entity's fold shows it without folding it. Its entity is
// indexed under nu/, so that a binary that understands more (a higher
// foldVersion) materialises those entities again when it opens the store:
// the upgrade folds what the node kept, with no resync.

// foldVersion names what this binary's folds understand. Raise it with
// every release that teaches a fold a new op, a new body field or a new
// entity kind. A variable only so that a test can play the next release.
//
//	1  complaints, monografi, catalogue, regions
//	2  sealed reporters: officekey/, sealkey/, identity/, a reporter's "sealed"
var foldVersion uint64 = 2

// understands maps an entity prefix to whether this binary folds a change
// of that entity; an entity kind missing here is not understood at all.
var understands = map[string]func(*schema.Change) bool{
	entityComplaint: (*schema.Change).Understood,
	entityMonografi: monografi.Understood,
	entityCatalogue: catalogue.Understood,
	entityRegions:   catalogue.Understood,
	prefixOfficeKey: opIs(schema.OpOfficeKeySet),
	prefixSealKey:   opIs(schema.OpSealKeySet),
	prefixIdentity:  opIs(schema.OpIdentitySet, schema.OpIdentityErase),
}

// opIs understands a change whose op is one of ops (its body is read as
// it folds, leniently).
func opIs(ops ...schema.Op) func(*schema.Change) bool {
	return func(c *schema.Change) bool { return slices.Contains(ops, c.Op) }
}

// understood reports whether this binary folds everything in c.
func understood(c *schema.Change) bool {
	prefix, _, ok := strings.Cut(c.Entity, "/")
	if !ok {
		return false
	}
	u, ok := understands[prefix+"/"]
	return ok && u(c)
}

// noteNewer indexes c's entity when c is not understood here. A change of
// this node's own origin was made by this binary or an older one: always
// understood, and not decoded again on the intake path.
func (tx *Tx) noteNewer(c *schema.Change) {
	if c.Origin == tx.s.Origin() || understood(c) {
		return
	}
	tx.Set(newerKey(c.Entity), nil)
}

// refold materialises again, once per rise of foldVersion, the entities
// holding changes a previous binary did not understand, and forgets those
// it now understands whole. It runs at open, before any write, as one
// batch with the new foldVersion: a crash leaves it to do again.
func (s *Store) refold() error {
	v, _, err := s.get(keyFoldVersion)
	if err != nil || getU64(v) >= foldVersion {
		return err
	}
	entities, err := s.newerEntities()
	if err != nil {
		return err
	}
	_, err = s.do(context.Background(), func(tx *Tx) (any, error) {
		for _, e := range entities {
			if err := tx.refoldEntity(e); err != nil {
				return nil, err
			}
		}
		tx.Set(keyFoldVersion, u64(foldVersion))
		return nil, tx.err
	})
	if err != nil {
		return fmt.Errorf("node: fold again what a newer version wrote: %w", err)
	}
	if len(entities) > 0 {
		s.cfg.Logger.Info("folded changes this release understands", "entities", len(entities), "fold_version", foldVersion)
	}
	return nil
}

// newerEntities lists the entities indexed under nu/.
func (s *Store) newerEntities() ([]string, error) {
	p := []byte(prefixNewer)
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: p, UpperBound: prefixEnd(p)})
	if err != nil {
		return nil, fmt.Errorf("node: scan %s: %w", prefixNewer, err)
	}
	defer it.Close()
	var out []string
	for it.First(); it.Valid(); it.Next() {
		out = append(out, string(it.Key()[len(p):]))
	}
	return out, it.Error()
}

// refoldEntity materialises entity from all its changes, as if the last
// had just arrived, after unindexing a complaint's old status.
func (tx *Tx) refoldEntity(entity string) error {
	all, err := tx.EntityChanges(entity)
	if err != nil || len(all) == 0 {
		return err
	}
	if old, ok, err := tx.Get(stateKey(entity)); err != nil {
		return err
	} else if ok && strings.HasPrefix(entity, entityComplaint) {
		var c schema.Complaint
		if json.Unmarshal(old, &c) == nil {
			tx.Delete(statusKey(c.Status, c.CreatedWall, c.ID))
		}
	}
	prefix, _, _ := strings.Cut(entity, "/")
	if m, ok := entities[prefix+"/"]; ok {
		u := entityUpdate{change: all[len(all)-1], prior: all[:len(all)-1], all: all}
		if _, err := m(tx, u); err != nil {
			return err
		}
	}
	for _, c := range all {
		if !understood(c) {
			return nil
		}
	}
	tx.Delete(newerKey(entity))
	return nil
}
