package httpapi

import (
	"strings"
	"testing"
)

// TestLongOfficerRefused: an officer's name is the actor of every change
// the write makes, and a peer refuses a change whose actor is over 128
// bytes (schema.Change.Check). A name that would make such a change is
// refused at entry with a 422, for complaints, actions and monografi, so
// no acknowledged change can wedge the sync upstream.
func TestLongOfficerRefused(t *testing.T) {
	n, srv := openTestNode(t)
	long := strings.Repeat("é", 100) // 100 letters, 200 bytes
	c := sampleComplaint()
	c["officer"] = long
	if code := call(t, "POST", srv.URL+"/api/v1/complaints", c, nil); code != 422 {
		t.Errorf("complaint with a %d-byte officer: %d, want 422", len(long), code)
	}
	doc := srv.URL + "/api/v1/monografi/" + string(testDesa) + "/2026-S1"
	if code := call(t, "PUT", doc, map[string]any{"values": map[string]float64{"penduduk.jumlah": 10}, "officer": long}, nil); code != 422 {
		t.Errorf("monografi set with a long officer: %d, want 422", code)
	}
	if code := call(t, "PUT", doc, map[string]any{"values": map[string]float64{"penduduk.jumlah": 10}}, nil); code != 200 {
		t.Fatalf("monografi set: %d", code)
	}
	if code := call(t, "POST", doc+"/submit", map[string]any{"officer": long}, nil); code != 422 {
		t.Errorf("monografi submit with a long officer: %d, want 422", code)
	}
	if code := call(t, "POST", doc+"/approve", map[string]any{"officer": long}, nil); code != 422 {
		t.Errorf("approve with a long officer: %d, want 422", code)
	}
	// Whatever was accepted is a change every peer would take.
	changes, _, err := n.Store().LogRange(0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, ch := range changes {
		if err := ch.Check(); err != nil {
			t.Fatalf("stored change a peer would refuse: %v", err)
		}
	}
}
