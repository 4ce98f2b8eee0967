package httpapi

import (
	"strings"
	"testing"

	"github.com/lumbung/lumbung/schema"
)

// TestOfficerFieldIgnored: the actor of every change is the logged-in
// officer. An "officer" field a request still sends (as clients made
// before officers existed do), however long, is ignored: the write is
// taken as the officer's own, and every change stored names the login
// that made it, a change every peer takes (schema.Change.Check bounds an
// actor to 128 bytes).
func TestOfficerFieldIgnored(t *testing.T) {
	n, srv := openTestNode(t)
	long := strings.Repeat("é", 100) // 100 letters, 200 bytes
	c := sampleComplaint()
	c["officer"] = long
	if code := call(t, "POST", srv.URL+"/api/v1/complaints", c, nil); code != 201 {
		t.Errorf("complaint with a %d-byte officer field: %d, want 201", len(long), code)
	}
	doc := srv.URL + "/api/v1/monografi/" + string(testDesa) + "/2026-S1"
	if code := call(t, "PUT", doc, map[string]any{"values": map[string]float64{"penduduk.jumlah": 10}, "officer": long}, nil); code != 200 {
		t.Errorf("monografi set with a long officer field: %d, want 200", code)
	}
	if code := call(t, "POST", doc+"/submit", map[string]any{"officer": long}, nil); code != 200 {
		t.Errorf("monografi submit with a long officer field: %d, want 200", code)
	}
	all, _, err := n.Store().LogRange(0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var changes []*schema.Change
	for _, ch := range all {
		if !strings.HasPrefix(ch.Entity, "officekey/") { // the office's key, published by its first admin
			changes = append(changes, ch)
		}
	}
	// The complaint, the key of the epoch its reporter is sealed under,
	// the monografi's set and submit.
	if len(changes) != 4 {
		t.Fatalf("%d changes stored, want 4", len(changes))
	}
	for _, ch := range changes {
		if err := ch.Check(); err != nil {
			t.Fatalf("stored change a peer would refuse: %v", err)
		}
		if ch.Actor != "demo.operator" {
			t.Errorf("change %s %s by %q, want the logged-in demo.operator", ch.Op, ch.Entity, ch.Actor)
		}
	}
}
