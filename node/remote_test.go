package node

import (
	"context"
	"math/rand"
	"testing"
	"time"

	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/schema"
)

// writeHistory takes complaints, actions and monografi at a node and
// returns every change it wrote, read back from its log.
func writeHistory(t *testing.T, s *Store, rng *rand.Rand) []*schema.Change {
	t.Helper()
	ctx := context.Background()
	var ids []string
	for i := 0; i < 30; i++ {
		in := testInput(i)
		in.Reporter.Anonymous = i%4 == 0
		c, err := s.CreateComplaint(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	for i := 0; i < 60; i++ {
		id := ids[rng.Intn(len(ids))]
		cur, _ := s.Complaint(id)
		allowed := schema.Allowed(cur.Status)
		if len(allowed) == 0 {
			continue
		}
		a := &schema.ActionInput{Action: allowed[rng.Intn(len(allowed))], Unit: "Dinas PUPR", Note: "ditindaklanjuti", Reason: "duplicate"}
		if _, err := s.ActOnComplaint(ctx, id, a); err != nil && !isTransition(err) {
			t.Fatal(err)
		}
	}
	for i := 0; i < 5; i++ {
		if _, err := s.SetMonografi(ctx, testDesa, monografi.Period("2026-S1"), "siti",
			map[string]float64{"penduduk.kk": float64(100 + i)}); err != nil {
			t.Fatal(err)
		}
	}
	changes, _, err := s.LogRange(0, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	return changes
}

func isTransition(err error) bool {
	_, ok := err.(*schema.TransitionError)
	return ok
}

// TestReplicasConverge delivers one node's changes to two other nodes in
// different shuffled, duplicated batches: all three end with the same
// state digest, redelivery adds nothing, and the log of each holds every
// change once.
func TestReplicasConverge(t *testing.T) {
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewSource(seed))
	a := openTestNode(t)
	changes := writeHistory(t, a.Store(), rng)
	want, _ := a.Store().StateDigest()
	for r := 0; r < 2; r++ {
		b := openTestNode(t)
		deliver := append([]*schema.Change(nil), changes...)
		deliver = append(deliver, changes[:len(changes)/3]...) // duplicates
		rng.Shuffle(len(deliver), func(i, j int) { deliver[i], deliver[j] = deliver[j], deliver[i] })
		total := 0
		for len(deliver) > 0 {
			n := min(len(deliver), 1+rng.Intn(25))
			added, err := b.Store().ApplyChanges(context.Background(), deliver[:n])
			if err != nil {
				t.Fatal(err)
			}
			total += added
			deliver = deliver[n:]
		}
		if total != len(changes) {
			t.Errorf("replica %d added %d changes, want %d", r, total, len(changes))
		}
		if got, _ := b.Store().StateDigest(); got != want {
			t.Errorf("replica %d state digest differs from the origin's", r)
		}
		again, err := b.Store().ApplyChanges(context.Background(), changes)
		if err != nil || again != 0 {
			t.Errorf("redelivery added %d (err %v), want 0", again, err)
		}
		if _, err := b.Store().Check(); err != nil {
			t.Error(err)
		}
	}
}

// TestRaftChangesSkipReplayedEntry records the raft index with the
// changes of a raft entry: an entry at or below it is skipped whole.
func TestRaftChangesSkipReplayedEntry(t *testing.T) {
	a := openTestNode(t)
	changes := writeHistory(t, a.Store(), rand.New(rand.NewSource(1)))
	b := openTestStore(t)
	genesis, _ := encodeCommand(kindGenesis, &genesisInput{Incarnation: "K7M2QX"})
	if _, err := (stateMachine{b}).Apply(1, 1763800000000, [][]byte{genesis}); err != nil {
		t.Fatal(err)
	}
	if n, err := raftChanges(t, b, 7, changes[:10]); err != nil || n != 10 {
		t.Fatalf("entry 7: %d %v", n, err)
	}
	before := storeDigest(t, b)
	if n, err := raftChanges(t, b, 7, changes[10:20]); err == nil || n != 0 || storeDigest(t, b) != before {
		t.Fatalf("replayed entry 7 applied %d (%v), want a refusal that changed nothing", n, err)
	}
	if n, err := raftChanges(t, b, 8, changes[10:20]); err != nil || n != 10 {
		t.Fatalf("entry 8: %d %v", n, err)
	}
	if idx, _ := b.RaftApplied(); idx != 8 {
		t.Errorf("raft applied = %d, want 8", idx)
	}
}

// raftChanges applies changes as a raft entry at index and reads its answer.
func raftChanges(t testing.TB, s *Store, index uint64, changes []*schema.Change) (int, error) {
	t.Helper()
	cmd, err := encodeCommand(kindChanges, &changesWrite{Changes: changes})
	if err != nil {
		t.Fatal(err)
	}
	out, err := stateMachine{s}.Apply(index, 1763800000000, [][]byte{cmd})
	if err != nil {
		t.Fatal(err)
	}
	return kindChanges.decodeResult(out[0])
}

// TestApplyChangesRefusesMalformed refuses a batch holding one bad change
// and writes nothing of it.
func TestApplyChangesRefusesMalformed(t *testing.T) {
	a := openTestNode(t)
	changes := writeHistory(t, a.Store(), rand.New(rand.NewSource(2)))
	b := openTestNode(t)
	before := storeDigest(t, b.Store())
	bad := *changes[3]
	bad.Seq = 0
	batch := []*schema.Change{changes[0], changes[1], &bad}
	if _, err := b.Store().ApplyChanges(context.Background(), batch); err == nil {
		t.Fatal("a batch with a malformed change was accepted")
	}
	if storeDigest(t, b.Store()) != before {
		t.Error("the refused batch changed the store")
	}
}
