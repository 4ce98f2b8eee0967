package node

import (
	"net/http"

	"github.com/lumbung/lumbung/replication/cluster"
)

// SyncStatus is what GET /api/v1/sync/status shows. Until the uplink
// exists every local change is pending.
type SyncStatus struct {
	Origin      string       `json:"origin"`
	LogPosition uint64       `json:"log_position"`
	Pending     uint64       `json:"pending"`
	Links       []LinkStatus `json:"links"`
}

// LinkStatus describes one link to another tier.
type LinkStatus struct {
	Name          string  `json:"name"`
	URL           string  `json:"url"`
	Pending       uint64  `json:"pending"`
	LastSuccess   *string `json:"last_success"`
	LastError     string  `json:"last_error,omitempty"`
	BytesSent     uint64  `json:"bytes_sent"`
	BytesReceived uint64  `json:"bytes_received"`
}

// SyncStatus reports pending changes per link.
func (n *Node) SyncStatus() SyncStatus {
	pos := n.store.DurablePos()
	st := SyncStatus{Origin: n.store.Origin().String(), LogPosition: pos, Pending: pos, Links: []LinkStatus{}}
	if n.cfg.Upstream != "" {
		st.Links = append(st.Links, LinkStatus{Name: "upstream", URL: n.cfg.Upstream, Pending: pos})
	}
	return st
}

func (a *api) syncStatus(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, a.n.SyncStatus())
}

// Info is what GET /api/v1/node shows: who this node is.
type Info struct {
	Tier    Tier   `json:"tier"`
	Region  string `json:"region"`
	Name    string `json:"name,omitempty"`
	Origin  string `json:"origin"`
	Version string `json:"version"`
	// Cluster is the raft member's view (kecamatan, kabupaten).
	Cluster *cluster.Status `json:"cluster,omitempty"`
}

// Version is the node's software version, set at build time.
var Version = "dev"

func (a *api) info(w http.ResponseWriter, r *http.Request) {
	name, _, _, _ := a.n.store.RegionName(a.n.cfg.Region)
	info := Info{Tier: a.n.cfg.Tier, Region: string(a.n.cfg.Region), Name: name,
		Origin: a.n.store.Origin().String(), Version: Version}
	if a.n.cluster != nil {
		info.Cluster, _ = a.n.cluster.Status()
	}
	writeJSON(w, http.StatusOK, info)
}

func (a *api) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (a *api) readyz(w http.ResponseWriter, r *http.Request) {
	if err := a.n.store.Err(); err != nil {
		writeError(w, r, errorFor(err))
		return
	}
	if a.n.cluster != nil {
		done, err := a.n.store.Genesis()
		if err == nil && (!done || !a.n.caughtUp.Load() || a.n.cluster.Leader() == "") {
			err = ErrNotReady
		}
		if err != nil {
			writeError(w, r, errorFor(err))
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}
