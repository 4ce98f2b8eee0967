package localcluster

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
	"syscall"
	"time"

	"github.com/lumbung/lumbung/httpapi"
	"github.com/lumbung/lumbung/internal/staff"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/replication/cluster"
	"github.com/lumbung/lumbung/replication/exchange"
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
	uplink   func(*exchange.UplinkConfig)
	store    node.StoreConfig
	// tokenLife is node.Options.TokenLifetime.
	tokenLife time.Duration
	now       func() time.Time
	// joinToken is the join token a member that joins enrols with at its
	// first start (the first member makes the cluster's key).
	joinToken string
	// Reads, set while the member is stopped, is what it says it reads at
	// its next start, as an older release would (node.Options.Reads).
	Reads map[string]int
	// Staff is the office's officers, one of each role, logged in: a
	// desa's own, or the cluster's, which every member shares.
	Staff *staff.Staff
	// Clock is a cluster member's clock, which can be set wrong (a desa's
	// is Desa.Clock, and this is nil).
	Clock *Clock

	node   *node.Node
	cancel context.CancelFunc
	served chan error
}

// Cluster is a regional cluster of in-process members.
type Cluster struct {
	Members []*Member
	opts    ClusterOptions
	// Staff is the cluster's officers, one of each role, logged in.
	Staff *staff.Staff
}

// ClusterOptions shape StartCluster.
type ClusterOptions struct {
	// Region is a kecamatan code (default 32.14.02).
	Region schema.Code
	// Settings are the members' raft settings (default LoopbackSettings).
	Settings *cluster.Settings
	// Logger receives every member's log (default: discarded; the
	// testcluster harness logs to t.Log).
	Logger *slog.Logger
	// WaitLimit bounds every wait for a condition (default 30 s).
	WaitLimit time.Duration
	// Upstream and Token connect the cluster to the tier above.
	Upstream, Token string
	// Uplink adjusts the uplink's settings (node.Options.Uplink).
	Uplink func(*exchange.UplinkConfig)
	// Store tunes the members' stores (node.Options.Store).
	Store node.StoreConfig
	// TokenLifetime is the life of the sync tokens the members issue
	// (node.Options.TokenLifetime; default a year).
	TokenLifetime time.Duration
}

// StartCluster starts n members: the first bootstraps the cluster, the
// others join it. It returns once every member is in the configuration
// and the cluster has its identity. Members keep their data under base,
// and the caller calls Close.
func StartCluster(base string, n int, o ClusterOptions) (*Cluster, error) {
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
	c := &Cluster{opts: o}
	for i := 0; i < n; i++ {
		if _, err := c.Add(base); err != nil {
			return c, fmt.Errorf("localcluster: start member %d: %w", i, err)
		}
		if i == 0 {
			if err := c.Wait(c.Members[0].URL+" ready", func() bool { return ready(c.Members[0].URL) == nil }); err != nil {
				return c, err
			}
		}
	}
	if err := c.WaitMembers(n); err != nil {
		return c, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.waitLimit())
	defer cancel()
	s, err := staff.Add(ctx, c.Members[0].node)
	if err != nil {
		return c, fmt.Errorf("localcluster: %w", err)
	}
	c.Staff = s
	for _, m := range c.Members {
		m.staffed(s)
	}
	return c, nil
}

// staffed gives m its office's staff and registers it for its URL.
func (m *Member) staffed(s *staff.Staff) {
	m.Staff = s
	Register(m.URL, s)
}

