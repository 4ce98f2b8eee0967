// Package cluster is the regional raft cluster of a kecamatan or
// kabupaten: one to five members that hold the same state, built on
// hashicorp/raft with the TCP transport, the log and stable store of
// raftstore, and snapshots in files.
//
// What it promises:
//
//   - Propose returns a command's result only once the entry holding it is
//     committed by a quorum and applied by the leader's state machine. A
//     member that receives a write while it is not the leader forwards it
//     to the leader over HTTP.
//   - Commands proposed together are grouped into one raft entry (group
//     commit): throughput comes from larger entries, not more of them.
//   - ReadIndex and WaitApplied make a read linearizable on any member.
//   - A member restarts on its own state store without replaying or
//     restoring anything it already holds (see restoreOnStart).
//
// A member's raft ID is its HTTP URL, so any member can reach the
// leader's API; to move a member to another address, remove it and join
// it again.
package cluster

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/raft"
	"github.com/lumbung/lumbung/replication/raftstore"
)

// Errors of the cluster.
var (
	// ErrConfig means a setting is out of range.
	ErrConfig = errors.New("cluster: bad configuration")
	// ErrBadEntry means a raft entry could not be decoded.
	ErrBadEntry = errors.New("cluster: bad raft entry")
	// ErrBadSnapshot means a snapshot stream could not be read.
	ErrBadSnapshot = errors.New("cluster: bad snapshot")
	// ErrNoLeader means no leader could be reached before the deadline.
	ErrNoLeader = errors.New("cluster: no leader")
	// ErrUnknownOutcome means a write was handed to raft but the member
	// lost contact with it before learning whether it committed; it may
	// or may not be applied.
	ErrUnknownOutcome = errors.New("cluster: outcome unknown")
	// ErrShutdown means the member is shutting down.
	ErrShutdown = errors.New("cluster: shut down")
	// ErrNotMember means a peer did not prove it is the member it claims.
	ErrNotMember = errors.New("cluster: not the member it claims to be")
	// ErrJoinRefused means a join token is unknown, spent or expired.
	ErrJoinRefused = errors.New("cluster: join token refused")
)

// Config says how to run one member.
type Config struct {
	// ID is the member's HTTP URL (http://host:port), also its raft ID.
	ID string
	// RaftAddr is the host:port raft listens on and other members dial.
	RaftAddr string
	// Dir holds the raft log (Pebble) and snapshots.
	Dir string
	// Bootstrap starts a new one-member cluster when Dir holds no raft
	// state yet; a member that will join an existing cluster leaves it false.
	Bootstrap bool
	// Settings are raft's timings and limits.
	Settings Settings
	// Logger receives the cluster's and raft's messages.
	Logger *slog.Logger
	// MemberKey is the cluster's secret (NewMemberKey), from which the
	// member derives the cluster's CA and its own certificate (members.go).
	MemberKey string
	// Admit checks a join token's hash for the member-to-be id, whose
	// request came from the address from, and spends it, through raft
	// (and may record the attempt): it returns an error wrapping
	// ErrJoinRefused when
	// the token is unknown, spent or expired, another when the cluster
	// could not tell. It is called from the member server's goroutines,
	// concurrently. nil refuses every join token.
	Admit func(ctx context.Context, tokenHash, id, from string) error
	// LeaderStatus, on the leader, is what it tells a follower that asks
	// of its own state (the node's uplink, which only the leader runs);
	// called from the member server's goroutines. nil answers null.
	LeaderStatus func() ([]byte, error)
	// Reads is what this member's binary reads, for the upgrade gate
	// (served at PathReads, asked by MemberReads), or nil while the member
	// is not ready to say; called from the member server's goroutines.
	// A nil Reads: the member does not say, as a release before the gate.
	Reads func() []byte

	// plainRaft runs raft over plain TCP, with no member endpoints: only
	// this package's benchmarks set it, to measure what TLS costs.
	plainRaft bool
	// Wall reads the time, in Unix ms, the leader stamps a raft entry
	// with (every member applies the entry with that time); nil means
	// the system clock. A node passes its clock corrected by what its
	// uplink learned from the tier above.
	Wall func() int64
}

