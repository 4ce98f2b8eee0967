package testcluster

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
)

var linSeed = flag.Uint64("lin.seed", 0, "replay one seed of TestLinearizable (0: 20 fresh seeds)")

// TestLinearizable records client histories of writes and consistent
// reads on three registers, sent to every member, while the leader is
// killed and restarted or partitioned away from the others, and checks
// each history with porcupine. 20 seeded runs share one cluster, each on
// registers of its own. A failing run writes its history visualisation
// to a file and prints the seed.
func TestLinearizable(t *testing.T) {
	c := NewCluster(t, 3, ClusterOptions{})
	seeds := make([]uint64, 20)
	for i := range seeds {
		seeds[i] = uint64(time.Now().UnixNano()) + uint64(i)
	}
	if *linSeed != 0 {
		seeds = []uint64{*linSeed}
	}
	var next atomic.Int64
	for run, seed := range seeds {
		ops := linearizableRun(t, c, run, seed, &next)
		if err := CheckLinearizable(ops, fmt.Sprint(seed)); err != nil {
			t.Fatalf("run %d: %v; seed %d (replay: go test ./testcluster -run TestLinearizable -lin.seed %d)", run, err, seed, seed)
		}
	}
}

// linearizableRun runs 6 clients against the cluster for one seeded
// schedule of faults, heals everything, and returns the history.
func linearizableRun(t *testing.T, c *Cluster, run int, seed uint64, next *atomic.Int64) []porcupine.Operation {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 7))
	keys := make([]string, 3)
	for i := range keys {
		keys[i] = fmt.Sprintf("32.14.02.%04d", 2001+run*3+i)
	}
	h := Record(c, keys, 6, seed, 0, next)
	for step := 0; step < 3; step++ {
		time.Sleep(time.Duration(100+rng.IntN(200)) * time.Millisecond) // let the clients run between faults
		leader := Leader(t, c)
		if rng.IntN(2) == 0 {
			if err := c.Members[leader].Stop(); err != nil {
				t.Fatal(err)
			}
			Leader(t, c)
			if err := c.Members[leader].Start(); err != nil {
				t.Fatal(err)
			}
		} else {
			c.Partition(leader)
			time.Sleep(time.Duration(200+rng.IntN(400)) * time.Millisecond) // hold the partition a while
			c.Heal()
		}
	}
	Leader(t, c)
	ops := h.Stop()
	t.Logf("run %d: seed %d, %d operations", run, seed, len(ops))
	return ops
}
