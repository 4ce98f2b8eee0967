package testcluster

import (
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lumbung/lumbung/localcluster"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/replication/cluster"
	"go.uber.org/goleak"
)

// The harness works on package localcluster's kabupaten; it names its
// types so that a test reads testcluster.Kabupaten.
type (
	Kabupaten        = localcluster.Kabupaten
	Kecamatan        = localcluster.Kecamatan
	Desa             = localcluster.Desa
	Cluster          = localcluster.Cluster
	ClusterOptions   = localcluster.ClusterOptions
	Member           = localcluster.Member
	DesaOptions      = localcluster.DesaOptions
	Topology         = localcluster.Topology
	KecamatanRegions = localcluster.KecamatanRegions
	Shape            = localcluster.Shape
	Link             = localcluster.Link
	Clock            = localcluster.Clock
	Ledger           = localcluster.Ledger
	Process          = localcluster.Process
)

// NewKabupaten builds the topology under the test's temporary directory,
// with every node logging to t.Log unless topo says otherwise, and tears
// it down at the test's end, failing the test if a goroutine started
// meanwhile outlives it.
func NewKabupaten(t testing.TB, topo Topology) *Kabupaten {
	t.Helper()
	before := goleak.IgnoreCurrent()
	t.Cleanup(func() {
		// Find retries for a while; connections closing on both sides
		// may take longer under -race, so it is given 10 s in all.
		var err error
		if localcluster.Eventually(10*time.Second, "goroutines to end", func() bool {
			err = goleak.Find(before)
			return err == nil
		}) != nil {
			t.Errorf("testcluster: goroutines outlived the kabupaten: %v", err)
		}
	})
	if topo.Logger == nil {
		topo.Logger = Logger(t)
	}
	k, err := localcluster.StartKabupaten(t.TempDir(), topo)
	if k != nil {
		t.Cleanup(k.Close)
	}
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// NewCluster starts n members, logging to t.Log unless o says otherwise:
// the first bootstraps the cluster, the others join it. It returns once
// every member is in the configuration and the cluster has its identity.
// Members stop at the test's end.
func NewCluster(t testing.TB, n int, o ClusterOptions) *Cluster {
	t.Helper()
	if o.Logger == nil {
		o.Logger = Logger(t)
	}
	c, err := localcluster.StartCluster(t.TempDir(), n, o)
	if c != nil {
		t.Cleanup(c.Close)
	}
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// FreeAddr returns a loopback host:port nothing listens on now.
func FreeAddr(t testing.TB) string {
	t.Helper()
	addr, err := localcluster.FreeAddr()
	if err != nil {
		t.Fatal(err)
	}
	return addr
}

// Leader waits until the running members of c agree on a leader that is
// running, and returns its index.
func Leader(t testing.TB, c *Cluster) int {
	t.Helper()
	i, err := c.Leader()
	if err != nil {
		t.Fatal(err)
	}
	return i
}

// WaitClusterConverged waits until every running member of c has applied
// the same raft index and holds the same state digest, and returns the
// digest.
func WaitClusterConverged(t testing.TB, c *Cluster) [32]byte {
	t.Helper()
	d, err := c.Converged()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// WaitConverged waits until the kabupaten has quiesced and every replica
// agrees (Kabupaten.Converged), failing the test with what still differs.
func WaitConverged(t testing.TB, k *Kabupaten) {
	t.Helper()
	if err := k.Converged(); err != nil {
		t.Fatal(err)
	}
}

// Eventually polls cond until it holds, failing the test when within
// passes (localcluster.Eventually).
func Eventually(t testing.TB, within time.Duration, what string, cond func() bool) {
	t.Helper()
	if err := localcluster.Eventually(within, what, cond); err != nil {
		t.Fatal(err)
	}
}

// Logger is a logger that writes to t.Log, at Info and above, until the
// test ends; a record logged after that (by a goroutine still closing)
// is dropped, since t.Log would panic.
func Logger(t testing.TB) *slog.Logger {
	w := &testWriter{t: t}
	t.Cleanup(func() { w.done.Store(true) })
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

type testWriter struct {
	t    testing.TB
	done atomic.Bool
}

func (w *testWriter) Write(b []byte) (int, error) {
	if !w.done.Load() {
		w.t.Log(strings.TrimSuffix(string(b), "\n"))
	}
	return len(b), nil
}

// Committed runs write, a write to a cluster, until it succeeds or done
// says an earlier try took effect. A leader that steps down while a write
// is in flight (an election on a loaded machine) answers that its outcome
// is unknown, and a cluster between leaders has none; both are retried
// until within passes. Any other error fails the test, unless it comes
// after a retry and done holds.
func Committed(t testing.TB, within time.Duration, what string, write func() error, done func() bool) {
	t.Helper()
	var last error
	err := localcluster.Eventually(within, what, func() bool {
		retried := last != nil
		if retried && done() {
			return true
		}
		last = write()
		if last == nil {
			return true
		}
		if errors.Is(last, cluster.ErrUnknownOutcome) || errors.Is(last, cluster.ErrNoLeader) ||
			errors.Is(last, node.ErrNotReady) {
			return false
		}
		if retried && done() {
			return true // refused because the earlier try took effect
		}
		t.Fatalf("%s: %v", what, last)
		return false
	})
	if err != nil {
		t.Fatalf("%v; last try: %v", err, last)
	}
}

// Enrolled waits until desa d holds the keys of the offices above it
// (offices counts its own), as a laptop has once it synced after
// enrolment: a reporter it takes then is sealed to them all, and none is
// sealed again later (a write the test would not expect).
func Enrolled(t testing.TB, d *Member, offices int) {
	t.Helper()
	Eventually(t, time.Minute, "the offices' keys at the desa", func() bool {
		to, err := d.Node().Store().SealsTo()
		return err == nil && len(to) == offices
	})
}
