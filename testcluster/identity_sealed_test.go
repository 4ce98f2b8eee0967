package testcluster

import (
	"bytes"
	"path/filepath"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2"
	"github.com/hashicorp/raft"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/replication/raftstore"
)

// decodedBytes is every key and value of the Pebble store in dir and
// every entry of the raft log under dataDir (if any), decoded: what a
// copied disk yields to someone who reads it with the right tools.
func decodedBytes(t *testing.T, dataDir string) []byte {
	t.Helper()
	var all []byte
	db, err := pebble.Open(node.StoreDir(dataDir), &pebble.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	it, err := db.NewIter(&pebble.IterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for it.First(); it.Valid(); it.Next() {
		all = append(append(all, it.Key()...), it.Value()...)
	}
	_ = it.Close()
	_ = db.Close()
	logs, err := raftstore.Open(filepath.Join(node.RaftDir(dataDir), "log"), raftstore.Options{})
	if err != nil {
		return all // a desa: no raft log
	}
	defer logs.Close()
	first, _ := logs.FirstIndex()
	last, _ := logs.LastIndex()
	for i := first; i <= last && last > 0; i++ {
		var l raft.Log
		if err := logs.GetLog(i, &l); err == nil {
			all = append(all, l.Data...)
		}
	}
	return all
}

// TestAnonymousAtKecamatanCounter: an anonymous reporter taken at a
// kecamatan's counter is in no raft log entry, no key and no value of any
// member in clear, and reaches the kabupaten not at all, sealed or not;
// the kecamatan's verifier, logged in, reads it.
func TestAnonymousAtKecamatanCounter(t *testing.T) {
	k := NewKabupaten(t, Topology{Kecamatan: 1, DesaPerKecamatan: 1, Members: 1})
	kec, desa := k.Kecamatan[0], k.Kecamatan[0].Desa[0]
	planted := []string{"Jayadiningrat", "3214020101700044", "081299990044"}
	body := map[string]any{"region": string(desa.Code), "channel": "walk_in", "category": "infrastruktur",
		"title": "Pungutan liar di kantor desa", "description": "Diminta bayar untuk surat pengantar.",
		"reporter": map[string]any{"name": "Jayadiningrat Loket", "nik": planted[1], "phone": planted[2], "anonymous": true}}
	var got struct{ ID string }
	decode(t, mustDo(t, officer.Operator, "POST", kec.Members[0].URL+"/api/v1/complaints", body, 201), &got)
	seen := mustDo(t, officer.Verifikator, "GET", kec.Members[0].URL+"/api/v1/complaints/"+got.ID, nil, 200)
	if !bytes.Contains(seen, []byte(planted[1])) {
		t.Fatalf("the kecamatan's verifier does not read the reporter: %s", seen)
	}
	kab := k.Cluster.Members[0]
	Eventually(t, time.Minute, "the complaint at the kabupaten", func() bool {
		_, err := kab.Node().Store().Complaint(got.ID)
		return err == nil
	})
	for _, m := range []*Member{kec.Members[0], kab} {
		if err := m.Stop(); err != nil {
			t.Fatal(err)
		}
		all := decodedBytes(t, m.Data)
		if len(all) < 1000 {
			t.Fatalf("%s: only %d bytes decoded", m.Data, len(all))
		}
		for _, v := range planted {
			if bytes.Contains(all, []byte(v)) {
				t.Errorf("%s holds %q in clear", m.URL, v)
			}
		}
	}
}
