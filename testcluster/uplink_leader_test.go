package testcluster

import (
	"context"
	"testing"
	"time"

	"github.com/lumbung/lumbung/schema/sample"
)

// TestUplinkAfterLeaderChange: a kecamatan cluster's leader is cut from
// the others; what the new leader commits reaches the kabupaten, and so
// does what is written after the old leader returns as a follower.
func TestUplinkAfterLeaderChange(t *testing.T) {
	kab, kec := kabupatenAndKecamatan(t)
	gen := sample.New(7)
	kabStore := kab.Members[0].Node().Store()
	write := func(at int, what string) {
		t.Helper()
		c, err := kec.Members[at].Node().CreateComplaint(context.Background(), gen.Complaint("32.14.02.2001"))
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, func() bool { _, err := kabStore.Complaint(c.ID); return err == nil }, 30*time.Second,
			"the kabupaten to hold a complaint written "+what)
	}
	write(0, "before any leader change")
	for round := 0; round < 3; round++ {
		old := Leader(t, kec)
		kec.Partition(old)
		waitFor(t, func() bool {
			for i, m := range kec.Members {
				if i != old && m.Node().Cluster().IsLeader() {
					return true
				}
			}
			return false
		}, 30*time.Second, "a new leader")
		write((old+1)%3, "at a follower of the new leader")
		kec.Heal()
		write(old, "at the old leader, back as a follower")
	}
}
