package httpapi

import (
	"net/http"
	"strings"
	"testing"

	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/replication/exchange"
)

// TestBrowserSafety replays what a web page the officer visits could try
// with the officer's cookie: a cross-site POST (by Sec-Fetch-Site or by
// Origin), a POST with no Content-Type (a form), and a request whose Host
// is another name resolving to the laptop (DNS rebinding). Each is
// refused in words and stores nothing; the same request from the node's
// own page goes through.
func TestBrowserSafety(t *testing.T) {
	n, srv := openTestNode(t)
	op := staff(t, srv.URL)[officer.Operator]
	body, _ := jsonBody(sampleComplaint())
	send := func(mod func(*http.Request)) (int, string) {
		t.Helper()
		req := jsonRequest(t, "POST", srv.URL+"/api/v1/complaints", body)
		mod(req)
		resp, err := op.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var e struct {
			Error struct{ Code string } `json:"error"`
		}
		_ = decodeInto(resp, &e)
		return resp.StatusCode, e.Error.Code
	}
	before := storeDigest(t, n.Store())
	for name, tc := range map[string]struct {
		mod    func(*http.Request)
		status int
		code   string
	}{
		"cross-site fetch": {func(r *http.Request) { r.Header.Set("Sec-Fetch-Site", "cross-site") }, 403, "cross_origin"},
		"foreign origin":   {func(r *http.Request) { r.Header.Set("Origin", "http://evil.example") }, 403, "cross_origin"},
		"a form post":      {func(r *http.Request) { r.Header.Set("Content-Type", "application/x-www-form-urlencoded") }, 415, "unsupported_media_type"},
		"no content type":  {func(r *http.Request) { r.Header.Del("Content-Type") }, 415, "unsupported_media_type"},
		"rebound host":     {func(r *http.Request) { r.Host = "evil.example:8080" }, 421, "foreign_host"},
	} {
		if status, code := send(tc.mod); status != tc.status || code != tc.code {
			t.Errorf("%s: %d %s, want %d %s", name, status, code, tc.status, tc.code)
		}
	}
	if storeDigest(t, n.Store()) != before {
		t.Fatal("a refused request changed the store")
	}
	if status, code := send(func(r *http.Request) {
		r.Header.Set("Sec-Fetch-Site", "same-origin")
	}); status != 201 {
		t.Fatalf("the node's own page: %d %s", status, code)
	}
	for host, want := range map[string]int{"localhost": 200, "127.0.0.1": 200, "[::1]": 200, "evil.example": 421,
		"127.0.0.1.nip.io": 421} {
		req, _ := http.NewRequest("GET", srv.URL+"/healthz", nil)
		req.Host = host + ":8080"
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("Host %s: %d, want %d", host, resp.StatusCode, want)
		}
	}
}

// TestSecurityHeaders: every answer, an error included, carries the
// headers that keep a browser from sniffing, framing or caching it.
func TestSecurityHeaders(t *testing.T) {
	_, srv := openTestNode(t)
	for _, path := range []string{"/healthz", "/api/v1/nowhere", "/api/v1/public/complaints"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
			"Referrer-Policy": "no-referrer", "Cache-Control": "no-store"} {
			if got := resp.Header.Get(h); got != want {
				t.Errorf("%s: %s %q, want %q", path, h, got, want)
			}
		}
		if !strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("%s: no frame-ancestors in the CSP", path)
		}
	}
	// The sync exchange answers a desa's uplink, never a browser: its
	// held answers go without them (an idle desa's bytes a day).
	_, kec := serveTestMember(t)
	resp, err := http.Post(kec.URL+exchange.Path, "application/octet-stream", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("Content-Security-Policy") != "" || resp.Header.Get("X-Frame-Options") != "" {
		t.Errorf("the sync exchange carries the browser headers: %v", resp.Header)
	}
}
