package httpapi

import (
	"net/http"
	"strings"
	"time"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/schema"
)

// The admin's sync tokens: issue one for a region below (shown once, in a
// field to copy, with the command the desa runs), list them with their
// expiry and state, revoke one. Through Enroll and Revoke, as the API's
// handlers, under the same bound on tokens issued per officer.

type tokenRow struct {
	ID, Region, Expires string
	State               locale.Text
	Live                bool
}

type tokensData struct {
	Issued, IssuedFor, Region, Tier, Upstream string
	Below                                     []string
	Rows                                      []tokenRow
}

func tokenState(t node.Token, now time.Time) (locale.Text, bool) {
	key, live := "ui.token.active", true
	switch {
	case t.Revoked:
		key, live = "ui.token.revoked", false
	case t.Expires != 0 && now.UnixMilli() >= t.Expires:
		key, live = "ui.token.expired", false
	case t.Successor != "":
		key = "ui.token.rotating"
	}
	txt, _ := locale.Lookup(key)
	return txt, live
}

// tokensPage shows the tokens; d carries what a form just did.
func (a *api) tokensPage(w http.ResponseWriter, r *http.Request) {
	a.renderTokens(w, r, http.StatusOK, &tokensData{}, "")
}

func (a *api) renderTokens(w http.ResponseWriter, r *http.Request, status int, d *tokensData, flash string) {
	p := a.page(w, r, "ui.tokens")
	p.Flash = flash
	d.Tier, d.Upstream = "desa", "https://"+r.Host
	if a.cfg.Tier == node.TierKabupaten {
		d.Tier = "kecamatan"
	}
	now := time.Now()
	if below, err := a.st.Children(a.cfg.Region, periodOf("", now)); err == nil {
		for _, c := range below {
			d.Below = append(d.Below, string(c))
		}
	}
	if ts, err := a.st.Tokens(); err == nil {
		for _, t := range ts {
			st, live := tokenState(t, now)
			row := tokenRow{ID: t.ID, Region: string(t.Region), State: st, Live: live}
			if t.Expires != 0 {
				row.Expires = time.UnixMilli(t.Expires).In(p.Zone).Format("02-01-2006")
			}
			d.Rows = append(d.Rows, row)
		}
	}
	p.Data = d
	a.pages.Render(w, r, status, "tokens", p)
}

func (a *api) issueTokenForm(w http.ResponseWriter, r *http.Request) {
	if !a.parseForm(w, r) {
		return
	}
	l := pageLang(w, r)
	region := schema.Code(strings.TrimSpace(r.PostForm.Get("region")))
	d := &tokensData{Region: string(region)}
	if _, ok := a.gate.issues.allow(actor(r), time.Now()); !ok {
		a.renderTokens(w, r, http.StatusTooManyRequests, d, msgTooManyTokens.In(l, issueLimit))
		return
	}
	if a.cfg.Tier == node.TierDesa || !region.Valid() || region.Parent() != a.cfg.Region {
		a.renderTokens(w, r, http.StatusUnprocessableEntity, d, msgNotBelow.In(l, a.cfg.Region))
		return
	}
	err := a.n.CheckRegion(region)
	var token string
	var t *node.Token
	if err == nil {
		token, t, err = a.n.Enroll(r.Context(), region)
	}
	if err != nil {
		e := errorFor(err)
		a.renderTokens(w, r, e.Status, d, e.Msg.In(l))
		return
	}
	a.log.Info("token issued", "region", t.Region, "token_id", t.ID)
	d.Issued, d.IssuedFor = token, string(region)
	a.renderTokens(w, r, http.StatusCreated, d, "")
}

func (a *api) revokeTokenForm(w http.ResponseWriter, r *http.Request) {
	if _, err := a.n.Revoke(r.Context(), r.PathValue("id")); err != nil {
		e := errorFor(err)
		a.renderTokens(w, r, e.Status, &tokensData{}, e.Msg.In(pageLang(w, r)))
		return
	}
	http.Redirect(w, r, "/token", http.StatusSeeOther)
}
