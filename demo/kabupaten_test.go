package demo

import (
	"testing"
	"time"

	"github.com/lumbung/lumbung/localcluster"
	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/testcluster"
)

// TestDemo runs the demo's working day on a small kabupaten with dropping
// links and checks how it ends: converged, every desa's figures approved,
// and the kabupaten's totals equal to the sums of what the desa entered.
func TestDemo(t *testing.T) {
	k := testcluster.NewKabupaten(t, localcluster.Topology{Kecamatan: 2, DesaPerKecamatan: 3, Members: 3, Uplink: Uplink,
		Shape: localcluster.Shape{Rate: 64 << 10, Latency: 20 * time.Millisecond, Jitter: 10 * time.Millisecond}})
	p, _ := monografi.ParsePeriod("2026-S2")
	var ticks int
	res, err := Run(t.Context(), k, Config{Seed: 5, Period: p, Intake: 6 * time.Second, Settle: 60 * time.Second,
		Every: 50 * time.Millisecond, Drops: true, Tick: time.Second, Progress: func(Progress) { ticks++ }})
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK() {
		t.Fatalf("demo did not end well: converged %v, checks %+v, last %+v", res.Converged, res.Checks, res.Last)
	}
	if res.Last.Approved != 6 || res.Aggregate.Completeness.Reported != 6 {
		t.Fatalf("approved: %d by the demo, %d in the aggregate, want 6", res.Last.Approved, res.Aggregate.Completeness.Reported)
	}
	if res.Last.Taken == 0 || res.Last.AtTop != res.Last.Taken || ticks == 0 {
		t.Fatalf("complaints: %d taken, %d at the top; %d progress reports", res.Last.Taken, res.Last.AtTop, ticks)
	}
	t.Logf("%d complaints, %d actions, settled in %s; %d checks", res.Last.Taken, res.Last.Actions, res.Settle, len(res.Checks))
}
