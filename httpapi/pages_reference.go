package httpapi

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/lumbung/lumbung/catalogue"
	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/web"
)

// The reference data a kabupaten (or kecamatan) publishes to every desa
// below it: extensions of the catalogue (a complaint category, an
// indicator of its own) and the region list. Each write goes through
// ExtendCatalogue and PublishRegions, as the API's do, with the same
// checks; the words of a refusal name the field.

type catalogueData struct {
	Categories []option
	Groups     []option
	Indicators int
	Extensions []string
	Types      []string
	Aggs       []string
	CanPublish bool
	// Typed is what the officer typed, shown again after a refusal.
	Typed map[string]string
}

// publishable says whether the caller may extend the catalogue and
// publish regions here: an officer allowed to, at a node above the desa.
func (a *api) publishable(r *http.Request) bool {
	me := officerOf(r)
	return me != nil && me.Role.May(officer.ReferencePublish) && a.cfg.Tier != node.TierDesa
}

func (a *api) cataloguePage(w http.ResponseWriter, r *http.Request) {
	pg := a.page(w, r, "ui.catalogue")
	a.renderCatalogue(w, r, pg, http.StatusOK, nil)
}

func (a *api) renderCatalogue(w http.ResponseWriter, r *http.Request, pg *web.Page, status int, typed map[string]string) {
	cat, err := a.st.Catalogue(a.cfg.Region)
	if err != nil {
		e := errorFor(err)
		pg.Flash, pg.Data = e.Msg.In(pg.Lang), catalogueData{}
		a.pages.Render(w, r, e.Status, "catalogue", pg)
		return
	}
	d := catalogueData{Indicators: len(cat.Indicators), CanPublish: a.publishable(r), Typed: typed,
		Types: []string{string(monografi.TypeInteger), string(monografi.TypeDecimal), string(monografi.TypePercent)},
		Aggs:  []string{string(monografi.AggSum), string(monografi.AggMax), string(monografi.AggMin), string(monografi.AggLast), string(monografi.AggNone)}}
	if d.Typed == nil {
		d.Typed = map[string]string{}
	}
	for _, c := range cat.Categories {
		d.Categories = append(d.Categories, option{Code: string(c.Code), Label: locale.Text{ID: c.LabelID, EN: c.LabelEN}})
	}
	for _, g := range cat.Groups {
		d.Groups = append(d.Groups, option{Code: g.Code, Label: locale.Text{ID: g.LabelID, EN: g.LabelEN}, Selected: g.Code == d.Typed["group"]})
	}
	for _, x := range cat.Extensions {
		d.Extensions = append(d.Extensions, locale.Key("ui.extension").In(pg.Lang, x.Region, x.Revision, web.Stamp(x.UpdatedAt, pg.Zone)))
	}
	pg.Data = d
	a.pages.Render(w, r, status, "catalogue", pg)
}

// extendCatalogueForm adds one complaint category or one indicator.
func (a *api) extendCatalogueForm(w http.ResponseWriter, r *http.Request) {
	if !a.parseForm(w, r) {
		return
	}
	pg := a.page(w, r, "ui.catalogue")
	f := r.PostForm
	typed := map[string]string{}
	for _, k := range []string{"kind", "code", "label_id", "label_en", "group", "unit", "type", "agg"} {
		typed[k] = strings.TrimSpace(f.Get(k))
	}
	var b catalogue.Body
	switch typed["kind"] {
	case "category":
		b.Categories = []catalogue.Category{{Code: schema.Category(typed["code"]), LabelID: typed["label_id"], LabelEN: typed["label_en"]}}
	default:
		b.Indicators = []monografi.Indicator{{Code: typed["group"] + "." + typed["code"], Group: typed["group"],
			LabelID: typed["label_id"], LabelEN: typed["label_en"], Unit: typed["unit"],
			Type: monografi.Type(typed["type"]), Agg: monografi.Agg(typed["agg"])}}
	}
	x, err := a.n.ExtendCatalogue(r.Context(), actor(r), &b)
	if err != nil {
		e := errorFor(err)
		pg.Flash = flashOf(e, pg.Lang)
		a.renderCatalogue(w, r, pg, e.Status, typed)
		return
	}
	pg.Flash = locale.Key("ui.extended").In(pg.Lang, x.Revision)
	a.renderCatalogue(w, r, pg, http.StatusOK, nil)
}

type regionsData struct {
	Count      int // the regions directly below this node's
	Rows       []option
	CanPublish bool
	Typed      string
}

func (a *api) regionsPage(w http.ResponseWriter, r *http.Request) {
	a.renderRegions(w, r, a.page(w, r, "ui.regions"), http.StatusOK, "")
}

func (a *api) renderRegions(w http.ResponseWriter, r *http.Request, pg *web.Page, status int, typed string) {
	d := regionsData{CanPublish: a.publishable(r), Typed: typed}
	below, err := a.st.Children(a.cfg.Region, periodOf("", time.Now()))
	if err != nil {
		e := errorFor(err)
		pg.Flash, pg.Data = e.Msg.In(pg.Lang), d
		a.pages.Render(w, r, e.Status, "regions", pg)
		return
	}
	for _, c := range below {
		name, _, _, _ := a.st.RegionName(c)
		d.Rows = append(d.Rows, option{Code: string(c), Label: locale.Text{ID: name, EN: name}})
	}
	d.Count = len(d.Rows)
	pg.Data = d
	a.pages.Render(w, r, status, "regions", pg)
}

// maxRegionsForm bounds the region list a page takes, as the API does.
const maxRegionsForm = 4 << 20

// publishRegionsForm publishes a region list pasted as "kode,nama" lines
// or chosen as a CSV file (Kemendagri's layout), all or nothing.
func (a *api) publishRegionsForm(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxRegionsForm)
	if err := r.ParseMultipartForm(maxRegionsForm); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		http.Error(w, "form: "+err.Error(), http.StatusBadRequest)
		return
	}
	pg := a.page(w, r, "ui.regions")
	typed := r.FormValue("list")
	list := io.Reader(strings.NewReader(typed))
	if file, _, err := r.FormFile("file"); err == nil {
		defer file.Close()
		list = file
	}
	regions, err := node.ParseRegions(list)
	if err != nil {
		// The list's fault: said with the line that failed.
		pg.Flash = locale.Key("ui.regions_bad").In(pg.Lang, strings.TrimPrefix(err.Error(), node.ErrRegionList.Error()+": "))
		a.renderRegions(w, r, pg, http.StatusBadRequest, typed)
		return
	}
	n, err := a.n.PublishRegions(r.Context(), actor(r), regions)
	if err != nil {
		e := errorFor(err)
		pg.Flash = flashOf(e, pg.Lang)
		a.renderRegions(w, r, pg, e.Status, typed)
		return
	}
	pg.Flash = locale.Key("ui.published").In(pg.Lang, n)
	a.renderRegions(w, r, pg, http.StatusOK, "")
}
