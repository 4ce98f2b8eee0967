package node

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/schema"
)

// apply stores a change the node does not hold yet: the change itself,
// its place in the log, the entity and scope indexes, the per-origin high
// water mark, and the entity's new materialised state. Local writes and
// (later) changes received from peers take this same path.
func (tx *Tx) apply(c *schema.Change) error {
	id := c.ID()
	tx.s.pos++
	pos := tx.s.pos
	tx.Set(changeKey(id), schema.EncodeChange(c))
	tx.Set(logKey(pos), changeRef(id))
	tx.Set(entityKey(c.Entity, id), nil)
	tx.Set(scopeKey(c.Scope, pos), nil)
	tx.Set(keyPos, u64(pos))
	high, _, err := tx.Get(highKey(c.Origin))
	if err != nil {
		return err
	}
	if c.Seq > getU64(high) {
		tx.Set(highKey(c.Origin), u64(c.Seq))
	}
	return tx.materialise(c.Entity)
}

// materialise refolds an entity from all its changes and rewrites its
// state and index entries.
func (tx *Tx) materialise(entity string) error {
	changes, err := tx.EntityChanges(entity)
	if err != nil {
		return err
	}
	switch {
	case strings.HasPrefix(entity, "complaint/"):
		return tx.materialiseComplaint(entity, changes)
	case strings.HasPrefix(entity, "monografi/"):
		return tx.materialiseMonografi(entity, changes)
	}
	return nil // an entity kind this version does not know: kept, not folded
}

func (tx *Tx) materialiseComplaint(entity string, changes []*schema.Change) error {
	c, err := schema.FoldComplaint(changes)
	if err == schema.ErrNoCreate {
		return nil // its create has not arrived yet
	}
	if err != nil {
		return fmt.Errorf("node: fold %s: %w", entity, err)
	}
	var old schema.Complaint
	raw, found, err := tx.Get(stateKey(entity))
	if err != nil {
		return err
	}
	if found && json.Unmarshal(raw, &old) == nil && old.Status != c.Status {
		if err := tx.b.Delete(statusKey(old.Status, old.CreatedWall, old.ID), nil); err != nil {
			return fmt.Errorf("node: unindex %s: %w", entity, err)
		}
	}
	state, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("node: encode %s: %w", entity, err)
	}
	tx.Set(stateKey(entity), state)
	tx.Set(statusKey(c.Status, c.CreatedWall, c.ID), nil)
	tx.Set(regionIndexKey(c.Region, c.CreatedWall, c.ID), nil)
	tx.Set(timeKey(c.CreatedWall, c.ID), nil)
	return nil
}

func (tx *Tx) materialiseMonografi(entity string, changes []*schema.Change) error {
	parts := strings.Split(entity, "/")
	if len(parts) != 3 {
		return nil
	}
	doc := monografi.Fold(schema.Code(parts[1]), monografi.Period(parts[2]), changes)
	state, err := json.Marshal(doc)
	if err != nil {
		return fmt.Errorf("node: encode %s: %w", entity, err)
	}
	tx.Set(stateKey(entity), state)
	return nil
}
