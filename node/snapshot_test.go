package node

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand"
	"testing"
	"time"

	"github.com/lumbung/lumbung/schema"
)

func openTestStore(t *testing.T) *Store { return openRegionStore(t, testDesa) }

// TestSnapshotReplace streams one store into another, which held other
// data before: afterwards both are byte for byte the same, including the
// origin and the recorded raft index, and the copy takes new writes.
func TestSnapshotReplace(t *testing.T) {
	src, dst := openTestStore(t), openTestStore(t)
	writeHistory(t, src, rand.New(rand.NewSource(1)))
	if _, err := src.applyEntry(context.Background(), 77, 0, nil); err != nil {
		t.Fatal(err)
	}
	writeHistory(t, dst, rand.New(rand.NewSource(2)))
	if err := dst.Replace(bytes.NewReader(snapshotBytes(t, src))); err != nil {
		t.Fatal(err)
	}
	if storeDigest(t, src) != storeDigest(t, dst) {
		t.Fatal("the restored store differs from the snapshot's source")
	}
	if dst.Origin() != src.Origin() {
		t.Fatalf("origin %v, want %v", dst.Origin(), src.Origin())
	}
	if a, _ := dst.RaftApplied(); a != 77 {
		t.Fatalf("applied index %d, want 77", a)
	}
	c, err := dst.CreateComplaint(context.Background(), testInput(99))
	if err != nil {
		t.Fatal(err)
	}
	if c.ID != schema.TrackingNumber(src.Origin(), src.seq+1) {
		t.Fatalf("the next complaint is %s: the restored sequence did not carry on", c.ID)
	}
}

// TestReplaceRefusesDamage cuts and flips a snapshot stream: the restore
// fails, the store reports no applied index (so the cluster restores
// again on start), and a later good restore completes.
func TestReplaceRefusesDamage(t *testing.T) {
	src, dst := openTestStore(t), openTestStore(t)
	writeHistory(t, src, rand.New(rand.NewSource(3)))
	if _, err := src.applyEntry(context.Background(), 5, 0, nil); err != nil {
		t.Fatal(err)
	}
	good := snapshotBytes(t, src)
	flipped := append([]byte(nil), good...)
	flipped[len(flipped)/2] ^= 0x40
	for name, bad := range map[string][]byte{"truncated": good[:len(good)*2/3], "flipped": flipped, "empty": nil} {
		if err := dst.Replace(bytes.NewReader(bad)); err == nil {
			t.Fatalf("%s snapshot accepted", name)
		}
		if a, err := dst.RaftApplied(); err != nil || a != 0 {
			t.Fatalf("%s: applied index %d (%v) after a failed restore, want 0", name, a, err)
		}
	}
	if err := dst.Replace(bytes.NewReader(good)); err != nil {
		t.Fatal(err)
	}
	if storeDigest(t, src) != storeDigest(t, dst) {
		t.Fatal("the restore after the failed ones differs from the source")
	}
}

// TestApplyEntryDeterministic runs the same raft entries on two stores:
// they end byte for byte the same (same origin after the genesis, same
// clock from the entries' wall time), refused writes get their own error
// without touching the rest, and a replayed entry changes nothing.
func TestApplyEntryDeterministic(t *testing.T) {
	a, b := openTestStore(t), openTestStore(t)
	create, _ := encodeCommand(kindComplaintCreate, &complaintCreate{Complaint: testInput(1)})
	genesis := func(inc string) []byte { b, _ := encodeCommand(kindGenesis, &genesisInput{Incarnation: inc}); return b }
	first := schema.TrackingNumber(schema.Origin{Region: testDesa, Incarnation: "K7M2QX"}, 1)
	verify, _ := encodeCommand(kindComplaintAction, &complaintAction{ID: first, Action: &schema.ActionInput{Action: "verify"}})
	entries := [][][]byte{
		{create}, // before the genesis: refused
		{genesis("K7M2QX")},
		{create, []byte("{not json"), verify, verify},
		{genesis("ZZZZZZ")},
	}
	var results [][][]byte
	for _, s := range []*Store{a, b} {
		results = nil
		for i, e := range entries {
			out, err := stateMachine{s}.Apply(uint64(i+1), 1763800000000+int64(i), e)
			if err != nil {
				t.Fatal(err)
			}
			results = append(results, out)
		}
	}
	if storeDigest(t, a) != storeDigest(t, b) {
		t.Fatal("two stores applying the same entries differ")
	}
	if a.Origin().Incarnation != "K7M2QX" {
		t.Fatalf("origin %v: the first genesis must win", a.Origin())
	}
	wantErr := []string{"not_ready", "", "", "invalid", "", "transition", ""}
	got := []string{}
	for _, rs := range results {
		for _, r := range rs {
			got = append(got, answerError(r))
		}
	}
	if len(got) != len(wantErr) {
		t.Fatalf("results %v", got)
	}
	for i := range got {
		if got[i] != wantErr[i] {
			t.Fatalf("result %d: error kind %q, want %q (all: %v)", i, got[i], wantErr[i], got)
		}
	}
	before := storeDigest(t, a)
	out, err := stateMachine{a}.Apply(3, 1763800000002, entries[2])
	if err != nil || storeDigest(t, a) != before {
		t.Fatalf("a replayed entry changed the store (%v)", err)
	}
	if len(out) != len(entries[2]) {
		t.Fatalf("a replay answered %d results for %d commands", len(out), len(entries[2]))
	}
}

// answerError returns the kind of the error an answer carries, "" for none.
func answerError(answer []byte) string {
	var a struct {
		Error *wireError `json:"error"`
	}
	_ = json.Unmarshal(answer, &a)
	if a.Error == nil {
		return ""
	}
	return a.Error.Kind
}

// FuzzDecodeCommand feeds the raft command decoder arbitrary bytes: it
// must give a command that runs or refuses, never panic.
func FuzzDecodeCommand(f *testing.F) {
	raw, _ := encodeCommand(kindComplaintCreate, &complaintCreate{Complaint: testInput(1)})
	f.Add(raw)
	f.Add([]byte(`{"kind":"changes","changes":[{"origin":{"region":"32.14.02.2001","incarnation":"K7M2QX"},"seq":1}]}`))
	f.Add([]byte(`{"kind":"monografi.set","region":"32.14.02.2001","period":"2026-S1","values":{"penduduk.kk":3}}`))
	f.Add([]byte(`{"kind":"monografi.step","v":2,"region":"32.14.02.2001","period":"2026-S1"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c := decodeCommand(data)
		if r, ok := c.(refused); ok && r.err == nil {
			t.Fatal("a refused command without its error")
		}
		_ = c.answer(nil)
	})
}

// TestSnapshotLeavesClockFix: the clock correction one member's uplink
// learned is about that member's clock, so a snapshot does not carry it
// to the member that restores it.
func TestSnapshotLeavesClockFix(t *testing.T) {
	src, dst := openTestStore(t), openTestStore(t)
	src.ObserveSkew(time.Hour.Milliseconds())
	if _, ok, _ := src.get(keyClockFix); !ok || src.clockCorrection() == 0 {
		t.Fatal("the source saved no clock correction")
	}
	if err := dst.Replace(bytes.NewReader(snapshotBytes(t, src))); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := dst.get(keyClockFix); ok {
		t.Fatal("the snapshot carried the source's clock correction")
	}
}

// snapshotBytes is a snapshot stream of s.
func snapshotBytes(t *testing.T, s *Store) []byte {
	t.Helper()
	var buf bytes.Buffer
	snap := s.Snapshot()
	defer snap.Release()
	if _, err := snap.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
