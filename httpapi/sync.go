package httpapi

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/schema"
)

// EnrollRequest is the body of POST /api/v1/sync/tokens.
type EnrollRequest struct {
	Region schema.Code `json:"region"`
}

// EnrollResponse gives the token once; only its hash is kept.
type EnrollResponse struct {
	Token  string      `json:"token"`
	ID     string      `json:"id"`
	Region schema.Code `json:"region"`
}

// An admin issues a token per desa (or kecamatan) they enroll: a
// kecamatan's few dozen desa in an afternoon when it starts. More than
// issueLimit in an hour is not an office's work.
const (
	issueLimit  = 100
	issueWindow = time.Hour
)

func (a *api) enroll(w http.ResponseWriter, r *http.Request) {
	if wait, ok := a.gate.issues.allow(actor(r), time.Now()); !ok {
		drain(r)
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		locale.WriteError(w, r, newError(http.StatusTooManyRequests, "too_many_tokens", msgTooManyTokens, issueLimit))
		return
	}
	var req EnrollRequest
	if e := decodeJSON(w, r, a.cfg.MaxBodyBytes, &req); e != nil {
		locale.WriteError(w, r, e)
		return
	}
	if a.cfg.Tier == node.TierDesa || !req.Region.Valid() || req.Region.Parent() != a.cfg.Region {
		e := newError(http.StatusUnprocessableEntity, "not_below", msgNotBelow, a.cfg.Region)
		e.Fields = map[string]locale.Text{"region": e.Msg}
		locale.WriteError(w, r, e)
		return
	}
	if err := a.n.CheckRegion(req.Region); err != nil {
		a.fail(w, r, err)
		return
	}
	token, t, err := a.n.Enroll(r.Context(), req.Region)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.log.Info("token issued", "region", t.Region, "token_id", t.ID)
	locale.WriteJSON(w, http.StatusCreated, EnrollResponse{Token: token, ID: t.ID, Region: t.Region})
}

func (a *api) tokens(w http.ResponseWriter, r *http.Request) {
	ts, err := a.st.Tokens()
	if err != nil {
		a.fail(w, r, err)
		return
	}
	locale.WriteJSON(w, http.StatusOK, map[string][]node.Token{"tokens": ts})
}

func (a *api) revoke(w http.ResponseWriter, r *http.Request) {
	ts, err := a.n.Revoke(r.Context(), r.PathValue("id"))
	if errors.Is(err, node.ErrNotFound) {
		locale.WriteError(w, r, newError(http.StatusNotFound, "unknown_token", msgUnknownToken, r.PathValue("id")))
		return
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.log.Info("token revoked", "id", r.PathValue("id"), "count", len(ts))
	locale.WriteJSON(w, http.StatusOK, map[string][]node.Token{"revoked": ts})
}
