package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	demo "github.com/lumbung/lumbung/internal/staff"
	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/replication/cluster"
	"github.com/lumbung/lumbung/replication/exchange"
)

// TestClusterRoute asks GET /api/v1/cluster, the route PRODUCT.md names:
// a cluster member answers its admin with its status (members, leader,
// applied index) at once, without a redirect, and nobody without a
// login; a desa node, which is no member, answers 404 in the JSON error
// shape.
func TestClusterRoute(t *testing.T) {
	n, srv := serveTestMember(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := n.Cluster().WaitApplied(ctx, 1); err != nil { // the genesis: a leader, an applied entry
		t.Fatal(err)
	}
	url := srv.URL + "/api/v1/cluster"
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("GET /api/v1/cluster with no login: %d %s, want 401 JSON", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var st cluster.Status
	if code := call(t, "GET", url, nil, &st); code != http.StatusOK {
		t.Fatalf("GET /api/v1/cluster: %d", code)
	}
	if len(st.Members) != 1 || st.Leader == "" || st.Leader != st.Members[0].ID || st.AppliedIndex == 0 {
		t.Fatalf("cluster status %+v: want one member, its leader and an applied index", st)
	}

	_, desa := openTestNode(t)
	var e struct {
		Error struct{ Code, Message string }
	}
	if code := call(t, "GET", desa.URL+"/api/v1/cluster", nil, &e); code != http.StatusNotFound || e.Error.Code == "" || e.Error.Message == "" {
		t.Fatalf("desa GET /api/v1/cluster: %d %+v, want 404 with an error code and message", code, e)
	}
}

// TestMemberEndpoints: the endpoints members call on each other
// (propose, readindex, join, remove) are not on the node's HTTP port at
// all, which faces officers and desa laptops: there each answers 404
// whatever the caller shows (no credential, the cluster's member key as
// the previous release took it, an admin's token, an officer's cookie),
// and nothing of the cluster changes. They live on the raft port behind
// mutual TLS (testcluster's TestMemberAttacks).
func TestMemberEndpoints(t *testing.T) {
	n, srv := serveTestMember(t)
	hire(t, srv.URL)
	admin := demo.Lookup(srv.URL).Token(officer.Admin)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := n.Cluster().WaitApplied(ctx, 1); err != nil {
		t.Fatal(err)
	}
	before := storeDigest(t, n.Store())
	last := func() uint64 {
		st, err := n.Cluster().Status()
		if err != nil {
			t.Fatal(err)
		}
		return st.LastIndex
	}
	applied := last()
	nodesMu.Lock()
	dir := dirs[srv.URL]
	nodesMu.Unlock()
	key, err := node.LoadMemberKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	bodies := map[string]string{
		cluster.PathPropose:   `{"kind":"officer.add","v":1,"account":{"name":"penyusup","role":"admin"}}`,
		cluster.PathReadIndex: ``,
		cluster.PathJoin:      `{"id":"http://127.0.0.1:1","raft_addr":"127.0.0.1:1"}`,
		cluster.PathRemove:    `{"id":"` + srv.URL + `"}`,
		cluster.PathEnroll:    `{"token":"lbj1.x.y","id":"http://127.0.0.1:1","raft_addr":"127.0.0.1:1"}`,
	}
	for path, body := range bodies {
		for _, tc := range []struct{ who, header, value string }{
			{"no credential", "", ""},
			{"the member key", "Authorization", "Member " + key},
			{"an admin's token", "Authorization", "Bearer " + admin},
			{"an officer's cookie", "Cookie", CookieName + "=lbs_0123456789"},
		} {
			status, e := sendWith(t, "POST", srv.URL+path, body, tc.header, tc.value)
			if status != http.StatusNotFound || e.Error.Code != "no_route" {
				t.Errorf("%s from %s: %d %+v, want 404 no_route", path, tc.who, status, e.Error)
			}
		}
	}
	if last() != applied || storeDigest(t, n.Store()) != before {
		t.Fatal("a refused member request changed the cluster")
	}

	// The other way round: the member key opens no officer's route, and
	// the sync exchange takes neither an officer's token nor a cookie.
	for _, tc := range []struct {
		what, method, path, header, value string
		code                              string
	}{
		{"the member key on the complaints", "GET", "/api/v1/complaints", "Authorization", "Member " + key, "session_ended"},
		{"the member key adding an officer", "POST", "/api/v1/officers", "Authorization", "Member " + key, "session_ended"},
		{"an admin's token on the exchange", "POST", exchange.Path, "Authorization", "Bearer " + admin, "bad_token"},
		{"an officer's cookie on the exchange", "POST", exchange.Path, "Cookie", CookieName + "=lbs_0123456789", "bad_token"},
	} {
		status, e := sendWith(t, tc.method, srv.URL+tc.path, `{}`, tc.header, tc.value)
		if status != 401 || e.Error.Code != tc.code {
			t.Errorf("%s: %d %s, want 401 %s", tc.what, status, e.Error.Code, tc.code)
		}
	}
}

// sendWith sends a JSON body with one header (none when header is "")
// and returns the status and the error answered.
func sendWith(t *testing.T, method, url, body, header, value string) (int, locale.ErrorBody) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if header != "" {
		req.Header.Set(header, value)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e locale.ErrorBody
	_ = json.NewDecoder(resp.Body).Decode(&e)
	return resp.StatusCode, e
}

// TestSyncListener: what a node serves on its sync listener
// (Config.SyncAddr) is the sync exchange and /healthz, nothing else: not
// the officers' API (even to an admin's token), not login, not /metrics.
func TestSyncListener(t *testing.T) {
	n, api := serveTestMember(t)
	hire(t, api.URL)
	admin := demo.Lookup(api.URL).Token(officer.Admin)
	srv := httptest.NewServer(SyncHandler(n))
	t.Cleanup(srv.Close)
	for _, tc := range []struct {
		method, path, header, value string
		status                      int
		code                        string
	}{
		{"POST", exchange.Path, "", "", 401, "bad_token"}, // the exchange itself: it asks for a token
		{"GET", "/api/v1/complaints", "Authorization", "Bearer " + admin, 404, "no_route"},
		{"POST", "/api/v1/login", "", "", 404, "no_route"},
		{"GET", "/api/v1/cluster", "Authorization", "Bearer " + admin, 404, "no_route"},
		{"GET", "/metrics", "", "", 404, "no_route"},
		{"POST", cluster.PathPropose, "", "", 404, "no_route"},
	} {
		status, e := sendWith(t, tc.method, srv.URL+tc.path, `{}`, tc.header, tc.value)
		if status != tc.status || e.Error.Code != tc.code || e.Error.Message == "" {
			t.Errorf("%s %s on the sync listener: %d %+v, want %d %s", tc.method, tc.path, status, e.Error, tc.status, tc.code)
		}
	}
	resp, err := http.Get(srv.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("/healthz on the sync listener: %d", resp.StatusCode)
	}
}
