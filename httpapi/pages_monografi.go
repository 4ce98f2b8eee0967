package httpapi

import (
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/lumbung/lumbung/catalogue"
	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/schema"
)

// The desa's monografi form: the catalogue's indicators grouped as on
// paper, numbers in the officer's format (7.412; 9,44), each field that
// fails named in words (a sum that does not agree on every field it
// involves), the kecamatan's return note where the officer sees it, and
// the submit. Writes go through SetMonografi and SubmitMonografi, as the
// API's do.

type monoField struct {
	Code, Unit, Value, Error string
	Label                    locale.Text
}

type monoGroup struct {
	Label  locale.Text
	Fields []monoField
}

type monoData struct {
	Period, Note string
	Status       locale.Text
	Periods      []option
	Groups       []monoGroup
	CanEnter     bool
}

// periodOf is the form's period, else the semester now is in.
func periodOf(s string, now time.Time) monografi.Period {
	if p, err := monografi.ParsePeriod(s); err == nil {
		return p
	}
	sem := 1
	if now.Month() > time.June {
		sem = 2
	}
	return monografi.Period(fmt.Sprintf("%d-S%d", now.Year(), sem))
}

// monoForm lays out the form of period p with values typed (as typed,
// else the document's, in l's format) and errs by indicator code.
func (a *api) monoForm(r *http.Request, l locale.Lang, p monografi.Period, typed map[string]string, errs map[string]string) (*monoData, error) {
	doc, err := a.st.Monografi(a.cfg.Region, p)
	if err != nil {
		return nil, err
	}
	cat, err := a.st.Catalogue(a.cfg.Region)
	if err != nil {
		return nil, err
	}
	st, _ := locale.Lookup("approval.state." + string(doc.Status))
	if st.ID == "" {
		st = locale.Text{ID: string(doc.Status), EN: string(doc.Status)}
	}
	me := officerOf(r)
	d := &monoData{Period: string(p), Note: doc.Note, Status: st, CanEnter: me != nil && me.Role.May(officer.MonografiEnter)}
	d.Periods = periods(p) // this semester and the three before it
	for _, g := range cat.Groups {
		mg := monoGroup{Label: locale.Text{ID: g.LabelID, EN: g.LabelEN}}
		for _, ind := range cat.Indicators {
			if ind.Group != g.Code || ind.Type == monografi.TypeRatio {
				continue // a ratio is computed from the others, never typed
			}
			f := monoField{Code: ind.Code, Unit: ind.Unit, Label: locale.Text{ID: ind.LabelID, EN: ind.LabelEN}, Error: errs[ind.Code]}
			if v, ok := typed[ind.Code]; ok {
				f.Value = v
			} else if x, ok := doc.Values[ind.Code]; ok {
				f.Value = locale.Number(l, x)
			}
			mg.Fields = append(mg.Fields, f)
		}
		if len(mg.Fields) > 0 {
			d.Groups = append(d.Groups, mg)
		}
	}
	return d, nil
}

func (a *api) monografiPage(w http.ResponseWriter, r *http.Request) {
	p := a.page(w, r, "ui.monografi")
	if a.cfg.Tier != "desa" {
		p.Flash = locale.Key("ui.monografi_desa").In(p.Lang)
		p.Data = &monoData{}
		a.pages.Render(w, r, http.StatusOK, "monografi", p)
		return
	}
	d, err := a.monoForm(r, p.Lang, periodOf(r.URL.Query().Get("periode"), time.Now()), nil, nil)
	if err != nil {
		e := errorFor(err)
		p.Flash, p.Data = e.Msg.In(p.Lang), &monoData{}
		a.pages.Render(w, r, e.Status, "monografi", p)
		return
	}
	p.Data = d
	a.pages.Render(w, r, http.StatusOK, "monografi", p)
}

