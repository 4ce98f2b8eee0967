package httpapi

import (
	"net/http"

	"github.com/lumbung/lumbung/locale"
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
