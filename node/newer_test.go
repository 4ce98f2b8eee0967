package node

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/lumbung/lumbung/schema"
)

// TestNewerChangesFoldAfterUpgrade: changes a newer version made (an op on
// a complaint, an action with a new field, a whole new entity kind) are
// kept and shown, not folded, and indexed; the store checks clean. A
// binary that understands more (played here by registering the entity kind
// and raising foldVersion) folds what the store kept when it opens it,
// with nothing resent, and forgets the entities it now understands whole.
func TestNewerChangesFoldAfterUpgrade(t *testing.T) {
	ctx := context.Background()
	cfg := DefaultStoreConfig(t.TempDir(), testDesa)
	cfg.Logger = testLogger(t)
	s, err := OpenStore(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.CreateComplaint(ctx, testInput(1))
	if err != nil {
		t.Fatal(err)
	}
	newer := schema.Origin{Region: "32.14.02", Incarnation: "NEWVER"}
	wall := time.Now().UnixMilli()
	change := func(seq uint64, entity string, op schema.Op, body string) *schema.Change {
		return &schema.Change{Origin: newer, Seq: seq, HLC: schema.HLC{Wall: wall + int64(seq)}, Actor: "Sekcam",
			Entity: entity, Scope: testDesa, Op: op, Body: json.RawMessage(body)}
	}
	kept := []*schema.Change{
		change(1, schema.ComplaintEntity(c.ID), "complaint.attach", `{"photo":"sha256:ab12"}`),
		change(2, schema.ComplaintEntity(c.ID), schema.OpComplaintAction, `{"action":"verify","priority":"high"}`),
		change(3, "attachment/"+c.ID+"-1", "attachment.add", `{"bytes":48213}`),
		change(4, schema.ComplaintEntity(c.ID), schema.OpComplaintAction, `{"action":"verify"}`),
	}
	if n, err := s.ApplyChanges(ctx, kept); err != nil || n != len(kept) {
		t.Fatalf("apply a newer version's changes: %d, %v", n, err)
	}
	got, err := s.Complaint(c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var shown int
	for _, a := range got.Actions {
		if a.NotUnderstood {
			shown++
		}
	}
	if got.Status != schema.StatusVerified || shown != 2 {
		t.Fatalf("complaint after a newer version's changes: status %s, %d shown as not understood; want verified, 2", got.Status, shown)
	}
	wantNewer(t, s, "attachment/"+c.ID+"-1", schema.ComplaintEntity(c.ID)) // in key order
	if rep, err := s.Check(); err != nil || rep.NotUnderstood != 3 {
		t.Fatalf("check: %v, %+v; want 3 changes not understood", err, rep)
	}
	digest, _ := s.StateDigest()
	_ = s.Close()

	// The same binary opens it again: nothing to fold, nothing changes.
	if s, err = OpenStore(cfg); err != nil {
		t.Fatal(err)
	}
	if d, _ := s.StateDigest(); d != digest {
		t.Errorf("reopening with the same binary changed the state")
	}
	_ = s.Close()

	// The next release knows attachments.
	upgrade(t, "attachment/", func(c *schema.Change) bool { return c.Op == "attachment.add" })
	if s, err = OpenStore(cfg); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	state, ok, err := s.get(stateKey("attachment/" + c.ID + "-1"))
	if err != nil || !ok || string(state) != `{"changes":1}` {
		t.Errorf("the attachment after the upgrade: %q %v %v, want its fold", state, ok, err)
	}
	wantNewer(t, s, schema.ComplaintEntity(c.ID))
	if got, _ := s.Complaint(c.ID); got.Status != schema.StatusVerified {
		t.Errorf("the complaint after the upgrade: %s", got.Status)
	}
	if rep, err := s.Check(); err != nil || rep.NotUnderstood != 2 {
		t.Fatalf("check after the upgrade: %v, %+v; want 2 changes not understood", err, rep)
	}
}

// upgrade plays the next release for the rest of the test: it folds the
// entities under prefix (as a count of their changes) and raises
// foldVersion.
func upgrade(t *testing.T, prefix string, knows func(*schema.Change) bool) {
	t.Helper()
	entities[prefix] = func(tx *Tx, u entityUpdate) (any, error) {
		state := []byte(`{"changes":` + string(rune('0'+len(u.all))) + `}`)
		tx.Set(stateKey(u.change.Entity), state)
		return nil, nil
	}
	registerUnderstands(t, prefix, knows)
	foldVersion++
	t.Cleanup(func() {
		delete(entities, prefix)
		foldVersion--
	})
}

// registerUnderstands adds prefix to what the binary understands until the
// test ends.
func registerUnderstands(t *testing.T, prefix string, f func(*schema.Change) bool) {
	t.Helper()
	understands[prefix] = f
	t.Cleanup(func() { delete(understands, prefix) })
}

// wantNewer checks the entities indexed as holding changes not understood.
func wantNewer(t *testing.T, s *Store, want ...string) {
	t.Helper()
	got, err := s.newerEntities()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("entities holding changes not understood: %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("entities holding changes not understood: %q, want %q", got, want)
		}
	}
}
