package testcluster

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/schema"
)

// TestClusterRefusals sends, through a follower, the writes that only the
// state machine can refuse (they depend on stored state): each gets its
// 4xx with the field or code named, and no member's state changes.
func TestClusterRefusals(t *testing.T) {
	c := NewCluster(t, 3, ClusterOptions{})
	leader := Leader(t, c)
	url := c.Members[(leader+1)%3].URL
	client := operator()
	id, ok := postComplaint(client, url, "Lampu jalan mati")
	if !ok {
		t.Fatal("a good complaint was refused")
	}
	if !putMonografi(client, url, map[string]float64{"penduduk.jumlah": 100, "penduduk.laki_laki": 60, "penduduk.perempuan": 40}) {
		t.Fatal("good monografi was refused")
	}
	before := WaitClusterConverged(t, c)
	other := schema.TrackingNumber(schema.Origin{Region: "32.14.02", Incarnation: "ABCDEF"}, 12)
	for _, tc := range []struct {
		name, method, path, body string
		status                   int
		code                     string
	}{
		{"action not allowed in the status", "POST", "/api/v1/complaints/" + id + "/actions", `{"action":"resolve"}`, 409, "invalid_action"},
		{"action on an unknown complaint", "POST", "/api/v1/complaints/" + other + "/actions", `{"action":"verify"}`, 404, "not_found"},
		{"sum no longer adds up", "PUT", "/api/v1/monografi/" + crashDesa + "/2026-S1", `{"values":{"penduduk.laki_laki":70}}`, 422, "invalid_input"},
	} {
		req, _ := http.NewRequest(tc.method, url+tc.path, bytes.NewReader([]byte(tc.body)))
		req.Header.Set("Content-Type", "application/json")
		who := client
		if strings.HasSuffix(tc.path, "/actions") {
			who = as(officer.Verifikator)
		}
		resp, err := who.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body struct {
			Error struct{ Code string } `json:"error"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if resp.StatusCode != tc.status || body.Error.Code != tc.code {
			t.Errorf("%s: answered %d %q, want %d %q", tc.name, resp.StatusCode, body.Error.Code, tc.status, tc.code)
		}
	}
	if after := WaitClusterConverged(t, c); after != before {
		t.Fatal("a refused write changed the replicated state")
	}
}