// wall is the time a raft entry proposed now is stamped with.
func (c *Cluster) wall() int64 { return c.cfg.Wall() }

// Validate names the first field that is wrong.
func (c *Config) Validate() error {
	if !strings.HasPrefix(c.ID, "http://") && !strings.HasPrefix(c.ID, "https://") {
		return fmt.Errorf("%w: member id %q must be the member's http:// URL", ErrConfig, c.ID)
	}
	if _, _, err := net.SplitHostPort(c.RaftAddr); err != nil {
		return fmt.Errorf("%w: raft address %q: %w", ErrConfig, c.RaftAddr, err)
	}
	if c.Dir == "" {
		return fmt.Errorf("%w: no raft directory", ErrConfig)
	}
	if !ValidMemberKey(c.MemberKey) {
		return fmt.Errorf("%w: no member key", ErrConfig)
	}
	return c.Settings.Validate()
}

// Cluster is one running member.
type Cluster struct {
	cfg     Config
	log     *slog.Logger
	raft    *raft.Raft
	fsm     *fsm
	logs    *raftstore.Store
	trans   *raft.NetworkTransport
	stream  *streamLayer
	tls     *memberTLS
	srv     *http.Server // the member server, on the raft port
	batch   *batcher
	reads   readRounds
	client  *http.Client
	stopped chan struct{}
}

// Open starts the member. It restores the newest snapshot only when the
// state store is behind it (see restoreOnStart).
func Open(cfg Config, sm StateMachine) (*Cluster, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Wall == nil {
		cfg.Wall = func() int64 { return time.Now().UnixMilli() }
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	}
	c := &Cluster{cfg: cfg, log: cfg.Logger, stopped: make(chan struct{})}
	var err error
	if c.tls, err = newMemberTLS(cfg.MemberKey, cfg.ID); err != nil {
		return nil, err
	}
	c.client = c.memberClient()
	hl := hclog.New(&hclog.LoggerOptions{Name: "raft", Level: hclog.Warn, Output: slogWriter{cfg.Logger}})
	if c.fsm, err = newFSM(sm); err != nil {
		return nil, err
	}
	if c.logs, err = raftstore.Open(filepath.Join(cfg.Dir, "log"), raftstore.Options{}); err != nil {
		return nil, err
	}
	snaps, err := raft.NewFileSnapshotStoreWithLogger(cfg.Dir, 2, hl)
	if err != nil {
		_ = c.logs.Close()
		return nil, fmt.Errorf("cluster: snapshots: %w", err)
	}
	restore, err := restoreOnStart(snaps, sm)
	if err != nil {
		_ = c.logs.Close()
		return nil, err
	}
	advertise, err := net.ResolveTCPAddr("tcp", cfg.RaftAddr)
	if err != nil {
		_ = c.logs.Close()
		return nil, fmt.Errorf("cluster: raft address: %w", err)
	}
	c.stream, err = newStreamLayer(cfg.RaftAddr, advertise, c.tls, cfg.plainRaft, cfg.Logger)
	if err != nil {
		_ = c.logs.Close()
		return nil, fmt.Errorf("cluster: raft transport: %w", err)
	}
	c.trans = raft.NewNetworkTransportWithConfig(&raft.NetworkTransportConfig{Stream: c.stream, MaxPool: 3,
		Timeout: 10 * time.Second, Logger: hl})
	rc := c.raftConfig(hl, !restore)
	existing, err := raft.HasExistingState(c.logs, c.logs, snaps)
	if err == nil && !existing && cfg.Bootstrap {
		err = raft.BootstrapCluster(rc, c.logs, c.logs, snaps, c.trans, raft.Configuration{Servers: []raft.Server{
			{Suffrage: raft.Voter, ID: raft.ServerID(cfg.ID), Address: raft.ServerAddress(cfg.RaftAddr)}}})
	}
	if err == nil {
		c.raft, err = raft.NewRaft(rc, c.fsm, c.logs, c.logs, snaps, c.trans)
	}
	if err != nil {
		_ = c.trans.Close()
		_ = c.logs.Close()
		return nil, fmt.Errorf("cluster: start raft: %w", err)
	}
	c.tls.raft.Store(c.raft)
	c.serveMembers()
	c.batch = newBatcher(c)
	c.log.Info("cluster member started", "id", cfg.ID, "raft", cfg.RaftAddr, "restored_snapshot", restore)
	return c, nil
}

