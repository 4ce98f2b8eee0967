package node

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/lumbung/lumbung/locale"
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
		ClockFixMs: n.store.ClockFix(), FutureChanges: n.store.futureChanges.Load(), Warnings: []Warning{}}
	if n.uplink != nil {
		up := n.uplink.Status()
		st.Uplink, st.Pending = &up, uint64(up.Pending)
		if d := time.Duration(up.SkewMs) * time.Millisecond; d > clockTolerance || d < -clockTolerance {
			st.Warnings = append(st.Warnings, clockWarning(d))
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

func (a *api) syncStatus(w http.ResponseWriter, r *http.Request) {
	locale.WriteJSON(w, http.StatusOK, a.n.SyncStatus())
}

func (a *api) syncNow(w http.ResponseWriter, r *http.Request) {
	if err := a.n.SyncNow(); err != nil {
		locale.WriteError(w, r, newError(http.StatusConflict, "no_upstream", msgNoUpstream))
		return
	}
	locale.WriteJSON(w, http.StatusAccepted, map[string]string{"status": "started"})
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

func (a *api) info(w http.ResponseWriter, r *http.Request) {
	name, _, _, _ := a.n.store.RegionName(a.n.cfg.Region)
	info := Info{Tier: a.n.cfg.Tier, Region: string(a.n.cfg.Region), Name: name,
		Origin: a.n.store.Origin().String(), Version: version.Release, Build: Build()}
	if a.n.cluster != nil {
		info.Cluster, _ = a.n.cluster.Status()
	}
	locale.WriteJSON(w, http.StatusOK, info)
}

func (a *api) healthz(w http.ResponseWriter, r *http.Request) {
	locale.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (a *api) readyz(w http.ResponseWriter, r *http.Request) {
	if err := a.n.store.Err(); err != nil {
		locale.WriteError(w, r, errorFor(err))
		return
	}
	if a.n.cluster != nil {
		done, err := a.n.store.Genesis()
		if err == nil && (!done || !a.n.caughtUp.Load() || a.n.cluster.Leader() == "") {
			err = ErrNotReady
		}
		if err != nil {
			locale.WriteError(w, r, errorFor(err))
			return
		}
	}
	locale.WriteJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}
