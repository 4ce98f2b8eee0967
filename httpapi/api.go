package httpapi

import (
	"log/slog"
	"net/http"
	"strconv"

	"github.com/lumbung/lumbung/catalogue"
	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/web"
)

// api serves the HTTP API of PRODUCT.md over one node.
type api struct {
	n    *node.Node
	cfg  node.Config
	st   *node.Store // reads; writes go through n's typed commands
	log  *slog.Logger
	gate *gate
	// pages renders the screens (pages.go).
	pages *web.Renderer
}

// methods routes one path by HTTP method and answers any other method
// with a JSON 405.
type methods map[string]http.HandlerFunc

func (m methods) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h, ok := m[r.Method]; ok {
		h(w, r)
		return
	}
	if h, ok := m[http.MethodGet]; ok && r.Method == http.MethodHead {
		h(w, r)
		return
	}
	locale.WriteError(w, r, newError(http.StatusMethodNotAllowed, "method_not_allowed", msgMethod, r.Method))
}

func (a *api) fail(w http.ResponseWriter, r *http.Request, err error) {
	e := errorFor(err)
	if e.Status >= 500 {
		a.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	locale.WriteError(w, r, e)
}

func (a *api) createComplaint(w http.ResponseWriter, r *http.Request) {
	var in schema.ComplaintInput
	if e := decodeJSON(w, r, a.cfg.MaxBodyBytes, &in); e != nil {
		locale.WriteError(w, r, e)
		return
	}
	in.Officer = actor(r)
	var cats []schema.Category
	if in.Region.Valid() {
		cat, err := a.st.Catalogue(in.Region)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		cats = cat.CategoryCodes()
	}
	if err := in.Validate(cats); err != nil { // checked again in the write, against the catalogue then
		a.fail(w, r, err)
		return
	}
	if err := a.n.CheckRegion(in.Region); err != nil {
		a.fail(w, r, err)
		return
	}
	c, err := a.n.CreateComplaint(r.Context(), &in)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/complaints/"+c.ID)
	locale.WriteJSON(w, http.StatusCreated, c)
}

func (a *api) complaintID(w http.ResponseWriter, r *http.Request) (string, bool) {
	id, err := schema.ParseTrackingNumber(r.PathValue("id"))
	if err != nil {
		locale.WriteError(w, r, newError(http.StatusNotFound, "not_found", msgBadID, r.PathValue("id")))
		return "", false
	}
	return id, true
}

func (a *api) getComplaint(w http.ResponseWriter, r *http.Request) {
	id, ok := a.complaintID(w, r)
	if !ok {
		return
	}
	if !a.consistent(w, r) {
		return
	}
	c, err := a.st.Complaint(id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	redact(r, c)
	locale.WriteJSON(w, http.StatusOK, c)
}

func (a *api) actOnComplaint(w http.ResponseWriter, r *http.Request) {
	id, ok := a.complaintID(w, r)
	if !ok {
		return
	}
	var in schema.ActionInput
	if e := decodeJSON(w, r, a.cfg.MaxBodyBytes, &in); e != nil {
		locale.WriteError(w, r, e)
		return
	}
	in.Officer = actor(r)
	if err := in.Validate(); err != nil {
		a.fail(w, r, err)
		return
	}
	c, err := a.n.ActOnComplaint(r.Context(), id, &in)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	locale.WriteJSON(w, http.StatusOK, c)
}

func (a *api) listComplaints(w http.ResponseWriter, r *http.Request) {
	page, ok := a.list(w, r, false)
	if ok {
		for _, c := range page.Complaints {
			redact(r, c)
		}
		locale.WriteJSON(w, http.StatusOK, page)
	}
}

// publicPage is a page of the public view.
type publicPage struct {
	Complaints []*schema.PublicComplaint `json:"complaints"`
	Next       string                    `json:"next_cursor,omitempty"`
}

// listPublic is the public view: complaints that are not confidential,
// without anything about their reporters.
func (a *api) listPublic(w http.ResponseWriter, r *http.Request) {
	page, ok := a.list(w, r, true)
	if !ok {
		return
	}
	out := &publicPage{Complaints: []*schema.PublicComplaint{}, Next: page.Next}
	for _, c := range page.Complaints {
		if p, ok := c.Public(); ok {
			out.Complaints = append(out.Complaints, p)
		}
	}
	locale.WriteJSON(w, http.StatusOK, out)
}

// list reads a page of complaints by the query's filters; it answers the
// request itself when it cannot.
func (a *api) list(w http.ResponseWriter, r *http.Request, public bool) (*node.ComplaintPage, bool) {
	q := r.URL.Query()
	f := node.ComplaintFilter{Status: schema.Status(q.Get("status")), Category: schema.Category(q.Get("category")),
		Query: q.Get("q"), Cursor: q.Get("cursor"), Limit: 50, Public: public}
	bad := &schema.ValidationError{}
	if f.Status != "" && schema.Status(f.Status).Label() == "" {
		bad.Add("status", msgUnknownStatus.Text())
	}
	if s := q.Get("region"); s != "" {
		c, err := schema.ParseCode(s)
		if err != nil {
			bad.Add("region", msgNotRegionCode.Text())
		}
		f.Region = c
	}
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 500 {
			bad.Add("limit", msgLimit.Text())
		}
		f.Limit = n
	}
	if err := bad.Err(); err != nil {
		e := errorFor(err)
		e.Status = http.StatusBadRequest
		locale.WriteError(w, r, e)
		return nil, false
	}
	if !a.consistent(w, r) {
		return nil, false
	}
	page, err := a.st.ListComplaints(f)
	if err != nil {
		a.fail(w, r, err)
		return nil, false
	}
	return page, true
}

// monografiTarget parses the region and period of a monografi route.
func (a *api) monografiTarget(w http.ResponseWriter, r *http.Request) (schema.Code, monografi.Period, bool) {
	region, err := schema.ParseCode(r.PathValue("region"))
	if err != nil {
		locale.WriteError(w, r, newError(http.StatusBadRequest, "invalid_region", msgBadRegion, r.PathValue("region")))
		return "", "", false
	}
	p, err := monografi.ParsePeriod(r.PathValue("period"))
	if err != nil {
		locale.WriteError(w, r, newError(http.StatusBadRequest, "invalid_period", msgBadPeriod, r.PathValue("period")))
		return "", "", false
	}
	return region, p, true
}

type monografiInput struct {
	Values  map[string]float64 `json:"values"`
	Officer string             `json:"officer,omitempty"`
}

func (a *api) setMonografi(w http.ResponseWriter, r *http.Request) {
	var in monografiInput
	a.writeMonografi(w, r, &in, true, func(region schema.Code, p monografi.Period) (*node.MonografiView, error) {
		return a.n.SetMonografi(r.Context(), region, p, actor(r), in.Values)
	})
}

type officerInput struct {
	Officer string `json:"officer,omitempty"`
}

func (a *api) submitMonografi(w http.ResponseWriter, r *http.Request) {
	var in officerInput
	a.writeMonografi(w, r, &in, r.ContentLength != 0, func(region schema.Code, p monografi.Period) (*node.MonografiView, error) {
		return a.n.SubmitMonografi(r.Context(), region, p, actor(r))
	})
}

// writeMonografi is the shape of every monografi write: parse the target,
// decode the body into in (when there is one), check the region, run op.
func (a *api) writeMonografi(w http.ResponseWriter, r *http.Request, in any, hasBody bool,
	op func(schema.Code, monografi.Period) (*node.MonografiView, error)) {
	region, p, ok := a.monografiTarget(w, r)
	if !ok {
		return
	}
	if hasBody {
		if e := decodeJSON(w, r, a.cfg.MaxBodyBytes, in); e != nil {
			locale.WriteError(w, r, e)
			return
		}
	}
	if err := a.n.CheckMonografiRegion(region); err != nil {
		a.fail(w, r, err)
		return
	}
	doc, err := op(region, p)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	locale.WriteJSON(w, http.StatusOK, doc)
}

// stepMonografi takes an approval step: approve, return, unapprove on a
// desa at its kecamatan's node; accept, unaccept on a desa at its
// kabupaten's node, or accept on a kecamatan (every approved desa in it).
func (a *api) stepMonografi(w http.ResponseWriter, r *http.Request) {
	step := r.PathValue("step")
	if !node.IsStep(step) {
		locale.WriteError(w, r, newError(http.StatusNotFound, "no_route", msgUnknownStep, step))
		return
	}
	region, p, ok := a.monografiTarget(w, r)
	if !ok {
		return
	}
	var in node.StepInput
	if r.ContentLength != 0 {
		if e := decodeJSON(w, r, a.cfg.MaxBodyBytes, &in); e != nil {
			locale.WriteError(w, r, e)
			return
		}
	}
	if region.Level() != schema.LevelDesa && (step != node.StepAccept || region.Level() != schema.LevelKecamatan) {
		locale.WriteError(w, r, newError(http.StatusUnprocessableEntity, "not_a_desa", msgStepNotDesa))
		return
	}
	if err := a.n.CheckRegion(region); err != nil {
		a.fail(w, r, err)
		return
	}
	in.Officer = actor(r)
	res, err := a.n.StepMonografi(r.Context(), region, p, step, in)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if res.Accept != nil {
		locale.WriteJSON(w, http.StatusOK, res.Accept)
		return
	}
	locale.WriteJSON(w, http.StatusOK, node.View(res.Document))
}

func (a *api) getMonografi(w http.ResponseWriter, r *http.Request) {
	region, p, ok := a.monografiTarget(w, r)
	if !ok {
		return
	}
	if !a.consistent(w, r) {
		return
	}
	if region.Level() != schema.LevelDesa {
		a.getAggregate(w, r, region, p)
		return
	}
	doc, err := a.st.Monografi(region, p)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	locale.WriteJSON(w, http.StatusOK, doc)
}

// monografiTable lays a region's monografi out as a monograph table: a
// column per region directly below it, and its aggregate.
func (a *api) monografiTable(w http.ResponseWriter, r *http.Request) {
	region, p, ok := a.monografiTarget(w, r)
	if !ok {
		return
	}
	if !a.cfg.Region.Contains(region) {
		locale.WriteError(w, r, newError(http.StatusForbidden, "out_of_scope", msgOutOfScope, region, a.cfg.Region))
		return
	}
	if !a.consistent(w, r) {
		return
	}
	t, err := a.st.MonografiTable(region, p)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	locale.WriteJSON(w, http.StatusOK, t)
}

// getAggregate shows the monografi of a region above the desa: the
// aggregate of the approved figures below it, with completeness.
func (a *api) getAggregate(w http.ResponseWriter, r *http.Request, region schema.Code, p monografi.Period) {
	if !a.cfg.Region.Contains(region) {
		locale.WriteError(w, r, newError(http.StatusForbidden, "out_of_scope", msgOutOfScope, region, a.cfg.Region))
		return
	}
	agg, err := a.st.MonografiAggregate(region, p)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	locale.WriteJSON(w, http.StatusOK, agg)
}

// consistent honours ?consistent=true: the read waits until this member
// holds every write acknowledged before the request. It reports whether
// the read may go on (false: the error is written).
func (a *api) consistent(w http.ResponseWriter, r *http.Request) bool {
	if r.URL.Query().Get("consistent") != "true" {
		return true
	}
	if err := a.n.Consistent(r.Context()); err != nil {
		a.fail(w, r, err)
		return false
	}
	return true
}

// RegionsInput is what an officer sends to publish a region list.
type RegionsInput struct {
	Officer string        `json:"officer"`
	Regions []node.Region `json:"regions"`
}

// RegionsResult says how many regions were published.
type RegionsResult struct {
	Region    schema.Code `json:"region"`
	Published int         `json:"published"`
}

// publishRegions publishes entries of the region list for every node
// below (the body may be large: a kabupaten's list is tens of kilobytes).
func (a *api) publishRegions(w http.ResponseWriter, r *http.Request) {
	var in RegionsInput
	if e := decodeJSON(w, r, 4<<20, &in); e != nil {
		locale.WriteError(w, r, e)
		return
	}
	n, err := a.n.PublishRegions(r.Context(), actor(r), in.Regions)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	locale.WriteJSON(w, http.StatusOK, RegionsResult{Region: a.cfg.Region, Published: n})
}

// catalogue shows the catalogue in effect at ?region= (the node's own
// region by default): indicators, complaint categories and the
// extensions applied.
func (a *api) catalogue(w http.ResponseWriter, r *http.Request) {
	region := a.cfg.Region
	if q := r.URL.Query().Get("region"); q != "" {
		region = schema.Code(q)
		if !region.Valid() {
			locale.WriteError(w, r, newError(http.StatusBadRequest, "bad_region", msgBadRegion, q))
			return
		}
	}
	cat, err := a.st.Catalogue(region)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	locale.WriteJSON(w, http.StatusOK, cat)
}

// CatalogueInput is what an officer sends to extend the catalogue of the
// node's region.
type CatalogueInput struct {
	Officer string `json:"officer"`
	catalogue.Body
}

func (a *api) extendCatalogue(w http.ResponseWriter, r *http.Request) {
	var in CatalogueInput
	if e := decodeJSON(w, r, a.cfg.MaxBodyBytes, &in); e != nil {
		locale.WriteError(w, r, e)
		return
	}
	x, err := a.n.ExtendCatalogue(r.Context(), actor(r), &in.Body)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	locale.WriteJSON(w, http.StatusOK, x)
}