func (c *Cluster) raftConfig(hl hclog.Logger, noRestore bool) *raft.Config {
	s := c.cfg.Settings
	rc := raft.DefaultConfig()
	rc.LocalID = raft.ServerID(c.cfg.ID)
	rc.Logger = hl
	rc.HeartbeatTimeout = s.HeartbeatTimeout
	rc.ElectionTimeout = s.ElectionTimeout
	rc.LeaderLeaseTimeout = s.LeaderLeaseTimeout
	rc.CommitTimeout = s.CommitTimeout
	rc.MaxAppendEntries = s.MaxAppendEntries
	rc.TrailingLogs = s.TrailingLogs
	rc.SnapshotThreshold = s.SnapshotThreshold
	rc.SnapshotInterval = s.SnapshotInterval
	rc.NoSnapshotRestoreOnStart = noRestore
	rc.BatchApplyCh = true
	return rc
}

// Close stops the member: it stops taking proposals and read barriers,
// waits (5 s at most) for those already handed to raft to be answered
// while raft still runs, shuts raft down (waiting for the state machine
// to finish the entry it is applying) and closes the log. The caller
// closes the state store afterwards.
//
// The order matters: raft never answers an entry it committed but had
// not applied when it shut down (its FSM goroutine stops with the batch
// still queued), so a proposal or barrier still in flight then would
// hold its waiter for ever.
func (c *Cluster) Close() error {
	select {
	case <-c.stopped:
		return nil
	default:
	}
	close(c.stopped)
	waited := make(chan struct{})
	go func() { c.batch.wait(); c.reads.wait(); close(waited) }()
	select {
	case <-waited:
	case <-time.After(5 * time.Second):
		c.log.Warn("cluster closing with proposals raft has not answered")
	}
	err := c.raft.Shutdown().Error()
	_ = c.srv.Close()
	if cerr := c.trans.Close(); err == nil {
		err = cerr
	}
	if cerr := c.logs.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("cluster: close: %w", err)
	}
	return nil
}

// ID returns the member's ID (its HTTP URL).
func (c *Cluster) ID() string { return c.cfg.ID }

// IsLeader reports whether this member is the leader now.
func (c *Cluster) IsLeader() bool { return c.raft.State() == raft.Leader }

// Leader returns the leader's ID, "" when none is known.
func (c *Cluster) Leader() string {
	_, id := c.leader()
	return id
}

// leader returns the leader's raft address and ID, "" when none is known.
func (c *Cluster) leader() (addr, id string) {
	a, i := c.raft.LeaderWithID()
	return string(a), string(i)
}

// WaitLeader waits until some member is known as leader.
func (c *Cluster) WaitLeader(ctx context.Context) (string, error) {
	for {
		if l := c.Leader(); l != "" {
			return l, nil
		}
		if err := c.pause(ctx); err != nil {
			return "", fmt.Errorf("%w: %w", ErrNoLeader, err)
		}
	}
}

// pause waits a short while before a retry, or returns why it must stop.
func (c *Cluster) pause(ctx context.Context) error {
	t := time.NewTimer(20 * time.Millisecond)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-c.stopped:
		return ErrShutdown
	case <-t.C:
		return nil
	}
}

// Snapshot asks raft to take a snapshot now (tests, and an operator
// before a planned upgrade).
func (c *Cluster) Snapshot() error { return c.raft.Snapshot().Error() }

// slogWriter carries hclog's lines into slog.
type slogWriter struct{ l *slog.Logger }

func (w slogWriter) Write(p []byte) (int, error) {
	w.l.Warn(strings.TrimSpace(string(p)), "component", "raft")
	return len(p), nil
}

var _ io.Writer = slogWriter{}
