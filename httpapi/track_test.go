package httpapi

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lumbung/lumbung/schema"
)

// TestTrackingLookup: a citizen reads their complaint by its tracking
// number with no login: its status and the answers written to them,
// nothing of the reporter, of what was reported or of an officer's
// internal note, a confidential complaint included. Lookups are bounded
// per address (tracking numbers run in sequence), with a 429 in words.
func TestTrackingLookup(t *testing.T) {
	_, srv := openTestNode(t)
	c := sampleComplaint()
	c["reporter"].(map[string]any)["confidential"] = true
	var created schema.Complaint
	if code := call(t, "POST", srv.URL+"/api/v1/complaints", c, &created); code != 201 {
		t.Fatalf("take: %d", code)
	}
	acts := srv.URL + "/api/v1/complaints/" + created.ID + "/actions"
	for _, a := range []map[string]any{
		{"action": "verify", "note": "Catatan internal: pelapor tetangga kepala dusun"},
		{"action": "forward", "unit": "Dinas PUPR", "note": "sesuai kewenangan"},
		{"action": "respond", "note": "Perbaikan jalan dijadwalkan minggu depan."},
	} {
		if code := call(t, "POST", acts, a, nil); code != 200 {
			t.Fatalf("%s: %d", a["action"], code)
		}
	}

	url := srv.URL + "/api/v1/public/track/" + created.ID
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("lookup: %d %s", resp.StatusCode, raw)
	}
	for _, want := range []string{created.ID, `"status":"in_progress"`, "Perbaikan jalan dijadwalkan minggu depan."} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("the lookup does not say %q: %s", want, raw)
		}
	}
	for _, secret := range []string{"Siti Aminah", "3214024506870001", "0812-3456-7890", "Jalan desa rusak",
		"membahayakan", "Raya Campaka", "Catatan internal", "tetangga", "demo."} {
		if strings.Contains(string(raw), secret) {
			t.Errorf("the lookup gives away %q: %s", secret, raw)
		}
	}

	other := schema.TrackingNumber(schema.Origin{Region: testDesa, Incarnation: "ABCDEF"}, 7)
	if code := getCode(t, srv.URL+"/api/v1/public/track/"+other); code != 404 {
		t.Errorf("an unknown number: %d, want 404", code)
	}
	for i := 2; i < trackLimit; i++ {
		if code := getCode(t, url); code != 200 {
			t.Fatalf("lookup %d of %d: %d", i+1, trackLimit, code)
		}
	}
	resp, err = http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" || !strings.Contains(string(raw), "too_many_lookups") {
		t.Fatalf("lookup %d: %d %q %s, want 429 with Retry-After", trackLimit+1, resp.StatusCode, resp.Header.Get("Retry-After"), raw)
	}
}

func getCode(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestWindow: a key is allowed limit times per period, counted from its
// first time, then refused with the wait until its period ends; other
// keys are counted apart.
func TestWindow(t *testing.T) {
	w := newWindow(3, time.Minute)
	t0 := time.Unix(1_800_000_000, 0)
	for i := 0; i < 3; i++ {
		if _, ok := w.allow("a", t0.Add(time.Duration(i)*time.Second)); !ok {
			t.Fatalf("try %d refused", i+1)
		}
	}
	if wait, ok := w.allow("a", t0.Add(10*time.Second)); ok || wait != 50*time.Second {
		t.Fatalf("the fourth: %v %v, want refused for 50s", wait, ok)
	}
	if _, ok := w.allow("b", t0.Add(10*time.Second)); !ok {
		t.Fatal("another key refused")
	}
	if _, ok := w.allow("a", t0.Add(time.Minute)); !ok {
		t.Fatal("refused after the period ended")
	}
}

// TestTokenIssueLimited: an officer issues at most issueLimit sync tokens
// an hour; the next is refused with a 429 in words, and issues nothing.
func TestTokenIssueLimited(t *testing.T) {
	n, srv := serveTestMember(t)
	for i := 0; i < issueLimit; i++ {
		region := fmt.Sprintf("32.14.02.%04d", 2001+i)
		if code := call(t, "POST", srv.URL+"/api/v1/sync/tokens", map[string]string{"region": region}, nil); code != 201 {
			t.Fatalf("token %d: %d", i+1, code)
		}
	}
	before := storeDigest(t, n.Store())
	var e struct {
		Error struct{ Code, Message string }
	}
	if code := call(t, "POST", srv.URL+"/api/v1/sync/tokens", map[string]string{"region": "32.14.02.2999"}, &e); code != 429 ||
		e.Error.Code != "too_many_tokens" || e.Error.Message == "" {
		t.Fatalf("token %d: %d %+v, want 429 too_many_tokens", issueLimit+1, code, e.Error)
	}
	if storeDigest(t, n.Store()) != before {
		t.Fatal("a refused token issue changed the store")
	}
}
