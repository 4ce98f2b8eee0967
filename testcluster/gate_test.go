package testcluster

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/lumbung/lumbung/officer"
)

// TestUpgradeGate: in a three-member kecamatan cluster, one member plays
// an older release (after the gate) that reads complaint.create only at
// version 1 (it knows no sealed anonymous reporter). While it is a member, an anonymous
// report taken at the kecamatan counter (written at version 2) is
// refused at every member with 503 "upgrading", in words, and nothing is
// written; an anonymous one whose reporter left nothing to seal (version
// 1) is taken. Once that member is
// upgraded (restarted reading everything), the anonymous report is taken
// and every member holds it: no member ever refused a command the others
// applied.
func TestUpgradeGate(t *testing.T) {
	c := NewCluster(t, 3, ClusterOptions{})
	old := c.Members[2]
	// The cluster as it is in the middle of an upgrade: every member
	// (re)started, one of them on the older release.
	for _, m := range c.Members {
		if err := m.Stop(); err != nil {
			t.Fatal(err)
		}
	}
	old.Reads = map[string]int{"complaint.create": 1}
	for _, m := range c.Members {
		if err := m.Start(); err != nil {
			t.Fatal(err)
		}
	}
	Leader(t, c)
	anonymous := map[string]any{"region": crashDesa, "channel": "walk_in", "category": "infrastruktur",
		"title": "Pungutan liar di loket", "description": "Diminta bayar untuk surat pengantar.",
		"reporter": map[string]any{"name": "Pelapor Rahasia", "nik": "3214020101700055", "anonymous": true}}
	unnamed := map[string]any{"region": crashDesa, "channel": "walk_in", "category": "infrastruktur",
		"title": "Lampu jalan mati", "description": "Lampu di depan balai desa mati seminggu.",
		"reporter": map[string]any{"anonymous": true}}
	before := WaitClusterConverged(t, c)
	for _, m := range c.Members {
		out := mustDo(t, officer.Operator, "POST", m.URL+"/api/v1/complaints", anonymous, http.StatusServiceUnavailable)
		if !bytes.Contains(out, []byte(`"upgrading"`)) || !bytes.Contains(out, []byte("sedang diperbarui")) {
			t.Errorf("at %s: %s", m.URL, out)
		}
	}
	if after := WaitClusterConverged(t, c); after != before {
		t.Fatal("a refused write changed the cluster's state")
	}
	var got struct{ ID string }
	decode(t, mustDo(t, officer.Operator, "POST", c.Members[0].URL+"/api/v1/complaints", unnamed, 201), &got)

	if err := old.Stop(); err != nil {
		t.Fatal(err)
	}
	old.Reads = nil // upgraded
	if err := old.Start(); err != nil {
		t.Fatal(err)
	}
	Leader(t, c)
	var taken struct{ ID string }
	Eventually(t, time.Minute, "the anonymous report taken once every member reads it", func() bool {
		resp, err := as(officer.Operator).Do(jsonRequest(t, "POST", c.Members[1].URL+"/api/v1/complaints", anonymous))
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			return false
		}
		return json.NewDecoder(resp.Body).Decode(&taken) == nil
	})
	WaitClusterConverged(t, c)
	for _, m := range c.Members {
		for _, id := range []string{got.ID, taken.ID} {
			if _, err := m.Node().Store().Complaint(id); err != nil {
				t.Errorf("%s lacks %s: %v", m.URL, id, err)
			}
		}
	}
}
