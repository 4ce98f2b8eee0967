package node

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/schema"
)

// TestRegisteredKindsComplete fails when a registered kind lacks a part:
// its check, its run, its entity (a registered prefix or none), its
// result's field, a payload that fits the envelope.
func TestRegisteredKindsComplete(t *testing.T) {
	if len(commands) == 0 {
		t.Fatal("no write kind registered")
	}
	for _, name := range kindNames() {
		if err := commands[name].parts(); err != nil {
			t.Error(err)
		}
		if commands[name].name() != name {
			t.Errorf("kind %q registered as %q", commands[name].name(), name)
		}
	}
	for prefix, m := range entities {
		if m == nil {
			t.Errorf("entity %q has no materialiser", prefix)
		}
	}
}

// kindNames lists the registered kinds, sorted.
func kindNames() []string {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// TestKindPartsCaught: the completeness check names what a kind lacks.
func TestKindPartsCaught(t *testing.T) {
	type bad struct {
		Kind string `json:"kind"`
	}
	err := (&Kind[bad, int]{Name: "x", Entity: "nowhere/", Result: resultNone}).parts()
	for _, part := range []string{"Version", "Check", "Run", "Entity", "Result", "In.Kind"} {
		if err == nil || !strings.Contains(err.Error(), part) {
			t.Errorf("a kind without %s passes: %v", part, err)
		}
	}
}

// TestLegacyCommands feeds raft commands as the binary before the registry
// wrote them (testdata/legacy_commands.jsonl, made with its Write type)
// through the new decoding: every one is read, and a log of them applies
// on a kecamatan member as it did then. What the registry writes for the
// same input is that command with "v":1 added.
func TestLegacyCommands(t *testing.T) {
	f, err := os.Open("testdata/legacy_commands.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var legacy [][]byte
	for sc := bufio.NewScanner(f); sc.Scan(); {
		legacy = append(legacy, append([]byte(nil), sc.Bytes()...))
	}
	if len(legacy) != 11 {
		t.Fatalf("%d legacy commands", len(legacy))
	}
	for _, b := range legacy {
		var h header
		if err := json.Unmarshal(b, &h); err != nil || h.Version != 0 {
			t.Fatalf("not a legacy command: %s", b)
		}
		// Written again by the registry, it is the same bytes with "v"
		// added, which the binary before the registry reads as before
		// (it ignores the unknown field): a mixed cluster stays in step.
		again, err := decodeCommand(b).encode()
		want := strings.Replace(string(b), `"kind":"`+h.Kind+`"`, `"kind":"`+h.Kind+`","v":1`, 1)
		if err != nil || string(again) != want {
			t.Errorf("legacy command read as %v\n%s\nwritten again as\n%s", err, b, again)
		}
	}

	// A kecamatan member's log of legacy commands: genesis, a complaint
	// taken and verified, then a desa's batch of changes.
	s := openRegionStore(t, "32.14.02")
	first := schema.TrackingNumber(schema.Origin{Region: "32.14.02", Incarnation: "K7M2QX"}, 1)
	action := []byte(`{"kind":"complaint.action","id":"` + first + `","action":{"action":"verify","officer":"siti"}}`)
	log := [][][]byte{{legacy[0]}, {legacy[1], action}}
	for i, e := range log {
		out, err := stateMachine{s}.Apply(uint64(i+1), 1763800000000+int64(i), e)
		if err != nil {
			t.Fatal(err)
		}
		for j, r := range out {
			if k := answerError(r); k != "" {
				t.Fatalf("entry %d command %d refused (%s): %s", i+1, j, k, r)
			}
		}
		if i == 1 {
			c, err := kindComplaintAction.decodeResult(out[1])
			if err != nil || c.ID != first || c.Status != "verified" {
				t.Fatalf("legacy action answered %+v, %v", c, err)
			}
		}
	}
	if c, err := s.Complaint(first); err != nil || c.Status != "verified" {
		t.Fatalf("after the legacy log: %+v %v", c, err)
	}
}

// TestCommandVersions: a command of a version this binary does not read
// yet is refused with a message saying so, the same on every member.
func TestCommandVersions(t *testing.T) {
	b := []byte(`{"kind":"sync.up","v":2,"last":9}`)
	r, ok := decodeCommand(b).(refused)
	if !ok || !errors.Is(r.err, schema.ErrInvalid) || !strings.Contains(r.err.Error(), "reads 1 to 1") {
		t.Fatalf("a version 2 command: %v", r.err)
	}
	if r, ok := decodeCommand([]byte(`{"kind":"officer.create","v":1}`)).(refused); !ok || r.kind != "officer.create" {
		t.Fatal("an unknown kind was not refused")
	}
}

// TestForgedResult: an answer from the leader that is not the answer of
// the command's kind is ErrBadResult, never a zero value or a panic.
func TestForgedResult(t *testing.T) {
	for _, answer := range []string{
		``, `null`, `[]`, `{not json`, `{}`,
		`{"kind":"complaint.create"}`,
		`{"kind":"complaint.create","complaint":null}`,
		`{"kind":"complaint.create","complaint":"a string"}`,
		`{"kind":"complaint.action","complaint":{"id":"x"}}`,
		`{"kind":"complaint.create","error":"not an object"}`,
		`{"added":3}`,
	} {
		c, err := kindComplaintCreate.decodeResult([]byte(answer))
		if !errors.Is(err, ErrBadResult) || c != nil {
			t.Errorf("answer %q: %v, %v", answer, c, err)
		}
	}
	if n, err := kindChanges.decodeResult([]byte(`{"kind":"changes","added":3}`)); err != nil || n != 3 {
		t.Fatalf("a good answer: %d %v", n, err)
	}
	if _, err := kindChanges.decodeResult([]byte(`{"kind":"changes","error":{"kind":"not_found"}}`)); !errors.Is(err, ErrNotFound) {
		t.Fatalf("an error answer: %v", err)
	}
}

// TestResultRoundTrip: every kind's answer, as the leader encodes it, is
// read back by the proposer as the same typed result.
func TestResultRoundTrip(t *testing.T) {
	doc := monografi.Fold(testDesa, "2026-S1", nil)
	got, err := kindMonografiStep.decodeResult(kindMonografiStep.encodeResult(&StepResult{Document: doc}, nil))
	if err != nil || got.Document == nil || got.Document.Region != testDesa || got.Accept != nil {
		t.Fatalf("step answer: %+v %v", got, err)
	}
	if _, err := kindSyncUp.decodeResult(kindSyncUp.encodeResult(struct{}{}, nil)); err != nil {
		t.Fatalf("an answer with no result: %v", err)
	}
	ve := &schema.ValidationError{Fields: map[string]schema.Msg{"title": {ID: "wajib", EN: "required"}}}
	_, err = kindComplaintCreate.decodeResult(kindComplaintCreate.encodeResult(nil, ve))
	var back *schema.ValidationError
	if !errors.As(err, &back) || back.Fields["title"].EN != "required" {
		t.Fatalf("a refusal travelled as %v", err)
	}
}

// TestClusterStoreRefusesDirectWrites: once a store holds a cluster
// genesis, only raft writes it.
func TestClusterStoreRefusesDirectWrites(t *testing.T) {
	s := openRegionStore(t, "32.14.02")
	genesis, _ := encodeCommand(kindGenesis, &genesisInput{Incarnation: "K7M2QX"})
	if _, err := (stateMachine{s}).Apply(1, 1763800000000, [][]byte{genesis}); err != nil {
		t.Fatal(err)
	}
	before := storeDigest(t, s)
	in := testInput(1)
	in.Region = "32.14.02.2001"
	if _, err := s.CreateComplaint(context.Background(), in); !errors.Is(err, ErrClusterStore) {
		t.Fatalf("a direct write on a cluster member's store: %v", err)
	}
	if _, err := s.ImportRegions([]Region{{Code: "32.14.02.2001", Name: "A"}}); !errors.Is(err, ErrClusterStore) {
		t.Fatalf("a region import on a cluster member's store: %v", err)
	}
	if !bytes.Equal(func() []byte { d := storeDigest(t, s); return d[:] }(), before[:]) {
		t.Fatal("a refused direct write changed the store")
	}
}
