package httpapi

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/web"
)

// The kecamatan's monografi approval: every desa below with its status
// for the period and the reporting rate ("9 dari 12 desa melapor"); a
// desa's figures beside its last period's; approve, or return with a
// note. The step goes through StepMonografi, as the API's does, with the
// basis of the figures shown, so figures changed meanwhile are not
// approved unseen.

type approvalRow struct {
	Code, Name string
	Status     locale.Text
}

type approvalData struct {
	Period, Rate string
	Periods      []option
	Rows         []approvalRow
}

// stateText names a monografi status in words.
func stateText(s monografi.Status) locale.Text {
	t, ok := locale.Lookup("approval.state." + string(s))
	if !ok {
		return locale.Text{ID: string(s), EN: string(s)}
	}
	return t
}

// periods are the semester p names and the three before now's, for the
// period select.
func periods(p monografi.Period) []option {
	var out []option
	now := time.Now()
	for i := range 4 {
		q := periodOf("", now.AddDate(0, -6*i, 0))
		out = append(out, option{Code: string(q), Selected: q == p})
	}
	return out
}

// previous is the semester before p.
func previous(p monografi.Period) monografi.Period {
	if p.Semester() == 2 {
		return monografi.Period(fmt.Sprintf("%d-S1", p.Year()))
	}
	return monografi.Period(fmt.Sprintf("%d-S2", p.Year()-1))
}

func (a *api) approvalPage(w http.ResponseWriter, r *http.Request) {
	pg := a.page(w, r, "ui.approval")
	p := periodOf(r.URL.Query().Get("periode"), time.Now())
	d := approvalData{Period: string(p), Periods: periods(p)}
	pg.Data = d
	children, err := a.st.Children(a.cfg.Region, p)
	if err != nil {
		e := errorFor(err)
		pg.Flash = e.Msg.In(pg.Lang)
		a.pages.Render(w, r, e.Status, "approval", pg)
		return
	}
	reported := 0
	for _, c := range children {
		doc, err := a.st.Monografi(c, p)
		if err != nil {
			continue
		}
		if doc.Status != monografi.StatusDraft && doc.Status != "" {
			reported++
		}
		name, _, _, _ := a.st.RegionName(c)
		d.Rows = append(d.Rows, approvalRow{Code: string(c), Name: name, Status: stateText(doc.Status)})
	}
	d.Rate = locale.Key("ui.rate").In(pg.Lang, reported, len(children))
	pg.Data = d
	a.pages.Render(w, r, http.StatusOK, "approval", pg)
}

// approvalFigure is one figure beside last period's, with where it came
// from: the officer who entered it, when, and from which laptop.
type approvalFigure struct {
	Unit, Now, Before string
	Label             locale.Text
	By, At, Origin    string
}

type approvalDesaData struct {
	Desa, Period, Previous, Note, Basis string
	Status                              locale.Text
	Rows                                []approvalFigure
	// Approved and Accepted name who approved and accepted the figures,
	// and when.
	Approved, Accepted string
	CanStep            bool
}

// entered finds, for each figure of doc, the set that wrote the value it
// holds: the last set that was not skipped and named it.
func entered(doc *monografi.Document) map[string]monografi.Entry {
	out := map[string]monografi.Entry{}
	for _, e := range doc.History {
		if e.Op != schema.OpMonografiSet || e.Skipped != "" {
			continue
		}
		for code := range e.Values {
			out[code] = e
		}
	}
	return out
}

