package testcluster

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/lumbung/lumbung/localcluster"
	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/replication/wire"
	"github.com/lumbung/lumbung/schema"
)

// TestFutureVersion plays nodes of a release that does not exist yet: a
// newer kabupaten writes an op no release knows on a desa's complaint, an
// action with a field no release knows, an entity kind no release knows
// for the whole kabupaten, and a monografi set with a new field; a newer
// desa sends up a complaint with such an op and entity beside it. They go
// through a real kabupaten cluster, a kecamatan cluster and desa nodes,
// down and up: no frame is refused, every replica of each scope holds
// them (Store.Check counts them, each indexed to fold after an upgrade)
// and every scope's digests converge, while intake and actions go on
// around them; the complaint's history shows them as not understood. A
// node that knows them folds what it kept: TestNewerChangesFoldAfterUpgrade
// (node) plays that upgrade.
func TestFutureVersion(t *testing.T) {
	ctx := context.Background()
	k := NewKabupaten(t, Topology{Kecamatan: 1, DesaPerKecamatan: 2, Members: 3})
	kec := k.Kecamatan[0]
	desaA, desaB := kec.Desa[0], kec.Desa[1]
	id := takeComplaint(t, desaA.URL, desaA.Code)
	kabNode := k.Cluster.Members[Leader(t, k.Cluster)].Node()
	waitFor(t, func() bool { _, err := kabNode.Store().Complaint(id); return err == nil }, time.Minute, "the complaint at the kabupaten")

	// Down: what a newer kabupaten writes.
	newerKab := schema.Origin{Region: k.Code, Incarnation: "NEWKAB"}
	wall := time.Now().UnixMilli()
	change := func(o schema.Origin, seq uint64, entity string, scope schema.Code, op schema.Op, body string) *schema.Change {
		return &schema.Change{Origin: o, Seq: seq, HLC: schema.HLC{Wall: wall + int64(seq)}, Actor: "Operator Kabupaten",
			Entity: entity, Scope: scope, Op: op, Body: json.RawMessage(body)}
	}
	down := []*schema.Change{
		change(newerKab, 1, schema.ComplaintEntity(id), desaA.Code, "complaint.attach", `{"photo":"sha256:9f2c","bytes":48213}`),
		change(newerKab, 2, schema.ComplaintEntity(id), desaA.Code, schema.OpComplaintAction, `{"action":"verify","sla_days":3}`),
		change(newerKab, 3, "notice/"+string(k.Code)+"/1", k.Code, "notice.publish", `{"title":"Libur nasional","days":["2026-12-25"]}`),
		change(newerKab, 4, monografi.Entity(desaB.Code, "2026-S1"), desaB.Code, schema.OpMonografiSet,
			`{"values":{"penduduk.jumlah":100},"source":"bps"}`),
	}
	// Held changes are skipped, so a retry after an unknown outcome is safe.
	Committed(t, time.Minute, "a newer kabupaten's changes", func() error {
		_, err := k.Cluster.Members[Leader(t, k.Cluster)].Node().ImportChanges(ctx, down)
		return err
	}, func() bool { return false })

	// Up: what a newer desa sends, beside desa A and B.
	const newDesa = schema.Code("32.14.01.2003")
	token, err := localcluster.Enroll(kec.Members[0].URL, newDesa)
	if err != nil {
		t.Fatal(err)
	}
	newerDesa := schema.Origin{Region: newDesa, Incarnation: "NEWDSA"}
	created := schema.ComplaintEntity("3214012003-NEWDSA-0001")
	up := []*schema.Change{
		change(newerDesa, 1, created, newDesa, schema.OpComplaintCreate,
			`{"id":"3214012003-NEWDSA-0001","region":"32.14.01.2003","channel":"walk_in","category":"lingkungan","classification":"complaint","title":"Sungai tercemar","description":"Air sungai berbau sejak pabrik buka.","location":{},"reporter":{}}`),
		change(newerDesa, 2, created, newDesa, "complaint.attach", `{"photo":"sha256:77aa"}`),
		change(newerDesa, 3, "attachment/3214012003-NEWDSA-0001-1", newDesa, "attachment.add", `{"bytes":91022}`),
	}
	hello := wire.Hello{Version: wire.Version, Min: wire.MinVersion, Max: wire.Version, Origin: newerDesa,
		Dicts: wire.Dictionaries(), Catalogue: monografi.BuiltinVersion}
	if code, body := postExchange(t, kec.Members[0].URL, token, exchangeBody(t, hello, &wire.Batch{Last: 3, Changes: up})); code != http.StatusOK {
		t.Fatalf("a newer desa's exchange: %d %s", code, body)
	}

	// Intake and actions go on around them.
	later := takeComplaint(t, desaB.URL, desaB.Code)
	kecNode := kec.Members[Leader(t, kec.Cluster)].Node()
	waitFor(t, func() bool { _, err := kecNode.Store().Complaint(later); return err == nil }, time.Minute, "intake after them")
	Committed(t, time.Minute, "the kecamatan's verify", func() error {
		_, err := kec.Members[Leader(t, kec.Cluster)].Node().ActOnComplaint(ctx, id, &schema.ActionInput{Action: "verify", Note: "Sudah dicek."})
		return err
	}, func() bool {
		c, err := kec.Members[Leader(t, kec.Cluster)].Node().Store().Complaint(id)
		return err == nil && c.Status == schema.StatusVerified
	})
	WaitConverged(t, k)

	// Every replica holds what its scope covers, kept and not understood.
	want := map[*Member]uint64{desaA.Member: 3, desaB.Member: 2} // A: 1, 2, 3; B: 3, 4
	for _, m := range append(k.Cluster.Members, kec.Members...) {
		want[m] = 6 // the kabupaten's four, the newer desa's attach and attachment
	}
	for m, n := range want {
		rep, err := m.Node().Store().Check()
		if err != nil || rep.NotUnderstood != n {
			t.Errorf("%s: check %v, %d changes kept not understood, want %d", m.URL, err, rep.NotUnderstood, n)
		}
		// An idle exchange may fail now and then on a loaded machine (a
		// leader election under -race) and is retried: the uplink must
		// come back to no error, not never have had one. A cluster's
		// uplink is as its leader sees it (a member that led, failed once
		// and lost the lead keeps its idle copy's last error).
		var last string
		if err := localcluster.Eventually(30*time.Second, m.URL+"'s uplink without an error", func() bool {
			up := m.Node().SyncStatusFresh(ctx).Uplink
			if up == nil {
				return true
			}
			last = up.LastError
			return last == ""
		}); err != nil {
			t.Errorf("%s: uplink says %q", m.URL, last)
		}
	}
	c, err := apiClient(t, desaA.URL).Complaint(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var shown []schema.Op
	for _, a := range c.Actions {
		if a.NotUnderstood {
			shown = append(shown, a.Op)
		}
	}
	if c.Status != schema.StatusVerified || len(shown) != 2 {
		t.Errorf("complaint %s at the desa: %s, not understood %v; want verified and the attach and the action", id, c.Status, shown)
	}
}
