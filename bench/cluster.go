package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lumbung/lumbung/localcluster"
	"github.com/lumbung/lumbung/replication/cluster"
	"github.com/lumbung/lumbung/schema"
)

// ClusterConfig says how to measure a regional cluster.
type ClusterConfig struct {
	// Writers lists the concurrency levels to measure.
	Writers []int
	// Duration is how long each level runs on each setup.
	Duration time.Duration
	// CatchUp is how many changes a new member must catch up; 0 skips it.
	CatchUp int
	// Log receives progress lines; nil discards them.
	Log io.Writer
}

// DefaultClusterConfig measures 1 and 64 writers for 5 s each, and a
// new member catching up 100,000 changes.
func DefaultClusterConfig() ClusterConfig {
	return ClusterConfig{Writers: []int{1, 64}, Duration: 5 * time.Second, CatchUp: 100_000}
}

// ClusterLevel is one concurrency level on the three setups, measured one
// after the other in the same run.
type ClusterLevel struct {
	Writers int
	Three   Measure // a 3-member cluster on loopback, writes at the leader
	One     Measure // a one-member cluster
	Bare    Measure // a bare Pebble Sync commit of the same bytes
}

// ClusterReport is the result of Cluster.
type ClusterReport struct {
	Levels        []ClusterLevel
	ChangeBytes   int // encoded size of one change written
	CatchUp       int // changes the new member caught up
	CatchUpTime   time.Duration
	CatchUpMethod string // "snapshot" or "log"
}