// desaFigures is a desa's figures for p beside its previous period's,
// each traced to an officer and a laptop; ok is false (and the request
// answered) for a region not below this node's. Only the desa's own
// kecamatan approves or returns them.
func (a *api) desaFigures(w http.ResponseWriter, r *http.Request, pg *web.Page) (*approvalDesaData, bool) {
	desa, err := schema.ParseCode(r.PathValue("desa"))
	if err == nil && (desa.Level() != schema.LevelDesa || !a.cfg.Region.Contains(desa)) {
		err = fmt.Errorf("%w: %s is not a desa of %s", schema.ErrInvalid, desa, a.cfg.Region)
	}
	var doc, before *node.MonografiView
	p := periodOf(r.FormValue("periode"), time.Now())
	if err == nil {
		doc, err = a.st.Monografi(desa, p)
	}
	if err == nil {
		before, err = a.st.Monografi(desa, previous(p))
	}
	if err != nil {
		pg.Flash = locale.Key("ui.page_missing").In(pg.Lang)
		pg.Data = approvalData{}
		a.pages.Render(w, r, http.StatusNotFound, "approval", pg)
		return nil, false
	}
	me := officerOf(r)
	d := &approvalDesaData{Desa: string(desa), Period: string(p), Previous: string(previous(p)), Note: doc.Note,
		Basis: doc.Basis, Status: stateText(doc.Status), CanStep: me != nil && me.Role.May(officer.MonografiApprove) &&
			desa.Parent() == a.cfg.Region && (doc.Status == monografi.StatusSubmitted || doc.Status == monografi.StatusApproved)}
	if doc.ApprovedBy != "" {
		d.Approved = locale.Key("ui.approved_by").In(pg.Lang, doc.ApprovedBy, web.Stamp(doc.ApprovedAt, pg.Zone))
	}
	if doc.AcceptedBy != "" {
		d.Accepted = locale.Key("ui.accepted_by").In(pg.Lang, doc.AcceptedBy, web.Stamp(doc.AcceptedAt, pg.Zone))
	}
	from := entered(doc.Document)
	if cat, err := a.st.Catalogue(desa); err == nil {
		for _, ind := range cat.Indicators {
			x, ok := doc.Values[ind.Code]
			y, had := before.Values[ind.Code]
			if !ok && !had {
				continue
			}
			f := approvalFigure{Unit: ind.Unit, Label: locale.Text{ID: ind.LabelID, EN: ind.LabelEN}}
			if ok {
				f.Now = locale.Number(pg.Lang, x)
				if e, found := from[ind.Code]; found {
					f.By, f.At, f.Origin = e.Actor, web.Stamp(e.At, pg.Zone), e.Origin
				}
			}
			if had {
				f.Before = locale.Number(pg.Lang, y)
			}
			d.Rows = append(d.Rows, f)
		}
	}
	return d, true
}

func (a *api) approvalDesaPage(w http.ResponseWriter, r *http.Request) {
	pg := a.page(w, r, "ui.approval")
	d, ok := a.desaFigures(w, r, pg)
	if !ok {
		return
	}
	pg.Data = d
	a.pages.Render(w, r, http.StatusOK, "approval_desa", pg)
}

// approvalForm approves or returns a desa's figures; a refusal (a return
// without a note, figures changed since they were shown) is shown on the
// page in words.
func (a *api) approvalForm(w http.ResponseWriter, r *http.Request) {
	if !a.parseForm(w, r) {
		return
	}
	pg := a.page(w, r, "ui.approval")
	step := r.PostForm.Get("step")
	if step != node.StepApprove && step != node.StepReturn {
		step = ""
	}
	d, ok := a.desaFigures(w, r, pg)
	if !ok {
		return
	}
	err := fmt.Errorf("%w: step %q", schema.ErrInvalid, r.PostForm.Get("step"))
	if step != "" {
		in := node.StepInput{Officer: actor(r), Note: strings.TrimSpace(r.PostForm.Get("note")), Basis: r.PostForm.Get("basis")}
		_, err = a.n.StepMonografi(r.Context(), schema.Code(d.Desa), monografi.Period(d.Period), step, in)
	}
	if err == nil {
		http.Redirect(w, r, "/persetujuan?periode="+d.Period, http.StatusSeeOther)
		return
	}
	e := errorFor(err)
	pg.Flash = flashOf(e, pg.Lang)
	pg.Data = d
	a.pages.Render(w, r, e.Status, "approval_desa", pg)
}
