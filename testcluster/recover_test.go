package testcluster

import (
	"os"
	"testing"
	"time"

	"github.com/lumbung/lumbung/schema"
)

// TestRecoverLostQuorum: a 3-member kecamatan loses two members for good
// (stopped, their directories wiped) and can no longer elect a leader.
// Its admin stops the survivor and recovers the cluster on it (lumbung
// cluster recover); started again, it leads alone, holds every complaint
// it had acknowledged and applied, takes new ones, and takes a new member
// that joins with a join token and converges with it.
func TestRecoverLostQuorum(t *testing.T) {
	c := NewCluster(t, 3, ClusterOptions{Region: "32.14.01"})
	var ids []string
	for i := range 6 {
		ids = append(ids, takeComplaint(t, c.Members[i%3].URL, schema.Code("32.14.01.200"+string(rune('1'+i%3)))))
	}
	WaitClusterConverged(t, c)
	survivor := c.Members[0]
	for _, lost := range c.Members[1:] {
		if err := lost.Stop(); err != nil {
			t.Fatal(err)
		}
		if err := os.RemoveAll(lost.Data); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, func() bool { return survivor.Node().Cluster().Leader() == "" }, 30*time.Second,
		"the survivor without a leader")

	if err := survivor.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := survivor.Recover(); err != nil {
		t.Fatal(err)
	}
	if err := survivor.Start(); err != nil {
		t.Fatal(err)
	}
	c.Members = c.Members[:1] // the lost members are gone for good
	if i := Leader(t, c); i != 0 {
		t.Fatalf("member %d leads after the recovery", i)
	}
	st, err := survivor.Node().Cluster().Status()
	if err != nil || len(st.Members) != 1 || st.Members[0].ID != survivor.URL {
		t.Fatalf("configuration after the recovery: %+v, %v", st, err)
	}
	for _, id := range ids {
		if _, err := survivor.Node().Store().Complaint(id); err != nil {
			t.Errorf("complaint %s after the recovery: %v", id, err)
		}
	}
	ids = append(ids, takeComplaint(t, survivor.URL, "32.14.01.2001"))

	joined, err := c.Add(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := c.WaitMembers(2); err != nil {
		t.Fatal(err)
	}
	WaitClusterConverged(t, c)
	for _, id := range ids {
		if _, err := joined.Node().Store().Complaint(id); err != nil {
			t.Errorf("complaint %s at the new member: %v", id, err)
		}
	}
}
