package testcluster

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/lumbung/lumbung/replication/cluster"
	"github.com/lumbung/lumbung/schema/sample"
)

var leaderSeed = flag.Uint64("leader.seed", 0, "replay one seed of TestLeaderKill (0: a fresh seed per round)")

// writers posts complaints to random running members until stopped, and
// records every one acknowledged.
type writers struct {
	mu     sync.Mutex
	acked  map[string]string // tracking number → title
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

func startWriters(urls []string, n int, seed uint64, tag string, w *writers) {
	ctx, cancel := context.WithCancel(context.Background())
	w.cancel = cancel
	for i := 0; i < n; i++ {
		w.wg.Add(1)
		go func() {
			defer w.wg.Done()
			rng := rand.New(rand.NewPCG(seed, uint64(i)))
			client := operator()
			for k := 0; ctx.Err() == nil; k++ {
				title := fmt.Sprintf("%s w%d #%d", tag, i, k)
				if id, ok := postComplaint(client, urls[rng.IntN(len(urls))], title); ok {
					w.mu.Lock()
					w.acked[id] = title
					w.mu.Unlock()
				}
			}
		}()
	}
}

func (w *writers) stop() {
	w.cancel()
	w.wg.Wait()
}

func (w *writers) count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.acked)
}

// roundSeed is the seed of one round of a seeded test: the -leader.seed
// flag when given, a fresh one otherwise, logged with the replay command.
func roundSeed(t *testing.T, round int) uint64 {
	seed := *leaderSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("round %d: seed %d (replay: go test ./testcluster -run '^%s$' -leader.seed %d)", round, seed, t.Name(), seed)
	return seed
}

// waitAcked waits until at least n writes were acknowledged.
func waitAcked(t *testing.T, c *Cluster, w *writers, n int) {
	t.Helper()
	Eventually(t, 30*time.Second, fmt.Sprintf("%d acknowledged writes", n), func() bool { return w.count() >= n })
}

// verifyEveryMember checks that every running member holds every
// acknowledged complaint.
func verifyEveryMember(t *testing.T, c *Cluster, w *writers) {
	t.Helper()
	w.mu.Lock()
	defer w.mu.Unlock()
	for i, m := range c.Members {
		if !m.Running() {
			continue
		}
		for id, title := range w.acked {
			got, err := m.Node().Store().Complaint(id)
			if err != nil {
				t.Fatalf("member %d lost acknowledged complaint %s (%s): %v", i, id, title, err)
			}
			if got.Title != title {
				t.Fatalf("member %d: complaint %s has title %q, want %q", i, id, got.Title, title)
			}
		}
	}
}

// TestLeaderKill runs a 3-member cluster under a stream of writes sent to
// every member, and over 10 seeded rounds stops the leader, lets the
// others elect a new one and go on taking writes, then restarts the old
// leader on its data. After each round every acknowledged write is on
// every member and their state digests are equal.
func TestLeaderKill(t *testing.T) {
	t.Parallel() // mostly waiting on elections and restarts: it overlaps the other kill tests
	c := NewCluster(t, 3, ClusterOptions{})
	w := &writers{acked: map[string]string{}}
	rounds := 10
	if testing.Short() {
		rounds = 3
	}
	for round := 0; round < rounds; round++ {
		seed := roundSeed(t, round)
		rng := rand.New(rand.NewPCG(seed, 0))
		startWriters(c.URLs(), 4, seed, fmt.Sprintf("r%d", round), w)
		waitAcked(t, c, w, w.count()+10+rng.IntN(40))
		leader := Leader(t, c)
		if err := c.Members[leader].Stop(); err != nil {
			t.Fatalf("stop leader %d: %v", leader, err)
		}
		next := Leader(t, c)
		if next == leader {
			t.Fatalf("the stopped member %d is still leader", leader)
		}
		waitAcked(t, c, w, w.count()+10+rng.IntN(40))
		if err := c.Members[leader].Start(); err != nil {
			t.Fatalf("restart member %d: %v", leader, err)
		}
		waitAcked(t, c, w, w.count()+5)
		w.stop()
		WaitClusterConverged(t, c)
		verifyEveryMember(t, c, w)
	}
	t.Logf("%d complaints acknowledged, all on every member", w.count())
}

// TestSnapshotCatchUp partitions a follower away while the others take
// enough writes to compact their logs past TrailingLogs: once healed, it
// can only catch up by a snapshot, and it does, ending with the same
// digest and every acknowledged write.
func TestSnapshotCatchUp(t *testing.T) {
	s := cluster.LoopbackSettings()
	s.TrailingLogs, s.SnapshotThreshold, s.SnapshotInterval = 16, 32, 50*time.Millisecond
	c := NewCluster(t, 3, ClusterOptions{Settings: &s})
	leader := Leader(t, c)
	lag := (leader + 1) % 3
	c.Partition(lag)
	w := &writers{acked: map[string]string{}}
	n := c.Members[leader].Node()
	gen := sample.New(1)
	for i := 0; i < 300; i++ { // one at a time: 300 entries, far past TrailingLogs
		title := fmt.Sprintf("snap #%d", i)
		in := gen.Complaint("32.14.02.2001")
		in.Title = title
		res, err := n.CreateComplaint(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		w.acked[res.ID] = title
	}
	if err := n.Cluster().Snapshot(); err != nil {
		t.Fatal(err)
	}
	if st, _ := c.Members[lag].Node().Cluster().Status(); st.AppliedIndex >= 300 {
		t.Fatalf("the partitioned member kept up (applied %d): the partition did not hold", st.AppliedIndex)
	}
	c.Heal()
	digest := WaitClusterConverged(t, c)
	verifyEveryMember(t, c, w)
	st, err := c.Members[lag].Node().Cluster().Status()
	if err != nil {
		t.Fatal(err)
	}
	if st.Restores == 0 {
		t.Fatalf("the member that was cut off caught up without a snapshot (status %+v)", st)
	}
	t.Logf("%d writes; the partitioned member restored %d snapshot(s), digest %x", w.count(), st.Restores, digest[:6])
}
