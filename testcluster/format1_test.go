package testcluster

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lumbung/lumbung/httpapi"
	"github.com/lumbung/lumbung/localcluster"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/replication/cluster"
	"github.com/lumbung/lumbung/schema"
)

// TestFormat1DataDirectory: data directories written by the release before
// issue 15 (testdata/format1: a desa, and the one member of its kecamatan)
// open with this one, migrate, check clean, hold every complaint, action
// and monografi they held, and sync with new nodes both ways: the old
// kecamatan with a new kabupaten above it and a new desa beside the old.
func TestFormat1DataDirectory(t *testing.T) {
	ctx := context.Background()
	kab := NewCluster(t, 1, ClusterOptions{Region: "32.14"})
	kabURL := kab.Members[0].URL
	kecToken, err := localcluster.Enroll(kabURL, "32.14.02")
	if err != nil {
		t.Fatal(err)
	}
	kec := openFixture(t, "kec", func(c *node.Config) {
		c.Advertise = "http://127.0.0.1:9201" // the member's raft ID, as the old release recorded it
		c.Upstream, c.Token = kabURL, kecToken
	})
	desa := openFixture(t, "desa", func(c *node.Config) { c.Upstream = kec.url })
	for _, n := range []*fixtureNode{kec, desa} {
		if _, err := n.Store().Check(); err != nil {
			t.Fatalf("%s: check after opening an old directory: %v", n.name, err)
		}
	}
	want := map[string]schema.Status{
		"3214022001-S3F3WT-001Z": schema.StatusForwarded, "3214022001-S3F3WT-002X": schema.StatusVerified,
		"3214022001-S3F3WT-003V": schema.StatusVerified,
	}
	for id, st := range want {
		for _, n := range []*fixtureNode{kec, desa} {
			c, err := n.Store().Complaint(id)
			if err != nil || c.Status != st {
				t.Errorf("%s: complaint %s: %v %v, want %s", n.name, id, c, err, st)
			}
		}
	}
	if c, err := desa.Store().Complaint("3214022001-S3F3WT-001Z"); err == nil && (len(c.Actions) != 2 ||
		c.Actions[0].Actor != "Sekcam Dedi" || c.Actions[1].Unit != "Dinas PUPR") {
		t.Errorf("the desa's history of 001Z: %+v", c.Actions)
	}
	if c, err := desa.Store().Complaint("3214022001-S3F3WT-002X"); err != nil || c.Reporter.Name != "Budi" {
		t.Errorf("the anonymous reporter kept at the desa: %+v %v", c, err)
	}
	if c, err := kec.Store().Complaint("3214022001-S3F3WT-002X"); err != nil || c.Reporter.Name != "" {
		t.Errorf("the anonymous reporter at the kecamatan: %+v %v", c, err)
	}
	doc, err := apiClient(t, desa.url).Monografi(ctx, "32.14.02.2001", "2026-S1")
	if err != nil || doc.Status != "approved" || doc.Values["penduduk.jumlah"] != 7412 || doc.Values["wilayah.luas_km2"] != 9.44 {
		t.Errorf("the desa's monografi 2026-S1: %+v %v", doc, err)
	}

	// Both ways, with new nodes: the old kecamatan's log reaches the new
	// kabupaten, a new desa syncs with the old kecamatan, and an action
	// taken at the kabupaten reaches the old desa.
	newDesaToken, err := localcluster.Enroll(kec.url, "32.14.02.2002")
	if err != nil {
		t.Fatal(err)
	}
	newDesa, err := localcluster.StartDesa(t.TempDir(), "32.14.02.2002", DesaOptions{Upstream: kec.url, Token: newDesaToken, Uplink: localcluster.FastUplink})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = newDesa.Stop() })
	fresh := takeComplaint(t, newDesa.URL, "32.14.02.2002")
	old := takeComplaint(t, desa.url, "32.14.02.2001")
	kabStore := kab.Members[0].Node().Store()
	for _, id := range []string{fresh, old, "321402-6CSTX8-007T", "3214022001-S3F3WT-001Z"} {
		waitFor(t, func() bool { _, err := kabStore.Complaint(id); return err == nil }, 30*time.Second, id+" at the kabupaten")
	}
	// The old desa's token, issued before tokens expired or carried a
	// pin, was replaced at its first exchange by a successor with the
	// kecamatan's pin, kept in its lumbung.json: it moved to HTTPS by
	// itself, and the answer below reaches it that way.
	waitFor(t, func() bool {
		st := desa.SyncStatus()
		return st.Uplink != nil && strings.HasPrefix(st.Uplink.URL, "https://") && !hasWarning(st.Warnings, "plain_upstream")
	}, 30*time.Second, "the old desa on HTTPS")
	if cfg, err := node.LoadConfig(desa.dir); err != nil || !strings.Contains(cfg.Token, ".") {
		t.Fatalf("the old desa's kept token: %q %v, want one with a pin", cfg.Token, err)
	}
	Committed(t, time.Minute, "the kabupaten's response", func() error {
		_, err := kab.Members[0].Node().ActOnComplaint(ctx, "3214022001-S3F3WT-001Z",
			&schema.ActionInput{Action: "respond", Note: "Perbaikan jalan dijadwalkan April."})
		return err
	}, func() bool {
		c, err := kab.Members[Leader(t, kab)].Node().Store().Complaint("3214022001-S3F3WT-001Z")
		return err == nil && c.Status == schema.StatusInProgress
	})
	waitFor(t, func() bool {
		c, err := desa.Store().Complaint("3214022001-S3F3WT-001Z")
		return err == nil && c.Status == schema.StatusInProgress
	}, 30*time.Second, "the kabupaten's answer at the old desa")
	for _, n := range []*fixtureNode{kec, desa} {
		if _, err := n.Store().Check(); err != nil {
			t.Errorf("%s: check after syncing: %v", n.name, err)
		}
	}
}

