package node

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/lumbung/lumbung/audit"
	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/replication/cluster"
	"github.com/lumbung/lumbung/replication/exchange"
	"github.com/lumbung/lumbung/replication/trust"
	"github.com/lumbung/lumbung/replication/wire"
	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/service"
	"github.com/lumbung/lumbung/workday"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/singleflight"
)

// Options are the parts of a running node a caller may inject.
type Options struct {
	// Logger receives structured logs; nil means slog.Default().
	Logger *slog.Logger
	// Now reads the wall clock; nil means time.Now.
	Now func() time.Time
	// FS is the filesystem under the store and the holiday list; nil
	// means the OS.
	FS vfs.FS
	// Store overrides the store's tuning (cache, memtables, group size);
	// zero fields keep the defaults.
	Store StoreConfig
	// Raft overrides the cluster's raft settings (kecamatan, kabupaten);
	// nil keeps cluster.DefaultSettings.
	Raft *cluster.Settings
	// Uplink adjusts the uplink's settings (tests shorten its waits and
	// give it a client that goes through a shaped link); nil keeps
	// exchange.DefaultUplinkConfig.
	Uplink func(*exchange.UplinkConfig)
	// PasswordCost is the argon2id cost of the password hashes the node
	// makes; zero means officer.DefaultParams. Tests lower it: a hash
	// under the race detector takes most of a second.
	PasswordCost officer.Params
	// Protocol is the range of sync protocol versions the node speaks,
	// up and down; zero means wire.Supported. Tests play other versions.
	Protocol wire.Range
	// TokenLifetime overrides the life of the sync tokens the node
	// issues (Config.TokenDays); tests shorten it to see rotation.
	TokenLifetime time.Duration
	// Service, if set, says what the system's service manager knows of
	// this node's service, for the doctor (service.Query); nil leaves the
	// doctor's service check out.
	Service func(context.Context) service.State
	// Reads overrides what this member says its binary reads for the
	// kinds it names, for the upgrade gate (gate.go); tests play an older
	// release with it. Nil: every registered kind at its Version.
	Reads map[string]int
}

// Node is one running Lumbung node: its configuration, its store, its
// raft member (kecamatan, kabupaten) and its uplink. Its HTTP API is
// package httpapi's.
type Node struct {
	cfg     Config
	log     *slog.Logger
	store   *Store
	cluster *cluster.Cluster // nil on a desa node
	auditQ  chan audit.Entry // entries waiting for the audit writer (audit.go)
	metrics *metrics
	exch    *exchange.Server // nil on a desa node
	sync    *syncer
	closing chan struct{} // closed when the HTTP server starts shutting down
	closed  sync.Once
	uplink  *exchange.Uplink // nil without an upstream
	tls     *webTLS          // nil when the node serves plain HTTP
	dir     string           // the data directory
	// memberKey is the cluster's secret (a cluster member only).
	memberKey string
	tokenLife time.Duration // Options.TokenLifetime
	// uplinkSeen is uplink for the member server's goroutines, which may
	// ask before Open has set it (LeaderStatus).
	uplinkSeen atomic.Pointer[exchange.Uplink]
	now        func() time.Time
	examining  singleflight.Group                  // Doctor's calls in flight (doctor.go)
	service    func(context.Context) service.State // Options.Service
	gate       *gate                               // what the cluster's members read (gate.go)
	cal        *workday.Calendar                   // working days for the complaint time limits
	ctx        context.Context                     // ends at Close: background work stops
	stop       context.CancelFunc
	bg         sync.WaitGroup
	cost       officer.Params // of the password hashes it makes
	sessions   sessionCache
	decoyOnce  sync.Once
	decoyHash  string
	// caughtUp is set once a cluster member's state has applied every
	// entry committed when it started: only then is it ready.
	caughtUp atomic.Bool
}

