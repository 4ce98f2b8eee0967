package testcluster

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/replication/cluster"
	"github.com/lumbung/lumbung/schema"
)

// Member is one in-process member of a regional cluster: a real node with
// its own data directory, serving HTTP and raft on fixed loopback ports,
// so it can be stopped and started again as the same member.
type Member struct {
	Data     string
	URL      string
	RaftAddr string
	cfg      node.Config
	settings cluster.Settings
	log      *slog.Logger

	node   *node.Node
	cancel context.CancelFunc
	served chan error
}

// Cluster is a regional cluster of in-process members.
type Cluster struct {
	t       testing.TB
	Members []*Member
}

// ClusterOptions shape NewCluster.
type ClusterOptions struct {
	// Region is a kecamatan code (default 32.14.02).
	Region schema.Code
	// Settings are the members' raft settings (default LoopbackSettings).
	Settings *cluster.Settings
	// Logger receives every member's log (default: discarded).
	Logger *slog.Logger
}

// NewCluster starts n members: the first bootstraps the cluster, the
// others join it. It returns once every member is in the configuration
// and the cluster has its identity. Members stop at the test's end.
func NewCluster(t testing.TB, n int, o ClusterOptions) *Cluster {
	t.Helper()
	if o.Region == "" {
		o.Region = "32.14.02"
	}
	if o.Settings == nil {
		s := cluster.LoopbackSettings()
		o.Settings = &s
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	c := &Cluster{t: t}
	base := t.TempDir()
	for i := 0; i < n; i++ {
		httpAddr, raftAddr := FreeAddr(t), FreeAddr(t)
		cfg := node.DefaultConfig(node.TierKecamatan, o.Region)
		cfg.HTTPAddr, cfg.RaftAddr = httpAddr, raftAddr
		if i > 0 {
			cfg.Join = c.Members[0].URL
		}
		m := &Member{Data: filepath.Join(base, "m"+strconv.Itoa(i)), URL: "http://" + httpAddr, RaftAddr: raftAddr,
			cfg: cfg, settings: *o.Settings, log: o.Logger.With("member", i)}
		if err := os.MkdirAll(m.Data, 0o700); err != nil {
			t.Fatal(err)
		}
		c.Members = append(c.Members, m)
		if err := m.Start(); err != nil {
			t.Fatalf("start member %d: %v", i, err)
		}
		t.Cleanup(func() { _ = m.Stop() })
		if i == 0 {
			c.WaitReady(t, m)
		}
	}
	c.WaitMembers(t, n)
	return c
}

// FreeAddr returns a loopback host:port nothing listens on now.
func FreeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// Start opens the member on its data directory and serves its API.
func (m *Member) Start() error {
	if m.node != nil {
		return errors.New("testcluster: member already running")
	}
	s := m.settings
	n, err := node.Open(m.Data, m.cfg, node.Options{Logger: m.log, Raft: &s})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", m.cfg.HTTPAddr)
	if err != nil {
		_ = n.Close()
		return fmt.Errorf("testcluster: listen: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	m.node, m.cancel, m.served = n, cancel, make(chan error, 1)
	go func() { m.served <- n.Serve(ctx, ln) }()
	return nil
}

// Stop stops serving and closes the member (raft, then the store).
func (m *Member) Stop() error {
	if m.node == nil {
		return nil
	}
	m.cancel()
	err := <-m.served
	if cerr := m.node.Close(); err == nil {
		err = cerr
	}
	m.node = nil
	return err
}

// Running reports whether the member is started.
func (m *Member) Running() bool { return m.node != nil }

// Node returns the running node (nil when stopped).
func (m *Member) Node() *node.Node { return m.node }

// Leader waits until the running members agree on a leader that is
// running, and returns its index.
func (c *Cluster) Leader(t testing.TB) int {
	t.Helper()
	var leader int
	c.eventually(t, "a leader all running members agree on", func() bool {
		leader = -1
		id := ""
		for i, m := range c.Members {
			if !m.Running() {
				continue
			}
			l := m.node.Cluster().Leader()
			if l == "" || (id != "" && l != id) {
				return false
			}
			id = l
			if m.URL == l && m.node.Cluster().IsLeader() {
				leader = i
			}
		}
		return leader >= 0
	})
	return leader
}

// WaitReady waits until m has a leader and the cluster identity.
func (c *Cluster) WaitReady(t testing.TB, m *Member) {
	t.Helper()
	c.eventually(t, m.URL+" ready", func() bool {
		resp, err := http.Get(m.URL + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
}

// WaitMembers waits until the leader's configuration has n members.
func (c *Cluster) WaitMembers(t testing.TB, n int) {
	t.Helper()
	c.eventually(t, fmt.Sprintf("%d members in the configuration", n), func() bool {
		for _, m := range c.Members {
			if !m.Running() || !m.node.Cluster().IsLeader() {
				continue
			}
			st, err := m.node.Cluster().Status()
			return err == nil && len(st.Members) == n
		}
		return false
	})
}

// WaitConverged waits until every running member has applied the same
// raft index and holds the same state digest, and returns the digest.
func (c *Cluster) WaitConverged(t testing.TB) [32]byte {
	t.Helper()
	var digest [32]byte
	c.eventually(t, "running members converged", func() bool {
		first := true
		var applied uint64
		for _, m := range c.Members {
			if !m.Running() {
				continue
			}
			a, err := m.node.Store().RaftApplied()
			if err != nil {
				return false
			}
			d, err := m.node.Store().StateDigest()
			if err != nil {
				return false
			}
			if first {
				applied, digest, first = a, d, false
			} else if a != applied || d != digest {
				return false
			}
		}
		return !first
	})
	return digest
}

// eventually polls cond until it holds or 30 s pass.
func (c *Cluster) eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("testcluster: timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
