package httpapi

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	demo "github.com/lumbung/lumbung/internal/staff"
	"github.com/lumbung/lumbung/node"
)

// fuzzAPI sends arbitrary bodies to one route of a real node's handler,
// as an officer whose role may call it: the answer is never a 500, always
// JSON, and a refused request leaves the store byte for byte as it was.
func fuzzAPI(f *testing.F, method string, path func(n *node.Node) string, seeds ...string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	n, _ := openTestNode(f)
	office, err := demo.Add(f.Context(), n)
	if err != nil {
		f.Fatal(err)
	}
	h := Handler(n)
	f.Fuzz(func(t *testing.T, body []byte) {
		target := path(n)
		before := storeDigest(t, n.Store())
		req := httptest.NewRequest(method, target, bytes.NewReader(body))
		req.Host = "127.0.0.1" // the node listens on loopback: it answers no other Host
		req.Header.Set("Content-Type", "application/json")
		x, ok := routeAccess()(req)
		guarded := ok && !x.public
		if guarded {
			req.Header.Set("Authorization", "Bearer "+office.Token(roleFor(x)))
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 || guarded && rec.Code == http.StatusUnauthorized || rec.Code == http.StatusMisdirectedRequest {
			t.Fatalf("%s %s answered %d to %q: %s", method, req.URL.Path, rec.Code, body, rec.Body)
		}
		if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
			t.Fatalf("answer is %q, not JSON", ct)
		}
		if rec.Code >= 400 && storeDigest(t, n.Store()) != before {
			t.Fatalf("refused request (%d) changed the store: %q", rec.Code, body)
		}
	})
}

func FuzzComplaintAPI(f *testing.F) {
	good, _ := jsonBody(sampleComplaint())
	fuzzAPI(f, http.MethodPost, func(*node.Node) string { return "/api/v1/complaints" },
		string(good), `{}`, `{"region":"32.14.02.2001","reporter":{"nik":"1"}}`, `{"location":{"lat":1e400}}`, `[`, `null`)
}

func FuzzActionAPI(f *testing.F) {
	var id string
	fuzzAPI(f, http.MethodPost, func(n *node.Node) string {
		if id == "" {
			c, err := n.Store().CreateComplaint(context.Background(), testInput(1))
			if err != nil {
				f.Fatal(err)
			}
			id = c.ID
		}
		return "/api/v1/complaints/" + id + "/actions"
	}, `{"action":"verify"}`, `{"action":"forward","unit":"Dinas PUPR"}`, `{"action":"reject","reason":"duplicate"}`, `{"action":7}`)
}

func FuzzMonografiAPI(f *testing.F) {
	fuzzAPI(f, http.MethodPut, func(*node.Node) string { return "/api/v1/monografi/32.14.02.2001/2026-S1" },
		`{"values":{"penduduk.jumlah":100,"penduduk.laki_laki":60,"penduduk.perempuan":40}}`,
		`{"values":{"penduduk.kk":-1}}`, `{"values":{"x":1e309}}`, `{"values":null}`, `{"officer":"a","values":{"wilayah.luas_km2":3.5}}`)
}

// FuzzLoginAPI: a login body of any shape is answered in words, never a
// 500, and a refused one stores nothing.
func FuzzLoginAPI(f *testing.F) {
	fuzzAPI(f, http.MethodPost, func(*node.Node) string { return "/api/v1/login" },
		`{"name":"demo.operator","password":"`+demo.Password+`"}`, `{"name":"demo.admin","password":"x","token":true}`,
		`{"name":7}`, `{}`, `[`, `{"name":"`+strings.Repeat("a", 5000)+`"}`)
}

// FuzzCredential: whatever a caller shows as its credential (an
// Authorization header, a session cookie) is refused with a 401 in words
// on a route that needs a login, never a 500, and nobody is let in.
func FuzzCredential(f *testing.F) {
	for _, s := range []string{"Bearer lbt_0123456789", "Bearer ", "Basic YWRtaW46YWRtaW4=", "Member x", "bearer lbt_x",
		"Bearer lbs_" + strings.Repeat("A", 200), "lbt_", "\x00", "Bearer lbt_\xff\xfe"} {
		f.Add(s, "")
		f.Add("", strings.TrimPrefix(s, "Bearer "))
	}
	n, _ := openTestNode(f)
	if _, err := demo.Add(f.Context(), n); err != nil {
		f.Fatal(err)
	}
	h := Handler(n)
	f.Fuzz(func(t *testing.T, auth, cookie string) {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/complaints", nil)
		req.Host = "127.0.0.1"
		if auth != "" {
			req.Header["Authorization"] = []string{auth}
		}
		if cookie != "" {
			req.Header["Cookie"] = []string{CookieName + "=" + cookie}
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusUnauthorized {
			t.Fatalf("credential %q / cookie %q: %d %s, want 401", auth, cookie, rec.Code, rec.Body)
		}
		if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
			t.Fatalf("answer is %q, not JSON", ct)
		}
	})
}
