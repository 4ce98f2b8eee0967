package testcluster

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lumbung/lumbung/client"
	"github.com/lumbung/lumbung/localcluster"
	"github.com/lumbung/lumbung/replication/exchange"
	"github.com/lumbung/lumbung/replication/wire"
	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/schema/sample"
)

// TestProtocolRanges: a desa and its kecamatan whose sync protocol ranges
// overlap work together at the highest version both speak; when they do
// not overlap, both sides say so in plain words (the desa's uplink status
// and the kecamatan's status of the link below), naming both versions and
// where to upgrade, and the kecamatan applies nothing.
func TestProtocolRanges(t *testing.T) {
	kec := NewCluster(t, 1, ClusterOptions{})
	kecURL := kec.Members[0].URL
	kecAPI := apiClient(t, kecURL)
	for _, tc := range []struct {
		name   string
		region schema.Code
		speaks wire.Range
		words  string // in the desa's status and the kecamatan's; empty: it syncs
	}{
		{"a desa one release behind", "32.14.02.2001", wire.Range{Min: 2, Max: 2}, ""},
		{"a desa releases ahead, still speaking 3", "32.14.02.2002", wire.Range{Min: 3, Max: 5}, ""},
		{"a desa too old", "32.14.02.2003", wire.Range{Min: 1, Max: 1}, "perbarui Lumbung di desa ini"},
		{"a desa too new", "32.14.02.2004", wire.Range{Min: 4, Max: 5}, "perbarui Lumbung di server"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			desa := startVersionedDesa(t, kecURL, tc.region, tc.speaks)
			id := takeComplaint(t, desa.URL, tc.region)
			if tc.words == "" {
				waitFor(t, func() bool { return hasComplaint(kecAPI, id) }, 20*time.Second, "the complaint at the kecamatan")
				if e := desa.Node().SyncStatus().Uplink.LastError; e != "" {
					t.Errorf("desa sync status after syncing: %q", e)
				}
				return
			}
			waitFor(t, func() bool {
				return strings.Contains(desa.Node().SyncStatus().Uplink.LastError, tc.words)
			}, 20*time.Second, "the desa's sync status to say: "+tc.words)
			up := desa.Node().SyncStatus().Uplink
			for _, v := range []string{tc.speaks.String(), wire.Supported.String()} {
				if !strings.Contains(up.LastError, v) || !strings.Contains(up.LastErrorEN, v) {
					t.Errorf("desa status %q / %q does not name version %s", up.LastError, up.LastErrorEN, v)
				}
			}
			var below string
			for _, l := range kec.Members[0].Node().SyncStatus().Below {
				if l.Region == string(tc.region) {
					below = l.LastError + ": " + l.LastErrorMessage
				}
			}
			if !strings.Contains(below, "protocol_version") || !strings.Contains(below, tc.speaks.String()) ||
				!strings.Contains(below, "perbarui Lumbung") {
				t.Errorf("kecamatan status of the link below: %q", below)
			}
			if hasComplaint(kecAPI, id) {
				t.Errorf("the kecamatan applied %s from a desa it cannot speak with", id)
			}
		})
	}
}

// TestProtocolOlderUpstream: an upstream still on today's release speaks
// only version 2 and refuses version 3 without naming its range; the
// uplink steps down to 2 and syncs.
func TestProtocolOlderUpstream(t *testing.T) {
	kec := NewCluster(t, 1, ClusterOptions{})
	target, err := url.Parse(kec.Members[0].URL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ErrorLog = log.New(io.Discard, "", 0) // held exchanges are cut at the end
	var refused, v2 atomic.Int64
	old := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != exchange.Path {
			proxy.ServeHTTP(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		var h wire.Hello
		if f, err := wire.NewReader(bytes.NewReader(body)).Next(); err != nil || f.JSON(&h) != nil {
			http.Error(w, "bad hello", 400)
			return
		}
		if h.Version != 2 { // today's server: one version, and the words of its refusal
			refused.Add(1)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(409)
			fmt.Fprintf(w, `{"error":{"code":"protocol_version","message":"versi protokol sinkronisasi berbeda: node ini %d, server 2; perbarui Lumbung","message_en":"sync protocol version %d, but this server speaks 2: upgrade Lumbung"}}`, h.Version, h.Version)
			return
		}
		v2.Add(1)
		r.Body = io.NopCloser(bytes.NewReader(body))
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(old.Close)
	const region = schema.Code("32.14.02.2001")
	token, err := localcluster.Enroll(kec.Members[0].URL, region)
	if err != nil {
		t.Fatal(err)
	}
	token, _, _ = strings.Cut(token, ".") // the old server speaks plain HTTP: a token without a certificate pin
	desa, err := localcluster.StartDesa(t.TempDir(), region, DesaOptions{Logger: Logger(t), Upstream: old.URL, Token: token, Uplink: localcluster.FastUplink})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = desa.Stop() })
	id := takeComplaint(t, desa.URL, region)
	kecAPI := apiClient(t, kec.Members[0].URL)
	waitFor(t, func() bool { return hasComplaint(kecAPI, id) }, 20*time.Second, "the complaint at the kecamatan")
	if refused.Load() == 0 || v2.Load() == 0 {
		t.Errorf("refused %d version-3 exchanges and served %d version-2 ones; want some of each", refused.Load(), v2.Load())
	}
}

// startVersionedDesa starts a desa enrolled with the kecamatan at kecURL
// whose uplink speaks the protocol versions r.
func startVersionedDesa(t *testing.T, kecURL string, region schema.Code, r wire.Range) *Member {
	t.Helper()
	token, err := localcluster.Enroll(kecURL, region)
	if err != nil {
		t.Fatal(err)
	}
	desa, err := localcluster.StartDesa(t.TempDir(), region, DesaOptions{Logger: Logger(t), Upstream: kecURL, Token: token,
		Uplink: func(c *exchange.UplinkConfig) { localcluster.FastUplink(c); c.Protocol = r }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = desa.Stop() })
	return desa
}

// takeComplaint takes a sample complaint for region through a node's API
// and returns its tracking number.
func takeComplaint(t *testing.T, nodeURL string, region schema.Code) string {
	t.Helper()
	c, err := apiClient(t, nodeURL).CreateComplaint(t.Context(), sample.New(uint64(len(region))).Complaint(region))
	if err != nil {
		t.Fatalf("take a complaint: %v", err)
	}
	return c.ID
}

// hasComplaint reports whether the node c speaks to answers for the
// complaint id.
func hasComplaint(c *client.Client, id string) bool {
	_, err := c.Complaint(context.Background(), id)
	return err == nil
}
