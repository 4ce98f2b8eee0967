package httpapi

import (
	"errors"
	"net/http"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/node"
)

// The admin's page of the office's identity key: whether the office has
// one and whether it is unlocked; making one for an office made before
// keys (its recovery key shown once, to write on paper); unlocking it
// with the recovery key when every officer has forgotten their password.
// Through the same node calls as the API's /api/v1/identity routes.

type identityData struct {
	Status   IdentityStatus
	Recovery string // a new key's recovery key, shown once
}

func (a *api) renderIdentity(w http.ResponseWriter, r *http.Request, status int, d identityData, flash string) {
	p := a.page(w, r, "ui.identity")
	p.Flash = flash
	d.Status.Unlocked = a.st.Unlocked()
	if pub, ok, err := a.st.OfficePublicKey(); err == nil && ok {
		d.Status.HasKey, d.Status.PublicKey = true, pub
	}
	d.Status.SealedTo, _ = a.st.SealsTo() // an error leaves the line out
	p.Data = d
	a.pages.Render(w, r, status, "identity", p)
}

func (a *api) identityPage(w http.ResponseWriter, r *http.Request) {
	a.renderIdentity(w, r, http.StatusOK, identityData{}, "")
}

func (a *api) makeOfficeKeyForm(w http.ResponseWriter, r *http.Request) {
	if !a.parseForm(w, r) {
		return
	}
	l := pageLang(w, r)
	rk, err := a.n.MakeOfficeKey(r.Context())
	switch {
	case errors.Is(err, node.ErrOfficeKeyExists):
		a.renderIdentity(w, r, http.StatusConflict, identityData{}, msgOfficeKeyExists.In(l))
	case err != nil:
		e := errorFor(err)
		a.renderIdentity(w, r, e.Status, identityData{}, flashOf(e, l))
	default:
		a.log.Info("office identity key made", "by", actor(r))
		a.renderIdentity(w, r, http.StatusCreated, identityData{Recovery: rk}, "")
	}
}

func (a *api) unlockIdentitiesForm(w http.ResponseWriter, r *http.Request) {
	if !a.parseForm(w, r) {
		return
	}
	l := pageLang(w, r)
	if e := a.unlock(r, r.PostForm.Get("recovery")); e != nil {
		a.renderIdentity(w, r, e.Status, identityData{}, flashOf(e, l))
		return
	}
	a.renderIdentity(w, r, http.StatusOK, identityData{}, locale.Key("ui.identity_unlocked_now").In(l))
}
