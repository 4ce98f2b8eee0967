package testcluster

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lumbung/lumbung/localcluster"
	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/schema/sample"
)

// TestSyncBothWays: a desa's complaints reach its kecamatan cluster by
// themselves, the kecamatan's action reaches the desa, an anonymous
// reporter's identity stays on the desa, a confidential complaint is in
// no public view (at the desa or the kecamatan, where officers still see
// it), and nothing is echoed back.
func TestSyncBothWays(t *testing.T) {
	ctx := context.Background()
	kec := NewCluster(t, 1, ClusterOptions{})
	const region = schema.Code("32.14.02.2001")
	token, err := localcluster.Enroll(kec.Members[0].URL, region)
	if err != nil {
		t.Fatal(err)
	}
	desa, err := localcluster.StartDesa(t.TempDir(), region, DesaOptions{Logger: Logger(t), Upstream: kec.Members[0].URL, Token: token, Uplink: localcluster.FastUplink})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = desa.Stop() })
	gen := sample.New(3)
	var ids []string
	anon, secret := "", ""
	for i := 0; i < 30; i++ {
		in := gen.Complaint(region)
		in.Reporter.Confidential = i == 5
		c, err := desa.Node().Store().CreateComplaint(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
		if in.Reporter.Anonymous && anon == "" {
			anon = c.ID
		}
		if i == 5 {
			secret = c.ID
		}
	}
	kst := kec.Members[0].Node().Store()
	waitFor(t, func() bool {
		_, err := kst.Complaint(ids[len(ids)-1])
		return err == nil
	}, 20*time.Second, "complaints at the kecamatan")
	if anon != "" {
		c, err := kst.Complaint(anon)
		if err != nil || c.Reporter.Name != "" || c.Reporter.NIK != "" || c.Reporter.Phone != "" {
			t.Fatalf("anonymous reporter at the kecamatan: %+v %v", c.Reporter, err)
		}
	}
	if c, err := kst.Complaint(secret); err != nil || !c.Reporter.Confidential {
		t.Fatalf("the confidential complaint at the kecamatan: %v", err)
	}
	for _, url := range []string{kec.Members[0].URL, desa.URL} {
		checkPublicView(t, url, secret, len(ids)-1)
	}
	verify, _ := gen.Action("received")
	Committed(t, time.Minute, "the kecamatan's verify", func() error {
		_, err := kec.Members[0].Node().ActOnComplaint(ctx, ids[0], verify)
		return err
	}, func() bool {
		c, err := kec.Members[Leader(t, kec)].Node().Store().Complaint(ids[0])
		return err == nil && c.Status == "verified"
	})
	waitFor(t, func() bool {
		c, err := desa.Node().Store().Complaint(ids[0])
		return err == nil && c.Status == "verified"
	}, 20*time.Second, "the kecamatan's action at the desa")
	dd, _ := desa.Node().Store().StateDigest()
	waitFor(t, func() bool {
		kd, _ := kst.StateDigest()
		dd, _ = desa.Node().Store().StateDigest()
		return kd == dd
	}, 20*time.Second, "equal digests")
	up := desa.Node().SyncStatus()
	if up.Uplink == nil || up.Uplink.Pending != 0 || up.Uplink.LastSuccess == nil {
		t.Fatalf("desa sync status: %+v", up.Uplink)
	}
	// The action came down: it is not pending at the desa (no echo). The
	// kecamatan holds the desa's own changes (its complaints, the
	// reporters sealed apart, its key) and two of its own (its key, the
	// verify), each once.
	desaLog, _, _ := desa.Node().Store().LogRange(0, 1<<20)
	if rep, err := kst.Check(); err != nil || rep.LogEntries != uint64(countFrom(desaLog, region)+2) || rep.LocalChanges != 2 {
		t.Fatalf("kecamatan log: %+v %v", rep, err)
	}
}

// checkPublicView reads the public view of the node at url: it holds
// want complaints, not the confidential one, and nothing of any reporter.
func checkPublicView(t *testing.T, url, confidential string, want int) {
	t.Helper()
	resp, err := http.Get(url + "/api/v1/public/complaints?limit=500") // public: an outsider reads it
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("public view at %s: %d %v", url, resp.StatusCode, err)
	}
	var page struct {
		Complaints []map[string]any `json:"complaints"`
	}
	if err := json.Unmarshal(raw, &page); err != nil {
		t.Fatal(err)
	}
	if len(page.Complaints) != want {
		t.Fatalf("public view at %s: %d complaints, want %d", url, len(page.Complaints), want)
	}
	for _, c := range page.Complaints {
		if c["id"] == confidential {
			t.Fatalf("public view at %s shows confidential complaint %s", url, confidential)
		}
		for _, k := range []string{"reporter", "location", "actions"} {
			if _, ok := c[k]; ok {
				t.Fatalf("public view at %s shows %q of %v", url, k, c["id"])
			}
		}
	}
	if strings.Contains(string(raw), confidential) || strings.Contains(string(raw), `"nik"`) {
		t.Fatalf("public view at %s leaks: %s", url, raw)
	}
}