// Open opens the node whose data directory is dataDir with configuration
// cfg (usually LoadConfig(dataDir)).
func Open(dataDir string, cfg Config, opts Options) (*Node, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.FS == nil {
		if err := KeepPrivate(dataDir); err != nil {
			return nil, err
		}
	}
	sc := DefaultStoreConfig(StoreDir(dataDir), cfg.Region)
	sc.Logger, sc.FS = opts.Logger, opts.FS
	sc.private = opts.FS == nil // the data directory, the store's included, is private already
	if opts.Now != nil {
		sc.Now = opts.Now
	}
	if opts.Store.CacheBytes > 0 {
		sc.CacheBytes = opts.Store.CacheBytes
	}
	if opts.Store.MemTableBytes > 0 {
		sc.MemTableBytes = opts.Store.MemTableBytes
	}
	if opts.Store.MaxGroup > 0 {
		sc.MaxGroup = opts.Store.MaxGroup
	}
	sc.NoSync = cfg.Tier != TierDesa // raft's log is the durable record (see StoreConfig.NoSync)
	cal, err := loadCalendar(orOS(opts.FS), dataDir)
	if err != nil {
		return nil, err
	}
	st, err := OpenStore(sc)
	if err != nil {
		return nil, err
	}
	n := &Node{cfg: cfg, log: opts.Logger, store: st, now: sc.Now, cal: cal, closing: make(chan struct{}), dir: dataDir, service: opts.Service,
		gate:      newGate(opts.Reads),
		tokenLife: opts.TokenLifetime}
	n.cost = opts.PasswordCost
	if n.cost == (officer.Params{}) {
		n.cost = officer.DefaultParams
	}
	n.ctx, n.stop = context.WithCancel(context.Background())
	n.sync = &syncer{n: n, links: map[schema.Code]*LinkStatus{}}
	n.metrics = newMetrics(n)
	st.onCommit = n.metrics.observeCommit
	n.auditQ = make(chan audit.Entry, 4096)
	if cfg.Tier != TierDesa {
		if err := n.openCluster(dataDir, opts); err != nil {
			_ = st.Close()
			return nil, err
		}
	} else if err := n.openTLS(""); err != nil {
		_ = st.Close()
		return nil, err
	}
	n.bg.Add(1)
	go n.writeAudit()
	if err := n.openUplink(opts); err != nil {
		_ = n.Close()
		return nil, err
	}
	if cfg.Tier != TierDesa {
		n.exch = &exchange.Server{R: n.sync, Log: n.log, Stats: n.sync.stats, Closing: n.closing, Protocol: opts.Protocol}
	}
	if cfg.Tier == TierDesa {
		n.resealClear()
		n.startSharing()
	}
	n.startRetention()
	n.log.Info("node open", "tier", cfg.Tier, "region", cfg.Region, "origin", st.Origin().String(),
		"log_position", st.DurablePos())
	return n, nil
}

// resealClear seals a desa's anonymous reporters kept in clear from
// before its office had a key (keyring.go). A failure is logged: the
// office goes on taking complaints, and the next open tries again.
func (n *Node) resealClear() {
	sealed, err := n.store.sealClearIdentities(n.ctx)
	if err != nil {
		n.log.Warn("sealing anonymous reporters kept in clear", "err", err, "sealed", sealed)
	} else if sealed > 0 {
		n.log.Info("anonymous reporters kept in clear are sealed", "sealed", sealed)
	}
}

// startSharing runs, at a desa, the sealing anew of ordinary reporters
// the offices above cannot read yet (Store.shareIdentities): at open,
// when an office's key comes down, and when the office is unlocked.
func (n *Node) startSharing() {
	kick := make(chan struct{}, 1)
	f := func() {
		select {
		case kick <- struct{}{}:
		default:
		}
	}
	n.store.onKeys.Store(&f)
	kick <- struct{}{}
	n.bg.Add(1)
	go func() {
		defer n.bg.Done()
		// A pass reads every complaint: it runs again only when a key
		// changed since the last one, or when that one left reporters
		// for an unlocked office (every login kicks it).
		lastGen, waiting, ran := uint64(0), 0, false
		for {
			select {
			case <-n.ctx.Done():
				return
			case <-kick:
			}
			gen := n.store.keysGen.Load()
			if ran && gen == lastGen && (waiting == 0 || !n.store.Unlocked()) {
				continue
			}
			sealed, left, err := n.store.shareIdentities(n.ctx)
			switch {
			case err != nil && n.ctx.Err() == nil:
				n.log.Warn("sealing reporters for the offices above", "err", err, "sealed", sealed)
				continue // tried again at the next kick
			case sealed > 0:
				n.log.Info("reporters sealed for the offices above", "sealed", sealed)
			}
			lastGen, waiting, ran = gen, left, true
		}
	}()
}

// Store returns the node's state store.
func (n *Node) Store() *Store { return n.store }

// Config returns the node's configuration.
func (n *Node) Config() Config { return n.cfg }

// Logger returns the node's logger.
func (n *Node) Logger() *slog.Logger { return n.log }

// Metrics returns the registry of the node's Prometheus metrics, its own
// so that several nodes can run in one process (tests, the demo).
func (n *Node) Metrics() *prometheus.Registry { return n.metrics.reg }

// SyncHandler serves the sync exchange (exchange.Path) of the nodes
// below; nil on a desa node, which has none below it.
func (n *Node) SyncHandler() http.Handler {
	if n.exch == nil {
		return nil
	}
	return n.exch
}

