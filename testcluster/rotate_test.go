package testcluster

import (
	"strings"
	"testing"
	"time"

	"github.com/lumbung/lumbung/localcluster"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/schema"
)

// tokenLife is the sync tokens' life in the rotation tests: a successor
// is offered after half of it.
const tokenLife = 12 * time.Second

// regionTokens returns the token records of region at n.
func regionTokens(t *testing.T, n *node.Node, region schema.Code) []node.Token {
	t.Helper()
	all, err := n.Store().Tokens()
	if err != nil {
		t.Fatal(err)
	}
	var out []node.Token
	for _, tok := range all {
		if tok.Region == region {
			out = append(out, tok)
		}
	}
	return out
}

// TestTokenRotation: a desa's token is replaced by itself once half its
// life has passed: the desa keeps the successor in lumbung.json (never
// the old one again), its first use revokes the old token, so a copy of
// the old one is refused, and the successor serves the same laptop only;
// the desa syncs on throughout. A token whose node did not sync for its
// whole life expires and is refused in words.
func TestTokenRotation(t *testing.T) {
	kec := NewCluster(t, 1, ClusterOptions{TokenLifetime: tokenLife})
	url := kec.Members[0].URL
	kn := kec.Members[0].Node()
	const region, idle = schema.Code("32.14.02.2001"), schema.Code("32.14.02.2002")
	first, err := localcluster.Enroll(url, region)
	if err != nil {
		t.Fatal(err)
	}
	forgotten, err := localcluster.Enroll(url, idle) // its desa stays off for the token's whole life
	if err != nil {
		t.Fatal(err)
	}
	desa, err := localcluster.StartDesa(t.TempDir(), region, DesaOptions{Logger: Logger(t), Upstream: url, Token: first,
		Uplink: localcluster.FastUplink})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = desa.Stop() })
	kecAPI := apiClient(t, url)
	id := takeComplaint(t, desa.URL, region)
	waitFor(t, func() bool { return hasComplaint(kecAPI, id) }, 30*time.Second, "the complaint at the kecamatan")

	// Half a life later the desa holds a successor, and the old token is
	// revoked once the successor was used.
	var kept string
	waitFor(t, func() bool {
		cfg, err := node.LoadConfig(desa.Data)
		kept = cfg.Token
		return err == nil && kept != first
	}, 3*tokenLife, "the successor token kept in the desa's lumbung.json")
	oldSecret, _, _ := strings.Cut(first, ".")
	waitFor(t, func() bool {
		for _, tok := range regionTokens(t, kn, region) {
			if tok.Hash == node.TokenHash(oldSecret) {
				return tok.Revoked && tok.Successor != ""
			}
		}
		return false
	}, 30*time.Second, "the old token revoked at the successor's first use")
	origin := desa.Node().Store().Origin()
	if status, code := postExchange(t, url, oldSecret, exchangeBody(t, hello(origin), nil)); status != 401 || code != "bad_token" {
		t.Fatalf("the old token after rotation: %d %s, want 401 bad_token", status, code)
	}
	// The successor is bound to the same laptop: another origin is refused.
	newSecret, _, _ := strings.Cut(kept, ".")
	stranger := schema.Origin{Region: region, Incarnation: "R0TA7E"}
	if status, code := postExchange(t, url, newSecret, exchangeBody(t, hello(stranger), nil)); status != 403 || code != "token_bound" {
		t.Fatalf("the successor from another laptop: %d %s, want 403 token_bound", status, code)
	}
	id = takeComplaint(t, desa.URL, region)
	waitFor(t, func() bool { return hasComplaint(kecAPI, id) }, 30*time.Second, "a complaint after the rotation")
	if up := desa.Node().SyncStatus().Uplink; up.LastError != "" {
		t.Fatalf("the desa shows an error after its rotation: %s", up.LastError)
	}

	// Revoking the token the admin issued revokes its successors too: the
	// laptop it went to is cut off.
	if _, err := kn.Revoke(t.Context(), node.TokenHash(oldSecret)[:12]); err != nil {
		t.Fatal(err)
	}
	for _, tok := range regionTokens(t, kn, region) {
		if !tok.Revoked {
			t.Fatalf("token %s of the desa still live after its first token was revoked", tok.ID)
		}
	}

	// The token of a desa that stayed off past its life: refused in words.
	waitFor(t, func() bool {
		for _, tok := range regionTokens(t, kn, idle) {
			if time.Now().UnixMilli() < tok.Expires {
				return false
			}
		}
		return true
	}, 2*tokenLife, "the forgotten token's expiry")
	late, err := localcluster.StartDesa(t.TempDir(), idle, DesaOptions{Logger: Logger(t), Upstream: url, Token: forgotten,
		Uplink: localcluster.FastUplink})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = late.Stop() })
	waitFor(t, func() bool {
		up := late.Node().SyncStatus().Uplink
		return strings.Contains(up.LastError, "kedaluwarsa") && strings.Contains(up.LastErrorEN, "expired")
	}, 30*time.Second, "the expired token refused in words")
}

// TestClusterTokenRotation: a kecamatan cluster's own token, rotated by
// its kabupaten, is kept in the cluster's state (sealed), so the member
// that leads next syncs with the successor, not with the revoked token
// in its lumbung.json.
func TestClusterTokenRotation(t *testing.T) {
	kab := NewCluster(t, 1, ClusterOptions{Region: "32.14", TokenLifetime: tokenLife})
	kabURL := kab.Members[0].URL
	token, err := localcluster.Enroll(kabURL, "32.14.02")
	if err != nil {
		t.Fatal(err)
	}
	kec := NewCluster(t, 3, ClusterOptions{Upstream: kabURL, Token: token, Uplink: localcluster.FastUplink})
	oldSecret, _, _ := strings.Cut(token, ".")
	waitFor(t, func() bool {
		for _, tok := range regionTokens(t, kab.Members[0].Node(), "32.14.02") {
			if tok.Hash == node.TokenHash(oldSecret) {
				return tok.Revoked
			}
		}
		return false
	}, 3*tokenLife, "the kecamatan's first token replaced by its successor")
	lead := Leader(t, kec)
	if err := kec.Members[lead].Stop(); err != nil {
		t.Fatal(err)
	}
	next := (lead + 1) % 3
	kabAPI := apiClient(t, kabURL)
	id := takeComplaint(t, kec.Members[next].URL, "32.14.02.2001")
	waitFor(t, func() bool { return hasComplaint(kabAPI, id) }, time.Minute, "a complaint of the new leader's at the kabupaten")
	for i, m := range kec.Members {
		if i == lead {
			continue
		}
		if up := m.Node().SyncStatusFresh(t.Context()).Uplink; up == nil || strings.Contains(up.LastError, "token") {
			t.Fatalf("member %d after the leader change: %+v", i, up)
		}
	}
}
