package testcluster

import (
	"context"
	"testing"
	"time"

	"github.com/lumbung/lumbung/client"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/officer"
)

// TestFollowerShowsLeaderUplink: only a cluster's leader runs the
// uplink, and every member's sync status shows it as the leader sees it:
// after the kecamatan's changes reached the kabupaten, every member shows
// the exchanges and the last success; once the kabupaten refuses every
// exchange (the kecamatan's token revoked), every member shows the
// failures and the refusal in words, and the same pending count. (The
// review saw "failures 0" and a fresh success at a follower while the
// kabupaten refused every frame.)
func TestFollowerShowsLeaderUplink(t *testing.T) {
	k := NewKabupaten(t, Topology{Kecamatan: 1, DesaPerKecamatan: 1, Members: 3})
	kec := k.Kecamatan[0]
	desa := kec.Desa[0]
	takeComplaint(t, desa.URL, desa.Code)
	WaitConverged(t, k)
	status := func(url string) (node.SyncStatus, error) {
		cl, err := client.New(url, client.Options{HTTP: as(officer.Admin)})
		if err != nil {
			return node.SyncStatus{}, err
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		st, err := cl.SyncStatus(ctx)
		if err != nil {
			return node.SyncStatus{}, err
		}
		return *st, nil
	}
	for _, m := range kec.Members {
		st, err := status(m.URL)
		if err != nil || st.Uplink == nil || st.Uplink.Exchanges == 0 || st.Uplink.LastSuccess == nil {
			t.Fatalf("%s: sync status %+v, %v: want the leader's exchanges and last success", m.URL, st.Uplink, err)
		}
	}

	admin, err := client.New(k.Cluster.Members[0].URL, client.Options{HTTP: as(officer.Admin)})
	if err != nil {
		t.Fatal(err)
	}
	if err := admin.Revoke(t.Context(), kec.Code); err != nil {
		t.Fatal(err)
	}
	takeComplaint(t, desa.URL, desa.Code)
	for _, m := range kec.Members {
		var last string
		waitFor(t, func() bool {
			st, err := status(m.URL)
			if err != nil || st.Uplink == nil {
				return false
			}
			last = st.Uplink.LastError
			return st.Uplink.Failures > 0 && st.Uplink.LastError != "" && st.Uplink.Pending > 0
		}, time.Minute, m.URL+" showing the kabupaten's refusal")
		t.Logf("%s: %s", m.URL, last)
	}
}
