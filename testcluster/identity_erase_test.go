package testcluster

import (
	"bytes"
	"encoding/base64"
	"os"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/lumbung/lumbung/client"
	"github.com/lumbung/lumbung/localcluster"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/replication/cluster"
)

// TestErasureSurvivesRestore: a reporter taken at a desa is erased at the
// kabupaten on request. The erasure reaches the kecamatan and the desa;
// the clusters snapshot and compact their raft logs past it; then the desa
// laptop is restored from a backup taken before the erasure, enrolled
// again, and syncs. At every tier the complaint stays and its reporter
// reads erased, and neither the reporter in clear nor the sealed bytes
// (or their base64, as a change carries them) are in any store, raft log
// or raft snapshot.
func TestErasureSurvivesRestore(t *testing.T) {
	rs := cluster.LoopbackSettings()
	rs.TrailingLogs, rs.SnapshotThreshold, rs.SnapshotInterval = 16, 32, 50*time.Millisecond
	k := NewKabupaten(t, Topology{Kecamatan: 1, DesaPerKecamatan: 1, Members: 1, Raft: &rs})
	kec, desa := k.Kecamatan[0], k.Kecamatan[0].Desa[0]
	kab := k.Cluster.Members[0]
	Eventually(t, time.Minute, "the offices' keys at the desa", func() bool {
		to, err := desa.Node().Store().SealsTo()
		return err == nil && len(to) == 3
	})
	name, nik := "Anggraeni Dihapuskan", "3214020101700077"
	body := map[string]any{"region": string(desa.Code), "channel": "walk_in", "category": "infrastruktur",
		"title": "Jalan desa berlubang", "description": "Lubang besar di jalan utama dekat sekolah.",
		"reporter": map[string]any{"name": name, "nik": nik, "phone": "081299990077"}}
	var got struct{ ID string }
	decode(t, mustDo(t, officer.Operator, "POST", desa.URL+"/api/v1/complaints", body, 201), &got)
	id := got.ID
	Eventually(t, time.Minute, "the reporter at the kabupaten", func() bool {
		v, _, err := kab.Node().Store().HeldIdentity(id)
		return err == nil && v != nil
	})
	sealed, _, _ := kab.Node().Store().HeldIdentity(id)
	b64 := []byte(base64.StdEncoding.EncodeToString(sealed))

	key, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	var backup bytes.Buffer // the laptop's backup, before the erasure
	if _, err := desa.Node().Store().SealedBackup(&backup, desa.Node().Config(), key.Recipient()); err != nil {
		t.Fatal(err)
	}

	var ans struct{ Erased bool }
	decode(t, mustDo(t, officer.Admin, "POST", kab.URL+"/api/v1/identity/erase", map[string]string{"id": id}, 200), &ans)
	if !ans.Erased {
		t.Fatal("the kabupaten's erasure erased nothing")
	}
	erased := func(s *node.Store) bool { v, gone, err := s.HeldIdentity(id); return err == nil && gone && v == nil }
	Eventually(t, time.Minute, "the erasure at the desa", func() bool { return erased(desa.Node().Store()) })
	// The raft logs move on past the erasure's entry by more than the
	// entries a snapshot keeps, then compact. Under load the kabupaten
	// takes the kecamatan's writes in few exchanges, so count its entries
	// rather than the writes.
	members := []*Member{kec.Members[0], kab}
	past := map[*Member]uint64{}
	for _, m := range members {
		Eventually(t, time.Minute, "the erasure at "+m.URL, func() bool { return erased(m.Node().Store()) })
		st, err := m.Node().Cluster().Status()
		if err != nil {
			t.Fatal(err)
		}
		past[m] = st.LastIndex + rs.TrailingLogs + 1
	}
	behind := func() bool {
		for _, m := range members {
			if st, err := m.Node().Cluster().Status(); err != nil || st.AppliedIndex < past[m] {
				return true
			}
		}
		return false
	}
	for deadline := time.Now().Add(2 * time.Minute); behind(); {
		if time.Now().After(deadline) {
			t.Fatal("the raft logs did not move past the erasure")
		}
		c := takeComplaint(t, kec.Members[0].URL, desa.Code)
		Eventually(t, time.Minute, "the kecamatan's write at the kabupaten", func() bool {
			_, err := kab.Node().Store().Complaint(c)
			return err == nil
		})
	}
	for _, m := range members {
		if err := m.Node().Cluster().Snapshot(); err != nil {
			t.Fatal(err)
		}
	}

	// The laptop restored from before the erasure, enrolled again.
	upstream := desa.Node().Config().Upstream
	if err := desa.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(desa.Data); err != nil {
		t.Fatal(err)
	}
	plain, _, err := node.OpenBackup(&backup, key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := node.Restore(plain, desa.Data); err != nil {
		t.Fatal(err)
	}
	admin, err := client.New(kec.Members[0].URL, client.Options{HTTP: as(officer.Admin)})
	if err != nil {
		t.Fatal(err)
	}
	if err := admin.Revoke(t.Context(), desa.Code); err != nil {
		t.Fatal(err)
	}
	token, err := localcluster.Enroll(kec.Members[0].URL, desa.Code)
	if err != nil {
		t.Fatal(err)
	}
	if err := desa.SetUplink(upstream, token); err != nil {
		t.Fatal(err)
	}
	if err := desa.Start(); err != nil {
		t.Fatal(err)
	}
	if v, gone, _ := desa.Node().Store().HeldIdentity(id); v == nil || gone {
		t.Fatal("the control: the restored laptop does not hold the identity from before the erasure")
	}
	Eventually(t, time.Minute, "the erasure at the restored desa", func() bool { return erased(desa.Node().Store()) })
	marker := takeComplaint(t, desa.URL, desa.Code) // after the restored laptop's old log
	Eventually(t, time.Minute, "the restored desa synced up", func() bool {
		_, err := kab.Node().Store().Complaint(marker)
		return err == nil
	})

	for _, m := range []*Member{desa.Member, kec.Members[0], kab} {
		s := m.Node().Store()
		c, err := s.Complaint(id)
		if err != nil || !c.Reporter.IdentityErased || c.Reporter.Name != "" || !erased(s) {
			t.Errorf("%s reads %+v, %v", m.URL, c, err)
		}
	}
	for _, m := range []*Member{desa.Member, kec.Members[0], kab} {
		if err := m.Stop(); err != nil {
			t.Fatal(err)
		}
		all := append(decodedBytes(t, m.Data), raftSnapshots(t, m.Data)...)
		for what, v := range map[string][]byte{"the name": []byte(name), "the NIK": []byte(nik), "the sealed bytes": sealed,
			"their base64": b64} {
			if bytes.Contains(all, v) {
				t.Errorf("%s still holds %s", m.Data, what)
			}
		}
	}
}