// Add starts one more member, joining the cluster (or bootstrapping it
// when it is the first), with its data under base.
func (c *Cluster) Add(base string) (*Member, error) {
	tier := node.TierKecamatan
	if c.opts.Region.Level() == schema.LevelKabupaten {
		tier = node.TierKabupaten
	}
	i := len(c.Members)
	m, err := startFresh(func() (*Member, error) {
		httpAddr, err := FreeAddr()
		if err != nil {
			return nil, err
		}
		raftAddr, err := FreeAddr()
		if err != nil {
			return nil, err
		}
		cfg := node.DefaultConfig(tier, c.opts.Region)
		cfg.HTTPAddr, cfg.RaftAddr = httpAddr, raftAddr
		cfg.Upstream, cfg.Token = c.opts.Upstream, c.opts.Token
		var token string
		if len(c.Members) > 0 {
			if token, cfg.Join, err = c.joinToken(); err != nil {
				return nil, err
			}
		}
		m := &Member{Data: filepath.Join(base, "m"+strconv.Itoa(i)), URL: "http://" + httpAddr, RaftAddr: raftAddr,
			cfg: cfg, joinToken: token, settings: *c.opts.Settings, log: c.opts.Logger.With("member", i), uplink: c.opts.Uplink, store: c.opts.Store, tokenLife: c.opts.TokenLifetime,
			Clock: &Clock{}}
		m.now = m.Clock.Now
		return m, nil
	})
	if m != nil {
		c.Members = append(c.Members, m)
		if c.Staff != nil {
			m.staffed(c.Staff)
		}
	}
	return m, err
}

// joinToken issues a join token at a running member, as an admin does
// (lumbung cluster join-token), and returns it with that member's raft
// address to join through.
func (c *Cluster) joinToken() (token, via string, err error) {
	for _, m := range c.Members {
		if m.node == nil {
			continue
		}
		err = c.Wait("a join token from "+m.URL, func() bool {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			token, _, err = m.node.IssueJoinToken(ctx, time.Hour, "localcluster")
			return err == nil
		})
		return token, m.RaftAddr, err
	}
	return "", "", errors.New("localcluster: no running member to issue a join token")
}

// startFresh starts the member newMember describes on fresh loopback
// ports. A port FreeAddr found free can be taken by another socket before
// the member binds it; then a member whose directory was empty (nobody
// knows it yet) starts again from an empty directory on other ports. A
// member with data is not retried: its directory is never removed.
func startFresh(newMember func() (*Member, error)) (*Member, error) {
	for try := 1; ; try++ {
		m, err := newMember()
		if err != nil {
			return nil, err
		}
		entries, _ := os.ReadDir(m.Data)
		if err := os.MkdirAll(m.Data, 0o700); err != nil {
			return nil, fmt.Errorf("localcluster: %w", err)
		}
		err = m.Start()
		if err == nil || !errors.Is(err, syscall.EADDRINUSE) || len(entries) > 0 || try == 5 {
			return m, err
		}
		if err := os.RemoveAll(m.Data); err != nil {
			return nil, fmt.Errorf("localcluster: %w", err)
		}
	}
}

// URLs returns the members' API URLs.
func (c *Cluster) URLs() []string {
	out := make([]string, len(c.Members))
	for i, m := range c.Members {
		out[i] = m.URL
	}
	return out
}

// Close stops every running member.
func (c *Cluster) Close() {
	for _, m := range c.Members {
		_ = m.Stop()
	}
}

// readyClient asks whether a node is ready; a node that does not answer
// within a second is not.
var readyClient = &http.Client{Timeout: time.Second}

// ready asks url/readyz once: nil when it answers 200.
func ready(url string) error {
	resp, err := readyClient.Get(url + "/readyz")
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("localcluster: %s/readyz answered %s", url, resp.Status)
	}
	return nil
}

