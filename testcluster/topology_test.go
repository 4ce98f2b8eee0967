package testcluster

import (
	"testing"
	"time"

	"github.com/lumbung/lumbung/localcluster"
	"github.com/lumbung/lumbung/schema/sample"
)

// TestKabupatenScript builds a small kabupaten and takes it through the
// faults the harness offers, in the order a script would: intake while a
// desa is cut off, a black-holed link, a flapping kecamatan uplink, a
// killed desa, a killed kecamatan leader and a partitioned member; then it
// heals everything and checks that every replica agrees and that every
// acknowledged complaint reached every member of the kabupaten.
func TestKabupatenScript(t *testing.T) {
	k := NewKabupaten(t, Topology{Kecamatan: 2, DesaPerKecamatan: 2, Members: 3,
		Shape: Shape{Latency: 5 * time.Millisecond, Jitter: 5 * time.Millisecond}})
	ledger := localcluster.NewLedger()
	gen := sample.New(1)
	intake := func(d *Desa, n int) {
		t.Helper()
		for i := 0; i < n; i++ {
			c, err := d.Node().Store().CreateComplaint(t.Context(), gen.Complaint(d.Code))
			if err != nil {
				t.Fatal(err)
			}
			ledger.Complaint(c.ID, d.Code)
		}
	}
	d0, d1, d2 := k.Kecamatan[0].Desa[0], k.Kecamatan[0].Desa[1], k.Kecamatan[1].Desa[0]

	d0.SetDown(true)
	intake(d0, 20)
	d1.SetBlackHole(true)
	intake(d1, 20)
	k.Kecamatan[1].Up[0].Flap(30*time.Millisecond, 60*time.Millisecond)
	intake(d2, 20)
	if err := d2.Stop(); err != nil {
		t.Fatal(err)
	}
	kec := k.Kecamatan[0]
	leader := Leader(t, kec.Cluster)
	if err := kec.Members[leader].Stop(); err != nil {
		t.Fatal(err)
	}
	Leader(t, kec.Cluster)
	k.Kecamatan[1].Partition(0)
	d2.Clock.Skew(-36 * time.Hour)

	if err := k.Heal(); err != nil {
		t.Fatal(err)
	}
	intake(d2, 5)
	WaitConverged(t, k)
	if err := k.Lost(ledger); err != nil {
		t.Fatal(err)
	}
}
