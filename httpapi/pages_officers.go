package httpapi

import (
	"net/http"
	"strings"

	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/officer"
)

// The admin's officers: list, add (a one-time password shown once, to be
// changed at the first login), disable, reset a password. Through the
// node's commands, as the API's handlers; each ends the officer's
// sessions where the API's does.

type officersData struct {
	Rows                []officer.Public
	Roles               []officer.Role
	In                  struct{ Name, FullName string }
	Errors              map[string]string
	OneTime, OneTimeFor string
}

func (a *api) renderOfficers(w http.ResponseWriter, r *http.Request, status int, d *officersData, flash string) {
	p := a.page(w, r, "ui.officers")
	p.Flash = flash
	d.Roles = []officer.Role{officer.Operator, officer.Verifikator, officer.Viewer, officer.Admin}
	if all, err := a.st.Officers(); err == nil {
		for _, o := range all {
			d.Rows = append(d.Rows, o.Public())
		}
	}
	p.Data = d
	a.pages.Render(w, r, status, "officers", p)
}

func (a *api) officersPage(w http.ResponseWriter, r *http.Request) {
	a.renderOfficers(w, r, http.StatusOK, &officersData{}, "")
}

func (a *api) addOfficerForm(w http.ResponseWriter, r *http.Request) {
	if !a.parseForm(w, r) {
		return
	}
	d := &officersData{Errors: map[string]string{}}
	d.In.Name, d.In.FullName = strings.TrimSpace(r.PostForm.Get("name")), strings.TrimSpace(r.PostForm.Get("full_name"))
	pw := officer.NewPassword()
	acct, err := a.n.AddOfficer(r.Context(), officer.Account{Name: d.In.Name, FullName: d.In.FullName,
		Role: officer.Role(r.PostForm.Get("role"))}, pw, true)
	if err != nil {
		e := errorFor(err)
		l := pageLang(w, r)
		fieldWords(d.Errors, e.Fields, l, "")
		a.renderOfficers(w, r, e.Status, d, e.Msg.In(l))
		return
	}
	a.log.Info("officer added", "officer", acct.Name, "role", acct.Role, "by", actor(r))
	d.In.Name, d.In.FullName = "", ""
	d.OneTime, d.OneTimeFor = pw, acct.Name
	a.renderOfficers(w, r, http.StatusCreated, d, "")
}

func (a *api) disableOfficerForm(w http.ResponseWriter, r *http.Request) {
	off := true
	if _, err := a.n.ChangeOfficer(r.Context(), r.PathValue("name"), node.OfficerChange{Disabled: &off}); err != nil {
		e := errorFor(err)
		a.renderOfficers(w, r, e.Status, &officersData{}, e.Msg.In(pageLang(w, r)))
		return
	}
	a.log.Info("officer disabled", "officer", r.PathValue("name"), "by", actor(r))
	http.Redirect(w, r, "/petugas", http.StatusSeeOther)
}

func (a *api) resetOfficerForm(w http.ResponseWriter, r *http.Request) {
	pw, err := a.n.ResetPassword(r.Context(), r.PathValue("name"))
	if err != nil {
		e := errorFor(err)
		a.renderOfficers(w, r, e.Status, &officersData{}, e.Msg.In(pageLang(w, r)))
		return
	}
	a.log.Info("password reset", "officer", r.PathValue("name"), "by", actor(r))
	a.renderOfficers(w, r, http.StatusOK, &officersData{OneTime: pw, OneTimeFor: r.PathValue("name")}, "")
}
