package cluster

import (
	"fmt"
	"strconv"

	"github.com/hashicorp/raft"
)

// Status is what `lumbung cluster status` shows.
type Status struct {
	ID           string `json:"id"`
	State        string `json:"state"`
	Leader       string `json:"leader"`
	Term         uint64 `json:"term"`
	LastIndex    uint64 `json:"last_index"`
	CommitIndex  uint64 `json:"commit_index"`
	AppliedIndex uint64 `json:"applied_index"`
	// SnapshotIndex is the index of the newest snapshot this member holds.
	SnapshotIndex uint64 `json:"snapshot_index"`
	// Restores counts the snapshots restored into the state since start.
	Restores uint64   `json:"restores"`
	Members  []Member `json:"members"`
}

// Member is one server in the cluster's configuration.
type Member struct {
	ID       string `json:"id"`
	RaftAddr string `json:"raft_addr"`
	Voter    bool   `json:"voter"`
	Leader   bool   `json:"leader"`
}

// Status reports this member's view of the cluster.
func (c *Cluster) Status() (*Status, error) {
	f := c.raft.GetConfiguration()
	if err := f.Error(); err != nil {
		return nil, fmt.Errorf("cluster: configuration: %w", err)
	}
	stats := c.raft.Stats()
	term, _ := strconv.ParseUint(stats["term"], 10, 64)
	snap, _ := strconv.ParseUint(stats["last_snapshot_index"], 10, 64)
	applied, _ := c.fsm.appliedIndex()
	st := &Status{ID: c.cfg.ID, State: c.raft.State().String(), Leader: c.Leader(), Term: term,
		LastIndex: c.raft.LastIndex(), CommitIndex: c.raft.CommitIndex(), AppliedIndex: applied,
		SnapshotIndex: snap, Restores: c.fsm.restores.Load()}
	for _, s := range f.Configuration().Servers {
		st.Members = append(st.Members, Member{ID: string(s.ID), RaftAddr: string(s.Address),
			Voter: s.Suffrage == raft.Voter, Leader: string(s.ID) == st.Leader})
	}
	return st, nil
}
