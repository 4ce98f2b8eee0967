package node

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/schema"
)

// apply stores a change the node does not hold yet: the change itself,
// its place in the log, the entity and scope indexes, and the entity's new
// materialised state, which it returns. prior holds the entity's changes
// already stored when the caller has read them (nil: apply reads them).
// Local writes and (later) changes received from peers take this path;
// the caller keeps the per-origin high-water mark. body, when not nil, is
// c's body before encoding, which spares a local create decoding it again.
//
// from names where a remote change came from, kept in its log entry: the
// region of the link below it came up, or fromUpstream. Local changes
// have none. The uplink never sends back what came from upstream, and a
// downlink never returns a change to the link it came up.
func (tx *Tx) apply(c *schema.Change, prior []*schema.Change, body any, from string) (any, error) {
	id := c.ID()
	tx.s.pos++
	pos := tx.s.pos
	enc := schema.EncodeChange
	if body != nil {
		enc = schema.EncodeMarshalled // Append made c.Body with json.Marshal
	}
	tx.Set(changeKey(id), enc(c))
	tx.Set(logKey(pos), append(changeRef(id), from...))
	tx.Set(entityKey(c.Entity, id), nil)
	tx.Set(scopeKey(c.Scope, pos), nil)
	tx.Set(keyPos, u64(pos))
	tx.noteNewer(c)
	if prior == nil {
		var err error
		if prior, err = tx.EntityChanges(c.Entity); err != nil {
			return nil, err
		}
	}
	all := append(append(make([]*schema.Change, 0, len(prior)+1), prior...), c)
	prefix, _, found := strings.Cut(c.Entity, "/")
	if m, ok := entities[prefix+"/"]; ok && found {
		return m(tx, entityUpdate{change: c, prior: prior, all: all, body: body})
	}
	return nil, nil // an entity kind this version does not know: kept, not folded
}

// entityUpdate is what a materialiser gets: the new change, the entity's
// changes before it and with it, and the change's body before encoding
// when it was written here (nil otherwise).
type entityUpdate struct {
	change     *schema.Change
	prior, all []*schema.Change
	body       any
}

// materialiser folds an entity from its changes and writes its state
// (and its indexes) in tx, returning the state. An entity it cannot fold
// (a name this version does not parse) is kept, not folded: nil, nil.
type materialiser func(tx *Tx, u entityUpdate) (any, error)

// entities maps an entity prefix ("complaint/") to its materialiser. It
// is filled at package init (registerEntity) and only read afterwards.
var entities = map[string]materialiser{}

// registerEntity registers the materialiser of the entities whose names
// start with prefix, up to and including its first "/".
func registerEntity(prefix string, m materialiser) string {
	if _, dup := entities[prefix]; dup || strings.Count(prefix, "/") != 1 || !strings.HasSuffix(prefix, "/") {
		panic("node: bad or duplicate entity prefix: " + prefix)
	}
	entities[prefix] = m
	return prefix
}

// Entity prefixes and their materialisers.
var (
	entityComplaint = registerEntity("complaint/", materialiseComplaint)
	entityMonografi = registerEntity("monografi/", materialiseMonografi)
	entityCatalogue = registerEntity("catalogue/", materialiseCatalogue)
	entityRegions   = registerEntity("regions/", materialiseRegions)
)

// materialiseComplaint folds the complaint from all its changes, writes
// its state and moves its status index entry from what prior gave.
// A create written here is not folded: its state is built from its body.
func materialiseComplaint(tx *Tx, u entityUpdate) (any, error) {
	if cb, ok := u.body.(schema.CreateBody); ok && len(u.prior) == 0 {
		return tx.writeComplaint(u.change.Entity, schema.NewComplaint(u.change, &cb))
	}
	entity, prior := u.change.Entity, u.prior
	c, err := schema.FoldComplaint(u.all)
	if errors.Is(err, schema.ErrNoCreate) {
		return nil, nil // its create has not arrived yet
	}
	if err != nil {
		return nil, fmt.Errorf("node: fold %s: %w", entity, err)
	}
	if c.Reporter.HasIdentity() || c.Reporter.Ciphertext != nil {
		// A create whose reporter was erased before it came.
		if gone, err := tx.erased(c.ID); err != nil {
			return nil, err
		} else if gone {
			if err := tx.erase(c.ID, nil); err != nil {
				return nil, err
			}
			c.Reporter = c.Reporter.Flags()
		}
	}
	if old, err := schema.FoldComplaint(prior); err == nil && old.Status != c.Status {
		if err := tx.b.Delete(statusKey(old.Status, old.CreatedWall, old.ID), nil); err != nil {
			return nil, fmt.Errorf("node: unindex %s: %w", entity, err)
		}
	}
	return tx.writeComplaint(entity, c)
}

// writeComplaint writes a complaint's state and its index entries.
func (tx *Tx) writeComplaint(entity string, c *schema.Complaint) (any, error) {
	state, err := json.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("node: encode %s: %w", entity, err)
	}
	tx.Set(stateKey(entity), state)
	tx.Set(statusKey(c.Status, c.CreatedWall, c.ID), nil)
	tx.Set(regionIndexKey(c.Region, c.CreatedWall, c.ID), nil)
	tx.Set(timeKey(c.CreatedWall, c.ID), nil)
	return c, nil
}

func materialiseMonografi(tx *Tx, u entityUpdate) (any, error) {
	entity := u.change.Entity
	region, p, err := monografi.ParseEntity(entity)
	if err != nil {
		return nil, nil // not an entity this version can fold: kept, not folded
	}
	doc := monografi.Fold(region, p, u.all)
	state, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("node: encode %s: %w", entity, err)
	}
	tx.Set(stateKey(entity), state)
	return doc, nil
}
