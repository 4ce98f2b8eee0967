package node

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/lumbung/lumbung/replication/cluster"
	"github.com/lumbung/lumbung/replication/exchange"
	"github.com/lumbung/lumbung/version"
)

// SyncStatus is what GET /api/v1/sync/status shows.
type SyncStatus struct {
	Origin      string `json:"origin"`
	LogPosition uint64 `json:"log_position"`
	// Pending counts the changes the upstream has not acknowledged (all
	// local changes on a node without an upstream).
	Pending uint64 `json:"pending"`
	// Uplink is the link to the upstream, when there is one.
	Uplink *exchange.Status `json:"uplink,omitempty"`
	// Below lists the links below that exchanged since this node started.
	Below []LinkStatus `json:"below"`
	// ClockFixMs is the correction applied to this node's clock after the
	// upstream's clock disagreed by more than two minutes.
	ClockFixMs int64 `json:"clock_fix_ms"`
	// FutureChanges counts changes received stamped far ahead of this
	// node's clock: kept, but a sign of a wrong clock below.
	FutureChanges int64 `json:"future_changes"`
	// Warnings are for the officer, in Indonesian and English.
	Warnings []Warning `json:"warnings"`
}

// Warning is something the officer should act on.
type Warning struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	MessageEN string `json:"message_en"`
}

// LinkStatus describes one link below: what it last did here.
type LinkStatus struct {
	Name        string  `json:"name"`
	Region      string  `json:"region"`
	Token       string  `json:"token"`
	LastSuccess *string `json:"last_success"`
	// LastError is the code of the last exchange refused, and
	// LastErrorMessage (Indonesian) and LastErrorMessageEN say it in
	// plain words; they are cleared by the next success.
	LastError          string `json:"last_error,omitempty"`
	LastErrorMessage   string `json:"last_error_message,omitempty"`
	LastErrorMessageEN string `json:"last_error_message_en,omitempty"`
	// PastError… is the refusal a later success ended, kept as past.
	PastError          string `json:"past_error,omitempty"`
	PastErrorMessage   string `json:"past_error_message,omitempty"`
	PastErrorMessageEN string `json:"past_error_message_en,omitempty"`
	Exchanges          int    `json:"exchanges"`
	BytesSent          uint64 `json:"bytes_sent"`
	BytesReceived      uint64 `json:"bytes_received"`
	// ChangesApplied and ChangesDuplicate count the changes received new
	// and already held; ResentBytes and PartialBytes what cuts cost
	// (exchange.ExchangeStats).
	ChangesApplied   int   `json:"changes_applied"`
	ChangesDuplicate int   `json:"changes_duplicate"`
	ResentBytes      int64 `json:"resent_bytes"`
	PartialBytes     int64 `json:"partial_bytes"`
}

// SyncStatus reports the node's links.
func (n *Node) SyncStatus() SyncStatus {
	pos := n.store.DurablePos()
	st := SyncStatus{Origin: n.store.Origin().String(), LogPosition: pos, Pending: pos, Below: []LinkStatus{},
		ClockFixMs: n.store.clockCorrection(), FutureChanges: n.store.futureChanges.Load(), Warnings: []Warning{}}
	if n.uplink != nil {
		up := n.uplink.Status()
		st.Uplink, st.Pending = &up, uint64(up.Pending)
		if d := time.Duration(up.SkewMs) * time.Millisecond; d > clockTolerance || d < -clockTolerance {
			st.Warnings = append(st.Warnings, clockWarning(d))
		}
		if plainUpstream(up.URL) {
			t := msgPlainUpstream.Text()
			st.Warnings = append(st.Warnings, Warning{Code: "plain_upstream", Message: t.ID, MessageEN: t.EN})
		}
	}
	n.sync.mu.Lock()
	for _, l := range n.sync.links {
		st.Below = append(st.Below, *l)
	}
	n.sync.mu.Unlock()
	slices.SortFunc(st.Below, func(a, b LinkStatus) int { return strings.Compare(a.Region, b.Region) })
	return st
}

// SyncStatusFresh is SyncStatus with the uplink as the cluster's leader
// sees it: only the leader runs the uplink, so a follower asks it for its
// failures, last success and last error rather than show its own idle
// copy (the review saw "failures 0" and a fresh success at a follower
// while the kabupaten refused every frame). When the leader cannot be
// asked, a warning says the uplink's state is unknown.
func (n *Node) SyncStatusFresh(ctx context.Context) SyncStatus {
	st := n.SyncStatus()
	if n.cluster == nil || st.Uplink == nil || n.cluster.IsLeader() {
		return st
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	var up exchange.Status
	b, err := n.cluster.LeaderStatus(ctx)
	if err == nil && json.Unmarshal(b, &up) == nil && up.URL != "" {
		st.Uplink, st.Pending = &up, uint64(up.Pending)
		return st
	}
	t := msgLeaderStatus.Text()
	st.Warnings = append(st.Warnings, Warning{Code: "leader_status", Message: t.ID, MessageEN: t.EN})
	return st
}

// leaderStatus is the cluster's LeaderStatus: this member's uplink.
func (n *Node) leaderStatus() ([]byte, error) {
	up := n.uplinkSeen.Load()
	if up == nil {
		return []byte("null"), nil
	}
	return json.Marshal(up.Status())
}

// clockWarning tells the officer the laptop's clock is wrong by d.
func clockWarning(d time.Duration) Warning {
	side := msgAhead
	if d < 0 {
		side, d = msgBehind, -d
	}
	span := msgMinutes.Text(d.Minutes())
	if d >= 48*time.Hour {
		span = msgDays.Text(d.Hours() / 24)
	} else if d >= 2*time.Hour {
		span = msgHours.Text(d.Hours())
	}
	t := msgClockSkew.Text(span, side.Text())
	return Warning{Code: "clock_skew", Message: t.ID, MessageEN: t.EN}
}

// Info is what GET /api/v1/node shows: who this node is.
type Info struct {
	Tier    Tier   `json:"tier"`
	Region  string `json:"region"`
	Name    string `json:"name,omitempty"`
	Origin  string `json:"origin"`
	Version string `json:"version"`
	// Build is what this binary is: release, commit, the sync protocol
	// versions it speaks and the store format it writes.
	Build BuildInfo `json:"build"`
	// Cluster is the raft member's view (kecamatan, kabupaten).
	Cluster *cluster.Status `json:"cluster,omitempty"`
}

// Info is who this node is, as GET /api/v1/node shows it.
func (n *Node) Info() Info {
	name, _, _, _ := n.store.RegionName(n.cfg.Region)
	info := Info{Tier: n.cfg.Tier, Region: string(n.cfg.Region), Name: name,
		Origin: n.store.Origin().String(), Version: version.Release, Build: Build()}
	if n.cluster != nil {
		info.Cluster, _ = n.cluster.Status()
	}
	return info
}

// Ready says why the node cannot serve writes yet, nil once it can: its
// store has not failed and, on a cluster member, the cluster has its
// identity, this member has caught up with what was committed when it
// started, and a leader is known.
func (n *Node) Ready() error {
	if err := n.store.Err(); err != nil {
		return err
	}
	if n.cluster == nil {
		return nil
	}
	done, err := n.store.hasGenesis()
	if err != nil {
		return err
	}
	if !done || !n.caughtUp.Load() || n.cluster.Leader() == "" {
		return ErrNotReady
	}
	return nil
}
