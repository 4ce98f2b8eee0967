package httpapi

import (
	"fmt"
	"net/http"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/replication/cluster"
	"github.com/lumbung/lumbung/schema"
)

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

func (a *api) info(w http.ResponseWriter, r *http.Request) {
	locale.WriteJSON(w, http.StatusOK, a.n.Info())
}

func (a *api) healthz(w http.ResponseWriter, r *http.Request) {
	locale.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (a *api) readyz(w http.ResponseWriter, r *http.Request) {
	if err := a.n.Ready(); err != nil {
		locale.WriteError(w, r, errorFor(err))
		return
	}
	locale.WriteJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

// clusterStatus is the raft cluster's state, for its admin (lumbung
// cluster status); a desa has none.
func (a *api) clusterStatus(w http.ResponseWriter, r *http.Request) {
	c := a.n.Cluster()
	if c == nil {
		locale.WriteError(w, r, newError(http.StatusNotFound, "no_route", msgNoRoute, r.URL.Path))
		return
	}
	st, err := c.Status()
	if err != nil {
		a.fail(w, r, fmt.Errorf("%w: %w", cluster.ErrNoLeader, err))
		return
	}
	locale.WriteJSON(w, http.StatusOK, st)
}

// RemoveInput names the member an admin removes from the cluster.
type RemoveInput struct {
	Member string `json:"member"`
}

// removeMember removes a member from the cluster (lumbung cluster
// remove), through its leader.
func (a *api) removeMember(w http.ResponseWriter, r *http.Request) {
	var in RemoveInput
	if e := decodeJSON(w, r, 4<<10, &in); e != nil {
		locale.WriteError(w, r, e)
		return
	}
	if a.n.Cluster() == nil {
		locale.WriteError(w, r, newError(http.StatusNotFound, "no_route", msgNoRoute, r.URL.Path))
		return
	}
	if in.Member == "" {
		a.fail(w, r, &schema.ValidationError{Fields: map[string]schema.Msg{"member": {ID: "wajib diisi", EN: "required"}}})
		return
	}
	if err := a.n.RemoveMember(r.Context(), in.Member); err != nil {
		a.fail(w, r, err)
		return
	}
	a.log.Info("cluster member removed", "member", in.Member, "by", actor(r))
	locale.WriteJSON(w, http.StatusOK, map[string]string{"removed": in.Member})
}