// monografiForm saves the figures typed: only the fields filled, each
// read in the officer's number format; a field that is not a number, or
// a sum that does not agree, is named on its field and nothing is saved.
func (a *api) monografiForm(w http.ResponseWriter, r *http.Request) {
	if !a.parseForm(w, r) {
		return
	}
	p := a.page(w, r, "ui.monografi")
	period := periodOf(r.PostForm.Get("periode"), time.Now())
	typed, values, errs := typedFigures(r, p.Lang)
	status := http.StatusUnprocessableEntity
	if len(errs) == 0 {
		err := a.n.CheckMonografiRegion(a.cfg.Region)
		if err == nil {
			_, err = a.n.SetMonografi(r.Context(), a.cfg.Region, period, actor(r), values)
		}
		if err == nil {
			http.Redirect(w, r, "/monografi?periode="+string(period), http.StatusSeeOther)
			return
		}
		e := errorFor(err)
		status = e.Status
		fieldWords(errs, e.Fields, p.Lang, "values.")
		if len(e.Fields) == 0 {
			p.Flash = e.Msg.In(p.Lang)
		}
	}
	if p.Flash == "" {
		p.Flash = locale.Key("ui.fix_fields").In(p.Lang)
	}
	d, err := a.monoForm(r, p.Lang, period, typed, errs)
	if err != nil {
		d = &monoData{}
	}
	p.Data = d
	a.pages.Render(w, r, status, "monografi", p)
}

// typedFigures reads the figures of the form: as typed, as numbers in
// l's format, and the words for each that is not a number.
func typedFigures(r *http.Request, l locale.Lang) (typed map[string]string, values map[string]float64, errs map[string]string) {
	typed, values, errs = map[string]string{}, map[string]float64{}, map[string]string{}
	for key, vs := range r.PostForm {
		code, ok := strings.CutPrefix(key, "v.")
		if !ok || len(vs) == 0 || strings.TrimSpace(vs[0]) == "" {
			continue
		}
		typed[code] = vs[0]
		if x, ok := locale.ParseNumber(l, vs[0]); ok {
			values[code] = x
		} else {
			errs[code] = locale.Key("ui.not_number").In(l)
		}
	}
	return typed, values, errs
}

// checkFigures answers the words for every field of the monografi form
// as the officer fills it (htmx posts the form when a field changes):
// the checks the save makes (monografi.CheckValues against the catalogue
// and the figures held), each message put on its field out of band, an
// empty one clearing a field fixed. Nothing is stored.
func (a *api) checkFigures(w http.ResponseWriter, r *http.Request) {
	if !a.parseForm(w, r) {
		return
	}
	l := pageLang(w, r)
	_, values, errs := typedFigures(r, l)
	doc, err := a.st.Monografi(a.cfg.Region, periodOf(r.PostForm.Get("periode"), time.Now()))
	var cat *catalogue.Effective
	if err == nil {
		cat, err = a.st.Catalogue(a.cfg.Region)
	}
	if err != nil {
		e := errorFor(err)
		http.Error(w, e.Msg.In(l), e.Status)
		return
	}
	if len(errs) == 0 && len(values) > 0 {
		var v *schema.ValidationError
		if errors.As(monografi.CheckValues(cat.Catalogue, doc.Values, values), &v) {
			fieldWords(errs, v.Fields, l, "values.")
		}
	}
	var b strings.Builder
	for _, ind := range cat.Indicators {
		if ind.Type == monografi.TypeRatio {
			continue // computed, never typed
		}
		fmt.Fprintf(&b, `<p class="err" id="e-%s" aria-live="polite" hx-swap-oob="true">%s</p>`,
			html.EscapeString(ind.Code), html.EscapeString(errs[ind.Code]))
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	_, _ = io.WriteString(w, b.String())
}

// monografiSubmit submits the period to the kecamatan; a refusal (a sum
// that does not agree, nothing entered, submitted already) is shown in
// words on the form.
func (a *api) monografiSubmit(w http.ResponseWriter, r *http.Request) {
	if !a.parseForm(w, r) {
		return
	}
	period := periodOf(r.PostForm.Get("periode"), time.Now())
	_, err := a.n.SubmitMonografi(r.Context(), a.cfg.Region, period, actor(r))
	if err == nil {
		http.Redirect(w, r, "/monografi?periode="+string(period), http.StatusSeeOther)
		return
	}
	p := a.page(w, r, "ui.monografi")
	e := errorFor(err)
	errs := fieldWords(nil, e.Fields, p.Lang, "values.")
	p.Flash = e.Msg.In(p.Lang)
	d, ferr := a.monoForm(r, p.Lang, period, nil, errs)
	if ferr != nil {
		d = &monoData{}
	}
	p.Data = d
	a.pages.Render(w, r, e.Status, "monografi", p)
}
