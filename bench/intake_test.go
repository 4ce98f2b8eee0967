package bench

import (
	"testing"
	"time"

	"github.com/lumbung/lumbung/testcluster"
)

// TestBenchIntakeRuns runs the intake benchmark briefly so that `lumbung
// bench intake` keeps working; the figures themselves are not judged here
// (tests are not timed on shared machines).
func TestBenchIntakeRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a node process")
	}
	rep, err := Intake(IntakeConfig{Binary: testcluster.Binary(t), Clients: []int{1, 4}, Duration: 300 * time.Millisecond,
		RSSComplaints: 500})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Levels) != 2 {
		t.Fatalf("levels = %d, want 2", len(rep.Levels))
	}
	for _, l := range rep.Levels {
		if l.HTTP.Ops == 0 || l.Bare.Ops == 0 || l.HTTP.P50 <= 0 || l.HTTP.P99 < l.HTTP.P50 {
			t.Errorf("level %d: %+v", l.Clients, l)
		}
	}
	if rep.LoadedCount < 500 {
		t.Errorf("loaded %d complaints, want at least 500", rep.LoadedCount)
	}
	if rep.IdleRSS == 0 || rep.LoadedRSS == 0 {
		t.Errorf("RSS not read: idle %d, loaded %d", rep.IdleRSS, rep.LoadedRSS)
	}
}
