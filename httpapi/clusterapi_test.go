package httpapi

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/lumbung/lumbung/replication/cluster"
)

// TestClusterRoute asks GET /api/v1/cluster, the route PRODUCT.md names:
// a cluster member answers with its status (members, leader, applied
// index) at once, without a redirect; a desa node, which is no member,
// answers 404 in the JSON error shape.
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
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("GET /api/v1/cluster: %d %s, want 200 JSON", resp.StatusCode, resp.Header.Get("Content-Type"))
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
