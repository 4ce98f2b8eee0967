package cluster

import (
	"fmt"
	"io"
	"log/slog"
	"path/filepath"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/raft"
	"github.com/lumbung/lumbung/replication/raftstore"
)

// Recover makes the stopped member cfg describes the only voter of its
// cluster, when the others are lost for good and the cluster can no
// longer elect a leader (hashicorp/raft's RecoverCluster). Every entry in
// the member's log is applied to its state, committed or not (the
// others' view of what committed is lost with them), and the log is
// replaced by a snapshot whose configuration holds this member alone.
// Started again, it leads at once; new members join it with join tokens.
// The lost members must never start again on their old data: wipe them
// and let them join as new members.
func Recover(cfg Config, sm StateMachine) error {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	hl := hclog.New(&hclog.LoggerOptions{Name: "raft", Level: hclog.Warn, Output: slogWriter{cfg.Logger}})
	logs, err := raftstore.Open(filepath.Join(cfg.Dir, "log"), raftstore.Options{})
	if err != nil {
		return err
	}
	defer logs.Close()
	snaps, err := raft.NewFileSnapshotStoreWithLogger(cfg.Dir, 2, hl)
	if err != nil {
		return fmt.Errorf("cluster: snapshots: %w", err)
	}
	f, err := newFSM(sm)
	if err != nil {
		return err
	}
	_, trans := raft.NewInmemTransport(raft.ServerAddress(cfg.RaftAddr))
	defer trans.Close()
	c := &Cluster{cfg: cfg}
	rc := c.raftConfig(hl, true)
	only := raft.Configuration{Servers: []raft.Server{
		{Suffrage: raft.Voter, ID: raft.ServerID(cfg.ID), Address: raft.ServerAddress(cfg.RaftAddr)}}}
	if err := raft.RecoverCluster(rc, recoveringFSM{f}, logs, logs, snaps, trans, only); err != nil {
		return fmt.Errorf("cluster: recover: %w", err)
	}
	cfg.Logger.Warn("cluster recovered: this member is now its only voter", "id", cfg.ID, "raft", cfg.RaftAddr)
	return nil
}

// recoveringFSM is the member's own state machine as RecoverCluster sees
// it: the state store is durable, so a snapshot it already holds (its
// applied index at or past the snapshot's) is not restored again, and the
// log's entries replay as on any restart (those at or below the applied
// index change nothing).
type recoveringFSM struct{ *fsm }

func (r recoveringFSM) Restore(rc io.ReadCloser) error {
	applied, _ := r.appliedIndex()
	snap, err := readSnapshotHeader(rc)
	if err != nil {
		rc.Close()
		return err
	}
	if applied >= snap {
		return rc.Close()
	}
	// The store is behind the snapshot: restore it whole (the header was
	// read; the state machine reads the rest).
	defer rc.Close()
	if err := r.sm.Restore(rc); err != nil {
		return fmt.Errorf("cluster: restore: %w", err)
	}
	r.advance(snap)
	return nil
}

// Snapshot implements raft.FSM. RecoverCluster persists the snapshot
// but never releases it, so Persist does.
func (r recoveringFSM) Snapshot() (raft.FSMSnapshot, error) {
	s, err := r.fsm.Snapshot()
	if err != nil {
		return nil, err
	}
	return releasing{s}, nil
}

type releasing struct{ raft.FSMSnapshot }

func (s releasing) Persist(sink raft.SnapshotSink) error {
	defer s.Release()
	return s.FSMSnapshot.Persist(sink)
}
