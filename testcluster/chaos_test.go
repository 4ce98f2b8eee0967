package testcluster

import (
	"flag"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
)

var (
	chaosSeed  = flag.Uint64("chaos.seed", 1, "the first seed of TestChaos")
	chaosSeeds = flag.Int("chaos.seeds", 2, "how many seeds TestChaos runs, one after another from -chaos.seed")
	chaosSteps = flag.Int("chaos.steps", 40, "steps of each TestChaos schedule")
)

// chaosTopology is the kabupaten every chaos seed runs on: two kecamatan
// of two desa, every cluster three members, links a few milliseconds long.
var chaosTopology = Topology{Kecamatan: 2, DesaPerKecamatan: 2, Members: 3,
	Shape: Shape{Latency: 2 * time.Millisecond, Jitter: 3 * time.Millisecond}}

// TestChaos runs seeded schedules of intake, actions, monografi entry and
// approval, link cuts, black holes, flapping uplinks, node kills, leader
// kills, partitions and clock skew (desa and cluster members) on a fresh kabupaten each, then heals
// it and checks the Invariants. `make test` runs two seeds; `make
// test-chaos` runs a hundred. A failure names its seed and the command
// that replays it.
func TestChaos(t *testing.T) {
	for seed := *chaosSeed; seed < *chaosSeed+uint64(*chaosSeeds); seed++ {
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) {
			k := NewKabupaten(t, chaosTopology)
			start := time.Now()
			rep, err := Chaos(k, seed, *chaosSteps)
			if err != nil {
				t.Fatalf("seed %d: %v\n%s\nreplay: go test ./testcluster -run TestChaos -v -args -chaos.seed=%d -chaos.seeds=1 -chaos.steps=%d",
					seed, err, summary(rep), seed, *chaosSteps)
			}
			t.Logf("seed %d passed in %s: %s", seed, time.Since(start).Round(time.Millisecond), summary(rep))
		})
	}
	t.Logf("invariants checked on every seed:\n- %s", strings.Join(Invariants, "\n- "))
}

func summary(r *ChaosReport) string {
	var taken []string
	for _, k := range slices.Sorted(maps.Keys(r.Taken)) {
		taken = append(taken, fmt.Sprintf("%s %d", k, r.Taken[k]))
	}
	skipped := 0
	for _, n := range r.Skipped {
		skipped += n
	}
	return fmt.Sprintf("steps [%s], %d skipped (fault already there); acknowledged %d complaints, %d actions, %d monografi entries; %d operations checked for linearizability; converged %s after healing",
		strings.Join(taken, ", "), skipped, r.Complaints, r.Actions, r.Docs, r.Operations, r.Settle.Round(time.Millisecond))
}