// Cluster measures committed complaint writes per second through a
// 3-member cluster (real raft over loopback TCP, each member with its own
// Pebble) and a one-member cluster beside a bare Pebble Sync commit, then
// the time a new member takes to catch up with CatchUp changes. Writes
// enter through Node.CreateComplaint at the leader: the cost of raft, the FSM and
// group commit, without HTTP.
func Cluster(cfg ClusterConfig) (*ClusterReport, error) {
	logf := progress(cfg.Log)
	tmp, err := os.MkdirTemp("", "lumbung-bench-cluster-")
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	defer os.RemoveAll(tmp)
	three, err := localcluster.StartCluster(filepath.Join(tmp, "three"), 3, localcluster.ClusterOptions{})
	if three != nil {
		defer three.Close()
	}
	if err != nil {
		return nil, err
	}
	one, err := localcluster.StartCluster(filepath.Join(tmp, "one"), 1, localcluster.ClusterOptions{})
	if one != nil {
		defer one.Close()
	}
	if err != nil {
		return nil, err
	}
	bare, err := openBare(filepath.Join(tmp, "bare"))
	if err != nil {
		return nil, err
	}
	defer bare.Close()
	in := clusterBenchInput()
	body, _ := json.Marshal(in)
	rep := &ClusterReport{}
	for _, w := range cfg.Writers {
		lvl := ClusterLevel{Writers: w}
		lvl.Bare = runLoad(w, cfg.Duration, 0, func(wk, i int) error { return bareCommit(bare, wk, i, body) })
		if lvl.One, err = execLoad(one, w, cfg.Duration, in); err != nil {
			return nil, err
		}
		if lvl.Three, err = execLoad(three, w, cfg.Duration, in); err != nil {
			return nil, err
		}
		logf("%3d writers: 3 members %8.0f/s p50 %v | 1 member %8.0f/s p50 %v | bare sync %8.0f/s p50 %v", w,
			lvl.Three.PerSecond, lvl.Three.P50, lvl.One.PerSecond, lvl.One.P50, lvl.Bare.PerSecond, lvl.Bare.P50)
		rep.Levels = append(rep.Levels, lvl)
	}
	if rep.ChangeBytes, err = changeBytes(three); err != nil {
		return nil, err
	}
	if cfg.CatchUp > 0 {
		if err := benchCatchUp(three, filepath.Join(tmp, "three"), cfg.CatchUp, in, rep, logf); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

// execLoad writes complaints at c's leader from w writers for d.
func execLoad(c *localcluster.Cluster, w int, d time.Duration, in *schema.ComplaintInput) (Measure, error) {
	leader, err := c.Leader()
	if err != nil {
		return Measure{}, err
	}
	n := c.Members[leader].Node()
	var failed atomic.Value
	m := runLoad(w, d, 0, func(int, int) error {
		_, err := n.CreateComplaint(context.Background(), in)
		if err != nil {
			failed.CompareAndSwap(nil, err)
		}
		return err
	})
	if err, _ := failed.Load().(error); err != nil {
		return m, fmt.Errorf("bench: write: %w", err)
	}
	return m, nil
}

// changeBytes is the encoded size of the newest change at c's first member.
func changeBytes(c *localcluster.Cluster) (int, error) {
	s := c.Members[0].Node().Store()
	pos := s.DurablePos()
	changes, _, err := s.LogRange(max(pos, 8)-8, 8)
	if err != nil {
		return 0, fmt.Errorf("bench: read a change: %w", err)
	}
	for i := len(changes) - 1; i >= 0; i-- {
		if strings.HasPrefix(changes[i].Entity, "complaint/") { // not the reporter sealed beside it
			return len(schema.EncodeChange(changes[i])), nil
		}
	}
	return 0, fmt.Errorf("bench: no complaint among the last changes")
}

// benchCatchUp fills the cluster to total changes, then starts a new
// member and times it until it holds the same state as the others.
func benchCatchUp(c *localcluster.Cluster, base string, total int, in *schema.ComplaintInput, rep *ClusterReport,
	logf func(string, ...any)) error {
	if err := fill(c, total, in); err != nil {
		return err
	}
	leader, err := c.Leader()
	if err != nil {
		return err
	}
	n := c.Members[leader].Node()
	rep.CatchUp = int(n.Store().DurablePos())
	logf("cluster holds %d changes; adding a fourth member", rep.CatchUp)
	start := time.Now()
	m, err := c.Add(base)
	if err != nil {
		return err
	}
	if err := c.WaitMembers(4); err != nil {
		return err
	}
	if _, err := c.Converged(); err != nil {
		return err
	}
	rep.CatchUpTime = time.Since(start)
	rep.CatchUpMethod = "log"
	if st, err := m.Node().Cluster().Status(); err == nil && st.Restores > 0 {
		rep.CatchUpMethod = "snapshot"
	}
	logf("new member caught up %d changes in %v (by %s)", rep.CatchUp, rep.CatchUpTime.Round(time.Millisecond), rep.CatchUpMethod)
	return nil
}

// fill writes complaints at c's leader from 64 writers until its log
// holds total changes. The fill is not measured: when the leader loses
// its leadership under the load (an election on a saturated machine), the
// fill goes on at the new leader, up to 10 times in all.
func fill(c *localcluster.Cluster, total int, in *schema.ComplaintInput) error {
	for tries := 0; ; tries++ {
		leader, err := c.Leader()
		if err != nil {
			return err
		}
		n := c.Members[leader].Node()
		left := int64(total) - int64(n.Store().DurablePos())
		var wg sync.WaitGroup
		var failed atomic.Value
		for w := 0; w < 64; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for failed.Load() == nil && atomic.AddInt64(&left, -1) >= 0 {
					if _, err := n.CreateComplaint(context.Background(), in); err != nil {
						failed.CompareAndSwap(nil, err)
						return
					}
				}
			}()
		}
		wg.Wait()
		err, _ = failed.Load().(error)
		if err == nil {
			return nil
		}
		if tries == 9 || errors.Is(err, cluster.ErrShutdown) {
			return fmt.Errorf("bench: load: %w", err)
		}
	}
}

// clusterBenchInput is a complaint whose change encodes to about 500 bytes.
func clusterBenchInput() *schema.ComplaintInput {
	return &schema.ComplaintInput{Region: "32.14.02.2001", Channel: "walk_in", Category: "infrastruktur",
		Title:       "Jembatan gantung Dusun Cibeber rusak",
		Description: "Papan lantai lapuk dan sling kendur; anak sekolah melintas tiap pagi.",
		Reporter:    schema.Reporter{Name: "Dedi Kurniawan", Phone: "0813-2222-4545"}}
}
