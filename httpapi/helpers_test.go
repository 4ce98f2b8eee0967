package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	demo "github.com/lumbung/lumbung/internal/staff"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/replication/cluster"
	"github.com/lumbung/lumbung/schema"
)

const testDesa = schema.Code("32.14.02.2001")

// cheapPasswords makes the tests' password hashes cheap; officer's tests
// cover the real costs.
var cheapPasswords = officer.Params{Memory: 64, Time: 1, Threads: 1}

// testLogger sends a node's logs to t.Log.
func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// openTestNode opens a desa node on a fresh directory and serves its API
// on a real loopback HTTP server.
func openTestNode(t testing.TB) (*node.Node, *httptest.Server) {
	t.Helper()
	return serveTestNode(t, node.DefaultConfig(node.TierDesa, testDesa), node.Options{Logger: testLogger(t), PasswordCost: cheapPasswords})
}

// serveTestMember opens a one-member kecamatan cluster (raft on a free
// loopback port, loopback timings) and serves it like serveTestNode.
func serveTestMember(t testing.TB) (*node.Node, *httptest.Server) {
	t.Helper()
	return serveTestMemberWith(t, nil)
}

// serveTestMemberWith is serveTestMember with its configuration changed
// by edit first.
func serveTestMemberWith(t testing.TB, edit func(*node.Config)) (*node.Node, *httptest.Server) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := node.DefaultConfig(node.TierKecamatan, "32.14.02")
	cfg.RaftAddr = ln.Addr().String()
	ln.Close()
	if edit != nil {
		edit(&cfg)
	}
	settings := cluster.LoopbackSettings()
	return serveTestNode(t, cfg, node.Options{Logger: testLogger(t), Raft: &settings, PasswordCost: cheapPasswords})
}

// serveTestNode opens a node of cfg on a fresh directory and serves it on
// a real loopback HTTP server.
func serveTestNode(t testing.TB, cfg node.Config, opts node.Options) (*node.Node, *httptest.Server) {
	t.Helper()
	dir := t.TempDir()
	if err := node.SaveConfig(dir, cfg); err != nil {
		t.Fatal(err)
	}
	n, err := node.Open(dir, cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(Handler(n))
	t.Cleanup(func() {
		srv.Close()
		if err := n.Close(); err != nil {
			t.Error(err)
		}
	})
	served(n, srv.URL)
	nodesMu.Lock()
	dirs[srv.URL] = dir
	nodesMu.Unlock()
	return n, srv
}

// newTestServer serves n's API on a real loopback HTTP server.
func newTestServer(t testing.TB, n *node.Node) string {
	srv := httptest.NewServer(Handler(n))
	t.Cleanup(srv.Close)
	served(n, srv.URL)
	return srv.URL
}

// The nodes the tests serve, by URL, and whether call has staffed them.
var (
	nodesMu sync.Mutex
	nodes   = map[string]*node.Node{}
	hired   = map[string]bool{}
	dirs    = map[string]string{} // the data directory of each node serveTestNode made
)

func served(n *node.Node, url string) {
	nodesMu.Lock()
	defer nodesMu.Unlock()
	nodes[url] = n
	// A port an earlier test's server had may come round again: the new
	// node at that address has hired nobody yet.
	delete(hired, url)
}

func nodeAt(t testing.TB, url string) *node.Node {
	t.Helper()
	nodesMu.Lock()
	defer nodesMu.Unlock()
	for u, n := range nodes {
		if strings.HasPrefix(url, u) {
			return n
		}
	}
	t.Fatalf("no test node serves %s", url)
	return nil
}

// hire gives the office serving url, the first time call needs it, one
// officer of each role (package staff). A test that staffs the office
// itself (staff, in auth_test.go) never calls it.
func hire(t testing.TB, url string) {
	t.Helper()
	n := nodeAt(t, url)
	nodesMu.Lock()
	base := ""
	for u, m := range nodes {
		if m == n {
			base = u
		}
	}
	done := hired[base]
	hired[base] = true
	nodesMu.Unlock()
	if done {
		return
	}
	s, err := demo.Add(t.Context(), n)
	if err != nil {
		t.Fatal(err)
	}
	demo.Register(strings.TrimPrefix(base, "http://"), s)
}

// routeAccess finds the policy of the route a request goes to, from the
// route table itself.
var routeAccess = sync.OnceValue(func() func(*http.Request) (access, bool) {
	mux := http.NewServeMux()
	who := map[string]access{}
	for _, rt := range (&api{}).routeTable() {
		p := rt.method + " " + rt.pattern
		mux.Handle(p, http.NotFoundHandler())
		who[p] = rt.who
	}
	return func(r *http.Request) (access, bool) {
		_, p := mux.Handler(r)
		x, ok := who[p]
		return x, ok
	}
})

// roleFor is the first role (operator, verifikator, admin, viewer) whose
// grants allow x: who call acts as.
func roleFor(x access) officer.Role {
	for _, r := range officer.Roles {
		if x.act == "" || r.May(x.act) {
			return r
		}
	}
	return officer.Operator
}

// storeDigest hashes every key and value in the store: two equal digests
// mean the store is byte for byte the same.
func storeDigest(t testing.TB, s *node.Store) [32]byte {
	t.Helper()
	d, err := s.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func sampleComplaint() map[string]any {
	return map[string]any{
		"region": string(testDesa), "channel": "walk_in", "category": "infrastruktur",
		"title": "Jalan desa rusak di RT 03", "description": "Jalan utama berlubang sejak musim hujan, membahayakan pengendara motor.",
		"location": map[string]any{"address": "Jl. Raya Campaka", "rt": "003", "rw": "002"},
		"reporter": map[string]any{"name": "Siti Aminah", "nik": "3214024506870001", "phone": "0812-3456-7890"},
	}
}

// call sends a JSON request as an officer of the node whose role may
// send it (roleFor, from the route table; the node's staff, hire) and
// decodes the JSON answer. The tests of who may do what send as each
// role themselves (auth_test.go).
func call(t testing.TB, method, url string, body any, out any) int {
	t.Helper()
	req := jsonRequest(t, method, url, body)
	role := officer.Operator
	if x, ok := routeAccess()(req); ok && !x.public {
		role = roleFor(x)
		hire(t, url)
	}
	client := &http.Client{Timeout: 30 * time.Second, Transport: demo.Transport(role, nil)}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: answer is not JSON: %v: %q", method, url, err, raw)
		}
	}
	return resp.StatusCode
}

// jsonRequest is a request with a JSON body: bytes and strings as they
// are, anything else encoded.
func jsonRequest(t testing.TB, method, url string, body any) *http.Request {
	t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		r = bytes.NewReader(b)
	case string:
		r = strings.NewReader(b)
	default:
		raw, _ := json.Marshal(b)
		r = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	return req
}

func jsonBody(v any) ([]byte, error) { return json.Marshal(v) }

func testInput(i int) *schema.ComplaintInput {
	return &schema.ComplaintInput{Region: testDesa, Channel: "walk_in", Category: "infrastruktur",
		Title: fmt.Sprintf("Lampu jalan mati nomor %d", i), Description: "Lampu jalan di depan balai desa mati sejak seminggu.",
		Reporter: schema.Reporter{Name: "Budi Santoso", NIK: "3214020101800001"}}
}

// decodeInto decodes a JSON answer into v.
func decodeInto(resp *http.Response, v any) error { return json.NewDecoder(resp.Body).Decode(v) }