// openCluster starts the node's raft member. A member with no raft state
// bootstraps a new cluster unless it is set to join one (Config.Join),
// in which case it asks that member's cluster to add it.
func (n *Node) openCluster(dataDir string, opts Options) error {
	settings := cluster.DefaultSettings()
	if opts.Raft != nil {
		settings = *opts.Raft
	}
	key, err := memberKey(dataDir, n.cfg)
	if err != nil {
		return err
	}
	n.memberKey = key
	if err := n.openTLS(key); err != nil {
		return err
	}
	c, err := cluster.Open(cluster.Config{ID: n.cfg.AdvertiseURL(), RaftAddr: n.cfg.RaftAddr, Dir: RaftDir(dataDir),
		Bootstrap: n.cfg.Join == "", Settings: settings, Logger: n.log, Wall: n.store.Wall, MemberKey: key,
		Admit: n.admitJoiner, LeaderStatus: n.leaderStatus, Reads: n.readsWhenReady},
		stateMachine{n.store})
	if err != nil {
		return err
	}
	n.cluster = c
	ctx := n.ctx
	n.bg.Add(1)
	go func() {
		defer n.bg.Done()
		if n.cfg.Join != "" {
			n.join(ctx)
		}
		n.ensureGenesis(ctx)
		n.catchUp(ctx)
	}()
	return nil
}

// openUplink starts the uplink of a node with an upstream.
func (n *Node) openUplink(opts Options) error {
	if n.cfg.Upstream == "" {
		return nil
	}
	tok, err := trust.ParseEnrollToken(n.cfg.Token)
	if err != nil {
		return fmt.Errorf("%w: the sync token: %w", ErrConfig, err)
	}
	cfg := exchange.DefaultUplinkConfig(exchange.SecureURLs(n.cfg.Upstream, tok.Pin), tok.Secret)
	cfg.Logger, cfg.Now, cfg.Protocol = n.log, n.now, opts.Protocol
	cfg.TLS = trust.UpstreamConfig(tok.Pin, nil)
	cfg.OnToken = func(printed string) error { return n.keepToken(n.ctx, printed) }
	if opts.Uplink != nil {
		opts.Uplink(&cfg)
	}
	up, err := exchange.NewUplink(cfg, n.sync)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrConfig, err)
	}
	n.uplink = up
	n.uplinkSeen.Store(up)
	n.bg.Add(1)
	go func() {
		defer n.bg.Done()
		n.runUplink(n.ctx)
	}()
	return nil
}

// plainUpstream says whether the uplink speaks plain HTTP to any member
// of its upstream: a node enrolled before HTTPS, which syncs on with a
// warning until it is given a new token (lumbung sync token).
func plainUpstream(list string) bool {
	for _, u := range strings.Split(list, ",") {
		if strings.HasPrefix(strings.TrimSpace(u), "http://") {
			return true
		}
	}
	return false
}

// join asks the cluster of the member whose raft listens at cfg.Join to
// add this member, until it has or the node closes. Asking again once
// added changes nothing; a member whose log holds entries has been added.
func (n *Node) join(ctx context.Context) {
	for {
		if st, err := n.cluster.Status(); err == nil && (st.Leader != "" || st.LastIndex > 0) {
			return // a leader talks to this member: it is in the cluster
		}
		err := n.cluster.JoinVia(ctx, n.cfg.Join)
		if err == nil {
			n.log.Info("joined cluster", "via", n.cfg.Join)
			return
		}
		n.log.Warn("cannot join cluster yet", "via", n.cfg.Join, "err", err)
		t := time.NewTimer(time.Second)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// Close stops the cluster member (if any) and closes the store; call it
// after the HTTP server has stopped.
func (n *Node) Close() error {
	n.stop()
	n.bg.Wait()
	var err error
	if n.cluster != nil {
		err = n.cluster.Close()
	}
	if cerr := n.store.Close(); err == nil {
		err = cerr
	}
	return err
}

// CloseHeld wakes every held sync exchange, once: they answer now, with
// what they have. Call it when the HTTP server starts shutting down.
func (n *Node) CloseHeld() { n.closed.Do(func() { close(n.closing) }) }

// CheckRegion refuses (*RegionError) a region outside the node's scope,
// or one below the node's own region that the imported region list does
// not hold. The node's own region is never refused: no region list,
// however wrong, stops a desa taking complaints for itself.
func (n *Node) CheckRegion(c schema.Code) error {
	if !n.cfg.Region.Contains(c) {
		return &RegionError{Region: c, Node: n.cfg.Region, Err: ErrOutOfScope}
	}
	if c == n.cfg.Region {
		return nil
	}
	_, known, listed, err := n.store.RegionName(c)
	if err != nil {
		return err
	}
	if listed && !known {
		return &RegionError{Region: c, Node: n.cfg.Region, Err: ErrUnknownRegion}
	}
	return nil
}

// CheckMonografiRegion allows entry for a desa in scope: figures above
// the desa are aggregates, never entered.
func (n *Node) CheckMonografiRegion(c schema.Code) error {
	if c.Level() != schema.LevelDesa {
		return &RegionError{Region: c, Node: n.cfg.Region, Err: ErrEntryNotDesa}
	}
	return n.CheckRegion(c)
}