// fixtureNode is a node opened on a copy of a fixture data directory.
type fixtureNode struct {
	*node.Node
	name, url, dir string
}

// openFixture copies testdata/format1/<name> and opens it, on loopback
// ports of its own (edit changes the rest of its configuration).
func openFixture(t *testing.T, name string, edit func(*node.Config)) *fixtureNode {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("testdata", "format1", name))); err != nil {
		t.Fatal(err)
	}
	if err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			err = os.Chmod(p, 0o600) // CopyFS keeps the read-only modes of a checkout
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	cfg, err := node.LoadConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg.HTTPAddr = FreeAddr(t)
	if cfg.RaftAddr != "" {
		cfg.RaftAddr = FreeAddr(t)
	}
	edit(&cfg)
	settings := cluster.LoopbackSettings()
	log := slog.New(slog.NewTextHandler(t.Output(), nil)).With("node", name)
	n, err := node.Open(dir, cfg, node.Options{Logger: log, Raft: &settings, Uplink: localcluster.FastUplink})
	if err != nil {
		t.Fatalf("open the %s of format 1: %v", name, err)
	}
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- httpapi.Serve(ctx, n, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("%s: serve: %v", name, err)
		}
		_ = n.Close()
	})
	f := &fixtureNode{Node: n, name: name, url: "http://" + cfg.HTTPAddr, dir: dir}
	if err := localcluster.WaitReady(f.url, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	// A node made before officers existed has none: it answers nobody
	// until its first serve gives it its first admin (lumbung serve does
	// what this does), whose one-time password staffs it.
	if code := getStatus(t, f.url+"/api/v1/node"); code != http.StatusUnauthorized {
		t.Fatalf("%s of format 1 before its first admin: GET /api/v1/node answered %d, want 401", name, code)
	}
	var pw string
	waitFor(t, func() bool {
		var err error
		pw, _, err = n.AddFirstAdmin(context.Background())
		return err == nil
	}, 20*time.Second, "the first admin of the "+name+" of format 1")
	if _, _, err := n.AddFirstAdmin(context.Background()); !errors.Is(err, node.ErrOfficerExists) {
		t.Fatalf("a second first admin: %v, want ErrOfficerExists", err)
	}
	if _, err := localcluster.Hire(f.url, pw); err != nil {
		t.Fatal(err)
	}
	return f
}

// getStatus sends GET url with no credential and returns the status.
func getStatus(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