// FreeAddr returns a loopback host:port nothing listens on now.
func FreeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("localcluster: %w", err)
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// Start opens the member on its data directory and serves its API.
func (m *Member) Start() error {
	if m.node != nil {
		return errors.New("localcluster: member already running")
	}
	if m.joinToken != "" {
		if _, err := node.LoadMemberKey(m.Data); err != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			err := node.EnrollMember(ctx, m.Data, m.cfg, m.cfg.Join, m.joinToken)
			cancel()
			if err != nil {
				return fmt.Errorf("localcluster: enrol %s: %w", m.URL, err)
			}
		}
	}
	// As lumbung serve does, the configuration is the one on disk: a
	// sync token the upstream rotated in is kept there (node.keepToken).
	if disk, err := node.LoadConfig(m.Data); err == nil {
		m.cfg.Token = disk.Token
	} else if err := node.SaveConfig(m.Data, m.cfg); err != nil {
		return fmt.Errorf("localcluster: %w", err)
	}
	s := m.settings
	n, err := node.Open(m.Data, m.cfg, node.Options{Logger: m.log, Raft: &s, Uplink: m.uplink, Now: m.now, Store: m.store,
		PasswordCost: staff.Cost, TokenLifetime: m.tokenLife, Reads: m.Reads})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", m.cfg.HTTPAddr)
	if err != nil {
		_ = n.Close()
		return fmt.Errorf("localcluster: listen: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	m.node, m.cancel, m.served = n, cancel, make(chan error, 1)
	go func() { m.served <- httpapi.Serve(ctx, n, ln) }()
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

// SetUplink gives a stopped member a new upstream and sync token, as
// `lumbung sync token --set` does to a stopped node's configuration; the
// next Start uses them.
func (m *Member) SetUplink(upstream, token string) error {
	if m.node != nil {
		return errors.New("localcluster: stop the member before changing its uplink")
	}
	m.cfg.Upstream, m.cfg.Token = upstream, token
	return node.SaveConfig(m.Data, m.cfg)
}

// Running reports whether the member is started.
func (m *Member) Running() bool { return m.node != nil }

// Node returns the running node (nil when stopped).
func (m *Member) Node() *node.Node { return m.node }

// Leader waits until the running members agree on a leader that is
// running, and returns its index.
func (c *Cluster) Leader() (int, error) {
	var leader int
	err := c.Wait("a leader all running members agree on", func() bool {
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
	return leader, err
}

// WaitMembers waits until the leader counts n members in the raft
// configuration.
func (c *Cluster) WaitMembers(n int) error {
	return c.Wait(fmt.Sprintf("%d members in the configuration", n), func() bool {
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

// Converged waits until every running member has applied the same raft
// index and holds the same state digest, and returns the digest.
func (c *Cluster) Converged() ([32]byte, error) {
	var digest [32]byte
	err := c.Wait("running members converged", func() bool {
		var err error
		digest, err = c.digestOnce()
		return err == nil
	})
	return digest, err
}

// Wait polls cond until it holds or the cluster's WaitLimit (default
// 30 s) passes.
func (c *Cluster) Wait(what string, cond func() bool) error {
	return Eventually(c.waitLimit(), what, cond)
}

func (c *Cluster) waitLimit() time.Duration {
	if c.opts.WaitLimit > 0 {
		return c.opts.WaitLimit
	}
	return 30 * time.Second
}

// Partition cuts the raft links between the members in side and all the
// others, both ways. HTTP still flows, as it would between offices whose
// raft port is blocked; raft alone decides what commits.
func (c *Cluster) Partition(side ...int) {
	in := map[int]bool{}
	for _, i := range side {
		in[i] = true
	}
	for i, m := range c.Members {
		if !m.Running() {
			continue
		}
		var cut []string
		for j, o := range c.Members {
			if in[i] != in[j] {
				cut = append(cut, o.RaftAddr)
			}
		}
		m.node.Cluster().Isolate(cut...)
	}
}

// Heal restores every raft link on every running member.
func (c *Cluster) Heal() {
	for _, m := range c.Members {
		if m.Running() {
			m.node.Cluster().Heal()
		}
	}
}

// Recover makes the stopped member its cluster's only voter, when the
// others are lost for good (node.RecoverCluster, lumbung cluster recover).
func (m *Member) Recover() error {
	if m.node != nil {
		return errors.New("localcluster: stop the member before recovering its cluster")
	}
	return node.RecoverCluster(m.Data, m.cfg, m.log)
}
