package testcluster

import (
	"errors"
	"testing"
	"time"

	"github.com/lumbung/lumbung/client"
	"github.com/lumbung/lumbung/localcluster"
)

// TestWrongClockAtKecamatanLeader: the leader of a kecamatan cluster has a
// clock an hour fast. Its uplink learns that from the kabupaten, as a desa
// laptop's does, and then:
//   - every member still applies every raft entry alike: what one member
//     learns on its own must not change how the changes of an entry are
//     stamped (it did: the leader restarted its clock and stamped
//     differently from the others, and the cluster diverged);
//   - the leader stamps new entries with the kabupaten's time, not its own;
//   - the kecamatan tells the desa below the corrected time, so a desa
//     whose clock is right is not told to move it an hour.
//
// The desa's clock is a minute and a half fast (within the tolerance), so
// the kecamatan's clock follows its changes ahead of real time first.
func TestWrongClockAtKecamatanLeader(t *testing.T) {
	k := NewKabupaten(t, Topology{Kecamatan: 1, DesaPerKecamatan: 1, Members: 3,
		Shape: Shape{Latency: 2 * time.Millisecond}})
	kec, desa := k.Kecamatan[0], k.Kecamatan[0].Desa[0]
	d := localcluster.NewDriver(3)
	desa.Clock.Skew(90 * time.Second)
	for i := 0; i < 3; i++ {
		c, err := desa.Node().Store().CreateComplaint(t.Context(), d.Gen().Complaint(desa.Code))
		if err != nil {
			t.Fatal(err)
		}
		d.Ledger().Complaint(c.ID, desa.Code)
	}
	WaitConverged(t, k)

	leader := kec.Members[Leader(t, kec.Cluster)]
	leader.Clock.Skew(time.Hour)
	waitFor(t, func() bool { return leader.Node().SyncStatus().ClockFixMs < -50*60*1000 }, 20*time.Second,
		"the leader's uplink to learn its clock is an hour fast")
	for i, tries := 0, 0; i < 4; i++ {
		// A young cluster under load may change its leader in the middle of
		// a write (503, outcome unknown, so not in the ledger): write again
		// at the leader of the moment. (Should the skewed member lose the
		// lead for good, the writes prove less, but what they assert holds.)
		at := kec.Members[Leader(t, kec.Cluster)]
		c, err := d.Client(at.URL).CreateComplaint(t.Context(), d.Gen().Complaint(desa.Code))
		if errors.Is(err, client.ErrUnavailable) && tries < 10 {
			tries++
			i--
			continue
		}
		if err != nil {
			t.Fatalf("complaint %d at the kecamatan leader: %v", i, err)
		}
		d.Ledger().Complaint(c.ID, desa.Code)
		if off := time.Until(time.UnixMilli(c.CreatedWall)); off > 5*time.Minute {
			t.Fatalf("complaint %d stamped %v ahead: the leader used its own clock, not the kabupaten's", i, off.Round(time.Second))
		}
	}
	WaitConverged(t, k)
	if err := k.Lost(d.Ledger()); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool {
		st := desa.Node().SyncStatus()
		return st.Uplink != nil && st.Uplink.SkewMs > 0 && st.Uplink.SkewMs < 2*60*1000 && st.ClockFixMs == 0
	}, 20*time.Second, "the desa, whose clock is within tolerance, to keep its own time")
}
