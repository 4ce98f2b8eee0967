package httpapi

import (
	"fmt"
	"net/http"
	"time"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/replication/cluster"
	"github.com/lumbung/lumbung/schema"
)

func (a *api) syncStatus(w http.ResponseWriter, r *http.Request) {
	locale.WriteJSON(w, http.StatusOK, a.n.SyncStatusFresh(r.Context()))
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

// JoinTokenInput asks for a join token valid for TTL ("24h"; empty for
// node.DefaultJoinTokenTTL).
type JoinTokenInput struct {
	TTL string `json:"ttl,omitempty"`
}

// JoinToken is a join token for one new member, when it expires, and the
// raft addresses of the members a new member may join through.
type JoinToken struct {
	Token       string    `json:"token"`
	Expires     time.Time `json:"expires"`
	Fingerprint string    `json:"fingerprint"`
	Join        []string  `json:"join"`
	// Tier and Region are the cluster's, for the new member's init.
	Tier   node.Tier   `json:"tier"`
	Region schema.Code `json:"region"`
}

// issueJoinToken makes a join token (lumbung cluster join-token). The
// token is in the answer only: it is never logged or audited in clear.
func (a *api) issueJoinToken(w http.ResponseWriter, r *http.Request) {
	var in JoinTokenInput
	if e := decodeJSON(w, r, 4<<10, &in); e != nil {
		locale.WriteError(w, r, e)
		return
	}
	c := a.n.Cluster()
	if c == nil {
		locale.WriteError(w, r, newError(http.StatusNotFound, "no_route", msgNoRoute, r.URL.Path))
		return
	}
	var ttl time.Duration
	if in.TTL != "" {
		var err error
		if ttl, err = time.ParseDuration(in.TTL); err != nil {
			a.fail(w, r, &schema.ValidationError{Fields: map[string]schema.Msg{"ttl": {ID: "lama berlaku seperti 24h atau 30m", EN: "a lifetime such as 24h or 30m"}}})
			return
		}
	}
	tok, expires, err := a.n.IssueJoinToken(r.Context(), ttl, actor(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := JoinToken{Token: tok, Expires: expires, Fingerprint: c.Fingerprint().String(), Tier: a.cfg.Tier, Region: a.cfg.Region}
	if st, err := c.Status(); err == nil {
		for _, m := range st.Members {
			out.Join = append(out.Join, m.RaftAddr)
		}
	}
	a.log.Info("join token issued", "by", actor(r), "expires", expires)
	locale.WriteJSON(w, http.StatusOK, out)
}
