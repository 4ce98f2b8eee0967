package schema_test

import (
	"bytes"
	"encoding/json"
	"math/rand"
	"strings"
	"testing"

	"github.com/lumbung/lumbung/schema"
)

// Origins the tests write from: a desa laptop, its kecamatan and its
// kabupaten.
var (
	desaOrigin = schema.Origin{Region: "32.14.02.2001", Incarnation: "DESA01"}
	kecOrigin  = schema.Origin{Region: "32.14.02", Incarnation: "KEC001"}
	kabOrigin  = schema.Origin{Region: "32.14", Incarnation: "KAB001"}
)

// baseWall is the wall clock (2026-01-05T00:00:00Z) that test HLCs count
// from, so scripts can write small numbers.
const baseWall int64 = 1767571200000

// parseOrigin reads "region/incarnation".
func parseOrigin(t testing.TB, s string) schema.Origin {
	t.Helper()
	region, inc, ok := strings.Cut(s, "/")
	if !ok {
		t.Fatalf("origin %q: want region/incarnation", s)
	}
	return schema.Origin{Region: schema.Code(region), Incarnation: inc}
}

// mustJSON encodes v or fails the test.
func mustJSON(t testing.TB, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encoding %T: %v", v, err)
	}
	return b
}

// newChange builds a change to complaint id, scoped to the desa of the
// tests, and fails the test if its envelope does not check.
func newChange(t testing.TB, o schema.Origin, seq uint64, h schema.HLC, actor, id string, op schema.Op, body json.RawMessage) *schema.Change {
	t.Helper()
	c := &schema.Change{
		Origin: o, Seq: seq, HLC: h, Actor: actor,
		Entity: schema.ComplaintEntity(id), Scope: desaOrigin.Region, Op: op, Body: body,
	}
	if err := c.Check(); err != nil {
		t.Fatalf("building change %s#%d: %v", o, seq, err)
	}
	return c
}

// createBody is the body of a valid complaint taken at the desa counter.
func createBody(id string) schema.CreateBody {
	lat, lon := -6.55, 107.44
	return schema.CreateBody{
		ID: id, Region: desaOrigin.Region, Channel: "walk_in", Category: "infrastruktur",
		Classification: "complaint", Title: "Jalan berlubang",
		Description: "Jalan desa di RT 03 berlubang sejak musim hujan.",
		Location:    schema.Location{Address: "Jl. Raya Campaka", RT: "003", RW: "001", Lat: &lat, Lon: &lon},
		Reporter:    schema.Reporter{Name: "Siti Aminah", NIK: "3214024101900001", Phone: "0812-3456-7890"},
	}
}

// shuffled returns a random permutation of changes with about a third of
// them delivered twice.
func shuffled(rng *rand.Rand, changes []*schema.Change) []*schema.Change {
	out := append([]*schema.Change(nil), changes...)
	for _, c := range changes {
		if rng.Intn(3) == 0 {
			dup := *c // a redelivery is a distinct copy with the same identity
			out = append(out, &dup)
		}
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// digestOf folds changes and returns the digest of the complaint.
func digestOf(t testing.TB, changes []*schema.Change) [32]byte {
	t.Helper()
	c, err := schema.FoldComplaint(changes)
	if err != nil {
		t.Fatalf("fold: %v", err)
	}
	return schema.Digest(c)
}

// sameBody reports whether two bodies hold the same JSON value, numbers
// compared as written.
func sameBody(a, b []byte) bool {
	decode := func(raw []byte) (any, error) {
		var v any
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		err := d.Decode(&v)
		return v, err
	}
	x, errX := decode(a)
	y, errY := decode(b)
	if errX != nil || errY != nil {
		return false
	}
	xs, _ := json.Marshal(x)
	ys, _ := json.Marshal(y)
	return bytes.Equal(xs, ys)
}
