package bench

import (
	"testing"
	"time"
)

// TestBenchClusterSmoke runs the cluster benchmark at a tiny size, so the
// code `lumbung bench cluster` runs is exercised by every test run.
func TestBenchClusterSmoke(t *testing.T) {
	rep, err := Cluster(ClusterConfig{Writers: []int{1, 8}, Duration: 200 * time.Millisecond, CatchUp: 400})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range rep.Levels {
		if l.Three.Ops == 0 || l.One.Ops == 0 || l.Bare.Ops == 0 {
			t.Fatalf("a setup committed nothing: %+v", l)
		}
	}
	if rep.CatchUp < 400 || rep.CatchUpTime <= 0 || rep.ChangeBytes < 300 {
		t.Fatalf("report %+v", rep)
	}
	t.Logf("change %d bytes; caught up %d changes in %v by %s", rep.ChangeBytes, rep.CatchUp, rep.CatchUpTime, rep.CatchUpMethod)
}
