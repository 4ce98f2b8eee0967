package httpapi

import (
	"errors"
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/web"
	"github.com/lumbung/lumbung/workday"
)

// The officers' screens (package web renders them): each page is a route
// of the one route table, behind the access it declares, and each of its
// writes calls what the JSON API's handler calls, with the same checks.
// A page asks for a form post, never JSON; a refusal re-renders the form
// with the words on the field, and nothing is stored.

// langCookie keeps the officer's choice of language.
const langCookie = "lumbung_lang"

// pageLang is the language of a page: ?lang= (kept in a cookie), else
// the cookie, else Indonesian (Perpres 63/2019), whatever language the
// laptop's browser was installed in.
func pageLang(w http.ResponseWriter, r *http.Request) locale.Lang {
	if q := r.URL.Query().Get("lang"); q != "" {
		l := locale.Parse(q)
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600,
			SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil {
		return locale.Parse(c.Value)
	}
	return locale.ID
}

// page starts the data every template gets.
func (a *api) page(w http.ResponseWriter, r *http.Request, title string) *web.Page {
	p := &web.Page{Lang: pageLang(w, r), Title: locale.Key(title), Tier: string(a.cfg.Tier), Region: string(a.cfg.Region),
		Path: r.URL.Path, Zone: workday.ZoneOf(string(a.cfg.Region))}
	if me := officerOf(r); me != nil {
		p.Officer, p.Role = me.Name, string(me.Role)
	}
	return p
}

// pageRoutes are the screens, each with its access.
func (a *api) pageRoutes() []route {
	return []route{
		{"GET", "/{$}", pageFor(anyone()), a.home},
		{"GET", "/masuk", pageFor(anyone()), a.loginPage},
		{"POST", "/masuk", pageFor(anyone()), a.loginForm},
		{"POST", "/keluar", pageFor(loggedIn()), a.logoutForm},
		{"GET", "/sandi", pageFor(loggedIn()), a.passwordPage},
		{"POST", "/sandi", pageFor(loggedIn()), a.passwordForm},
		{"GET", "/pengaduan", pageFor(may(officer.ComplaintRead)), a.complaintsPage},
		{"GET", "/pengaduan/baru", pageFor(may(officer.ComplaintCreate)), a.newComplaintPage},
		{"GET", "/pengaduan/unduh", pageFor(may(officer.ComplaintRead)), a.complaintsDownload},
		{"POST", "/pengaduan", pageFor(may(officer.ComplaintCreate)), a.createComplaintForm},
		{"POST", "/pengaduan/periksa", pageFor(may(officer.ComplaintCreate)), a.checkIntakeField},
		{"GET", "/pengaduan/{id}", pageFor(may(officer.ComplaintRead)), a.complaintPage},
		{"GET", "/pengaduan/{id}/tanda-terima", pageFor(may(officer.ComplaintRead)), a.receiptPage},
		{"GET", "/lacak", pageFor(anyone()), a.trackPage},
		{"GET", "/sinkron", pageFor(may(officer.SyncRead)), a.syncPage},
		{"GET", "/periksa", pageFor(may(officer.SyncRead)), a.doctorPage},
		{"GET", "/antrean", pageFor(may(officer.ComplaintAct)), a.queuePage},
		{"GET", "/monografi", pageFor(may(officer.MonografiRead)), a.monografiPage},
		{"GET", "/persetujuan", pageFor(may(officer.MonografiRead)), a.approvalPage},
		{"GET", "/monografi/tabel", pageFor(may(officer.MonografiRead)), a.tablePage},
		{"GET", "/monografi/tabel/unduh", pageFor(may(officer.MonografiRead)), a.tableDownload},
		{"POST", "/monografi/terima", pageFor(may(officer.MonografiApprove)), a.acceptForm},
		{"GET", "/identitas", pageFor(may(officer.OfficersManage)), a.identityPage},
		{"POST", "/identitas/kunci", pageFor(may(officer.OfficersManage)), a.makeOfficeKeyForm},
		{"POST", "/identitas/buka", pageFor(may(officer.OfficersManage)), a.unlockIdentitiesForm},
		{"GET", "/katalog", pageFor(may(officer.NodeRead)), a.cataloguePage},
		{"POST", "/katalog", pageFor(may(officer.ReferencePublish)), a.extendCatalogueForm},
		{"GET", "/wilayah", pageFor(may(officer.NodeRead)), a.regionsPage},
		{"POST", "/wilayah", pageFor(may(officer.ReferencePublish)), a.publishRegionsForm},
		{"GET", "/statistik", pageFor(may(officer.StatsRead)), a.statsPage},
		{"GET", "/petugas", pageFor(may(officer.OfficersManage)), a.officersPage},
		{"GET", "/audit", pageFor(may(officer.AuditRead)), a.auditPage},
		{"POST", "/petugas", pageFor(may(officer.OfficersManage)), a.addOfficerForm},
		{"POST", "/petugas/{name}/nonaktif", pageFor(may(officer.OfficersManage)), a.disableOfficerForm},
		{"POST", "/petugas/{name}/sandi", pageFor(may(officer.OfficersManage)), a.resetOfficerForm},
		{"GET", "/token", pageFor(may(officer.TokensManage)), a.tokensPage},
		{"POST", "/token", pageFor(may(officer.TokensManage)), a.issueTokenForm},
		{"POST", "/token/{id}/cabut", pageFor(may(officer.TokensManage)), a.revokeTokenForm},
		{"GET", "/persetujuan/{desa}", pageFor(may(officer.MonografiRead)), a.approvalDesaPage},
		{"POST", "/persetujuan/{desa}", pageFor(may(officer.MonografiApprove)), a.approvalForm},
		{"POST", "/monografi", pageFor(may(officer.MonografiEnter)), a.monografiForm},
		{"POST", "/monografi/ajukan", pageFor(may(officer.MonografiEnter)), a.monografiSubmit},
		{"POST", "/monografi/periksa", pageFor(may(officer.MonografiEnter)), a.checkFigures},
		{"POST", "/pengaduan/{id}/tindakan", pageFor(may(officer.ComplaintAct)), a.actForm},
		{"POST", "/sinkron", pageFor(may(officer.SyncNow)), a.syncNowForm},
	}
}

// pageFor marks x as a page's: a caller it refuses is sent to the login
// page (or, with a one-time password, to the password page) rather than
// answered in JSON.
func pageFor(x access) access {
	x.page = true
	return x
}

func (a *api) home(w http.ResponseWriter, r *http.Request) {
	if _, err := a.caller(r); err != nil {
		http.Redirect(w, r, "/masuk", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/pengaduan", http.StatusSeeOther)
}

// loginData is the login form.
type loginData struct{ Name, Next string }

func (a *api) loginPage(w http.ResponseWriter, r *http.Request) {
	p := a.page(w, r, "ui.login")
	p.Data = loginData{Next: safeNext(r.URL.Query().Get("next"))}
	a.pages.Render(w, r, http.StatusOK, "login", p)
}

// safeNext keeps a redirect after login on this node: a path, never a
// URL elsewhere.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return "/pengaduan"
	}
	return next
}

func (a *api) loginForm(w http.ResponseWriter, r *http.Request) {
	if !a.parseForm(w, r) {
		return
	}
	next := safeNext(r.PostForm.Get("next"))
	_, acct, prob, err := a.signIn(w, r, r.PostForm.Get("name"), r.PostForm.Get("password"), officer.Browser)
	if acct != nil {
		if acct.MustChange {
			next = "/sandi"
		}
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	p := a.page(w, r, "ui.login")
	p.Data = loginData{Name: r.PostForm.Get("name"), Next: next}
	status := http.StatusServiceUnavailable
	switch {
	case prob != nil:
		p.Flash, status = prob.Msg.In(p.Lang), prob.Status
	case err != nil:
		p.Flash = errorFor(err).Msg.In(p.Lang)
	default:
		return // the caller hung up
	}
	a.pages.Render(w, r, status, "login", p)
}

func (a *api) logoutForm(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(CookieName); err == nil {
		if err := a.n.Logout(r.Context(), c.Value, officer.Browser); err != nil && !errors.Is(err, officer.ErrBadSecret) {
			a.log.Warn("logout", "err", err)
		}
	}
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/masuk", http.StatusSeeOther)
}

func (a *api) passwordPage(w http.ResponseWriter, r *http.Request) {
	a.pages.Render(w, r, http.StatusOK, "password", a.page(w, r, "ui.change_password"))
}

func (a *api) passwordForm(w http.ResponseWriter, r *http.Request) {
	if !a.parseForm(w, r) {
		return
	}
	me := officerOf(r)
	a.gate.hashing <- struct{}{}
	err := a.n.SetPassword(r.Context(), me.Name, r.PostForm.Get("old"), r.PostForm.Get("new"))
	<-a.gate.hashing
	if err == nil {
		// Every session ended with the old password: log in again.
		http.Redirect(w, r, "/masuk", http.StatusSeeOther)
		return
	}
	p := a.page(w, r, "ui.change_password")
	e := errorFor(err)
	if errors.Is(err, node.ErrBadLogin) {
		e = newError(http.StatusForbidden, "wrong_password", msgWrongPassword)
	}
	p.Flash = flashOf(e, p.Lang)
	a.pages.Render(w, r, e.Status, "password", p)
}

// parseForm reads a form body of at most MaxBodyBytes; it answers the
// request itself when the body is not one.
func (a *api) parseForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, a.cfg.MaxBodyBytes)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "form: "+err.Error(), http.StatusBadRequest)
		return false
	}
	return true
}

// option is one choice of a select.
type option struct {
	Code     string
	Label    locale.Text
	Selected bool
}

// row is one complaint of a list.
type row struct {
	ID, Title, Category string
	Status              locale.Text
	Created             int64
}

type listData struct {
	Rows                          []row
	Statuses, Categories          []option
	Status, Category, Query, Next string
	From, To                      string // the period, yyyy-mm-dd
}

// statusText names a status as SP4N-LAPOR! names it to officers
// (Menunggu Diproses, Tindak Lanjut…), on every screen.
func statusText(s schema.Status) locale.Text {
	t, _ := locale.Lookup("ui.status." + string(s))
	return t
}

// dayRange reads the list's period, two dates (yyyy-mm-dd, either may be
// empty) in the region's zone, as the bounds of ComplaintFilter: from the
// first day's start to the last day's end. A date that does not parse is
// left open.
func dayRange(from, to string, zone *time.Location) (int64, int64) {
	var lo, hi int64
	if d, err := time.ParseInLocation(time.DateOnly, from, zone); err == nil {
		lo = d.UnixMilli()
	}
	if d, err := time.ParseInLocation(time.DateOnly, to, zone); err == nil {
		hi = d.AddDate(0, 0, 1).UnixMilli()
	}
	return lo, hi
}

// listFilter reads the list's filters from the query.
func listFilter(q url.Values, zone *time.Location) node.ComplaintFilter {
	f := node.ComplaintFilter{Status: schema.Status(q.Get("status")), Category: schema.Category(q.Get("category")),
		Query: q.Get("q"), Cursor: q.Get("cursor"), Limit: 50}
	f.From, f.To = dayRange(q.Get("dari"), q.Get("sampai"), zone)
	if f.Status != "" && f.Status.Label() == "" {
		f.Status = ""
	}
	return f
}

func (a *api) complaintsPage(w http.ResponseWriter, r *http.Request) {
	p := a.page(w, r, "ui.complaints")
	q := r.URL.Query()
	f := listFilter(q, p.Zone)
	page, err := a.st.ListComplaints(f)
	if err != nil {
		e := errorFor(err)
		p.Flash = e.Msg.In(p.Lang)
		a.pages.Render(w, r, e.Status, "complaints", p)
		return
	}
	d := listData{Status: string(f.Status), Category: string(f.Category), Query: f.Query, Next: page.Next}
	if f.From > 0 {
		d.From = q.Get("dari")
	}
	if f.To > 0 {
		d.To = q.Get("sampai")
	}
	if cat, err := a.st.Catalogue(a.cfg.Region); err == nil {
		for _, c := range cat.Categories {
			d.Categories = append(d.Categories, option{Code: string(c.Code), Label: locale.Text{ID: c.LabelID, EN: c.LabelEN},
				Selected: c.Code == f.Category})
		}
	}
	for _, s := range schema.Statuses {
		d.Statuses = append(d.Statuses, option{Code: string(s), Label: statusText(s), Selected: s == f.Status})
	}
	labels := a.categoryLabels(p.Lang)
	for _, c := range page.Complaints {
		d.Rows = append(d.Rows, row{ID: c.ID, Title: c.Title, Category: labels[c.Category], Status: statusText(c.Status),
			Created: c.CreatedWall})
	}
	p.Data = d
	a.pages.Render(w, r, http.StatusOK, "complaints", p)
}

// categoryLabels names the categories in effect at this node, in l.
func (a *api) categoryLabels(l locale.Lang) map[schema.Category]string {
	out := map[schema.Category]string{}
	if cat, err := a.st.Catalogue(a.cfg.Region); err == nil {
		for _, c := range cat.Categories {
			out[c.Code] = locale.Text{ID: c.LabelID, EN: c.LabelEN}.In(l)
		}
	}
	return out
}

// newData is the intake form: what was typed, the choices, and the
// words of each field that failed.
type newData struct {
	In                            schema.ComplaintInput
	Channels, Categories, Classes []option
	// Regions are the desa a kecamatan's or kabupaten's counter takes a
	// complaint for; a desa takes its own.
	Regions []option
	Errors  map[string]string
}

func (a *api) intakeForm(l locale.Lang, in schema.ComplaintInput, errs map[string]string) newData {
	d := newData{In: in, Errors: errs}
	if d.Errors == nil {
		d.Errors = map[string]string{}
	}
	for _, c := range schema.Channels {
		t, _ := locale.Lookup("ui.channel." + string(c))
		d.Channels = append(d.Channels, option{Code: string(c), Label: t, Selected: c == in.Channel})
	}
	if cat, err := a.st.Catalogue(a.cfg.Region); err == nil {
		for _, c := range cat.Categories {
			d.Categories = append(d.Categories, option{Code: string(c.Code), Label: locale.Text{ID: c.LabelID, EN: c.LabelEN},
				Selected: c.Code == in.Category})
		}
	}
	if a.cfg.Tier != node.TierDesa {
		if below, err := a.st.Children(a.cfg.Region, periodOf("", time.Now())); err == nil {
			for _, c := range below {
				name, _, _, _ := a.st.RegionName(c)
				d.Regions = append(d.Regions, option{Code: string(c), Label: locale.Text{ID: strings.TrimSpace(string(c) + " " + name),
					EN: strings.TrimSpace(string(c) + " " + name)}, Selected: c == in.Region})
			}
		}
	}
	for _, c := range schema.Classifications {
		t, _ := locale.Lookup("ui.class." + string(c))
		d.Classes = append(d.Classes, option{Code: string(c), Label: t, Selected: c == in.Classification})
	}
	return d
}

func (a *api) newComplaintPage(w http.ResponseWriter, r *http.Request) {
	p := a.page(w, r, "ui.new_complaint")
	p.Data = a.intakeForm(p.Lang, schema.ComplaintInput{Channel: "walk_in"}, nil)
	a.pages.Render(w, r, http.StatusOK, "complaint_new", p)
}

// intakeInput reads the intake form as the API reads its JSON.
func (a *api) intakeInput(r *http.Request) schema.ComplaintInput {
	f := r.PostForm
	region := a.cfg.Region
	if a.cfg.Tier != node.TierDesa {
		region = schema.Code(f.Get("region")) // checked by the caller, as the API checks it
	}
	return schema.ComplaintInput{Region: region, Channel: schema.Channel(f.Get("channel")),
		Category: schema.Category(f.Get("category")), Classification: schema.Classification(f.Get("classification")),
		Title: strings.TrimSpace(f.Get("title")), Description: strings.TrimSpace(f.Get("description")),
		Location: schema.Location{RT: f.Get("rt"), RW: f.Get("rw"), Address: strings.TrimSpace(f.Get("address"))},
		Reporter: schema.Reporter{Name: strings.TrimSpace(f.Get("name")), NIK: strings.TrimSpace(f.Get("nik")),
			Phone: strings.TrimSpace(f.Get("phone")), Anonymous: f.Get("anonymous") != "", Confidential: f.Get("confidential") != ""},
		Officer: actor(r)}
}

// validIntake checks in as the API's createComplaint does, against the
// catalogue in effect at its region.
func (a *api) validIntake(in *schema.ComplaintInput) error {
	var cats []schema.Category
	if in.Region.Valid() {
		cat, err := a.st.Catalogue(in.Region)
		if err != nil {
			return err
		}
		cats = cat.CategoryCodes()
	}
	return in.Validate(cats)
}

// checkIntakeField answers the words for one field of the intake form as
// it is typed (htmx posts the form when the NIK or the phone changes):
// the same check as the save, the message of the field named by
// ?field=, or nothing when it passes. Nothing is stored.
func (a *api) checkIntakeField(w http.ResponseWriter, r *http.Request) {
	if !a.parseForm(w, r) {
		return
	}
	l := pageLang(w, r)
	in := a.intakeInput(r)
	msg := ""
	var v *schema.ValidationError
	if err := a.validIntake(&in); errors.As(err, &v) {
		if m, ok := v.Fields[r.URL.Query().Get("field")]; ok {
			msg = m.In(l)
		}
	}
	fragment(w, msg)
}

// fragment answers a piece of a page for htmx to put in place: text,
// escaped, or nothing.
func fragment(w http.ResponseWriter, text string) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	_, _ = io.WriteString(w, html.EscapeString(text))
}

// createComplaintForm takes the intake form as the API's createComplaint
// takes its JSON: the same validation against the catalogue, the same
// region check, the same command, the officer from the session.
func (a *api) createComplaintForm(w http.ResponseWriter, r *http.Request) {
	if !a.parseForm(w, r) {
		return
	}
	in := a.intakeInput(r)
	err := a.validIntake(&in) // checked again in the write, against the catalogue then
	if err == nil {
		err = a.n.CheckRegion(in.Region)
	}
	var c *schema.Complaint
	if err == nil {
		c, err = a.n.CreateComplaint(r.Context(), &in)
	}
	if err == nil {
		http.Redirect(w, r, "/pengaduan/"+c.ID+"/tanda-terima", http.StatusSeeOther)
		return
	}
	p := a.page(w, r, "ui.new_complaint")
	e := errorFor(err)
	errs := fieldWords(nil, e.Fields, p.Lang, "")
	p.Flash = locale.Key("ui.fix_fields").In(p.Lang)
	if len(errs) == 0 {
		p.Flash = locale.Key("ui.failed").In(p.Lang, e.Msg.In(p.Lang))
	}
	p.Data = a.intakeForm(p.Lang, in, errs)
	a.pages.Render(w, r, e.Status, "complaint_new", p)
}

// complaintData is a complaint's page and its receipt: with the actions
// its status allows, offered to an officer who may act, and the words of
// an action refused.
type complaintData struct {
	C                *schema.Complaint
	Status, Channel  locale.Text
	Category, Spoken string
	Actions, Reasons []option
	Errors           map[string]string
}

// complaintFor reads the complaint of the path, redacted for the role;
// it answers the request itself when there is none.
func (a *api) complaintFor(w http.ResponseWriter, r *http.Request, p *web.Page) (*complaintData, bool) {
	c, ok := a.lookup(w, r, p, r.PathValue("id"))
	if !ok {
		return nil, false
	}
	redact(r, c)
	ch, _ := locale.Lookup("ui.channel." + string(c.Channel))
	d := &complaintData{C: c, Status: statusText(c.Status), Channel: ch, Category: a.categoryLabels(p.Lang)[c.Category],
		Spoken: spoken(c.ID)}
	if me := officerOf(r); me != nil && me.Role.May(officer.ComplaintAct) {
		for _, act := range schema.Allowed(c.Status) {
			t, _ := locale.Lookup("action." + string(act))
			d.Actions = append(d.Actions, option{Code: string(act), Label: t})
		}
		for _, reason := range schema.RejectReasons {
			t, _ := locale.Lookup("ui.reason." + reason)
			d.Reasons = append(d.Reasons, option{Code: reason, Label: t})
		}
	}
	return d, true
}

// actForm records an action as the API's actOnComplaint does: the same
// validation, the same command, the officer from the session. A refusal
// (an action the status no longer allows, a missing unit or reason)
// shows the complaint again with the words; nothing is stored.
func (a *api) actForm(w http.ResponseWriter, r *http.Request) {
	if !a.parseForm(w, r) {
		return
	}
	f := r.PostForm
	in := schema.ActionInput{Action: schema.Action(f.Get("action")), Note: strings.TrimSpace(f.Get("note")),
		Unit: strings.TrimSpace(f.Get("unit")), Reason: f.Get("reason"), Officer: actor(r)}
	if in.Action != schema.ActReject {
		in.Reason = ""
	}
	if in.Action != schema.ActForward {
		in.Unit = ""
	}
	id, err := schema.ParseTrackingNumber(r.PathValue("id"))
	if err == nil {
		err = in.Validate()
	}
	if err == nil {
		_, err = a.n.ActOnComplaint(r.Context(), id, &in)
	}
	if err == nil {
		http.Redirect(w, r, "/pengaduan/"+id, http.StatusSeeOther)
		return
	}
	p := a.page(w, r, "ui.complaint")
	p.Data = trackData{}
	d, ok := a.complaintFor(w, r, p)
	if !ok {
		return
	}
	e := errorFor(err)
	d.Errors = fieldWords(nil, e.Fields, p.Lang, "")
	p.Flash = e.Msg.In(p.Lang)
	p.Data = d
	a.pages.Render(w, r, e.Status, "complaint", p)
}

// queueRow is one complaint of the triage queue.
type queueRow struct {
	ID, Title, Due string
	Status, Step   locale.Text
	Created        int64
	Overdue        bool
}

// queuePage is the triage queue: the region's open complaints, oldest
// first, each with its next time limit in working days and whether it
// has passed.
func (a *api) queuePage(w http.ResponseWriter, r *http.Request) {
	p := a.page(w, r, "ui.queue")
	cs, err := a.n.OpenComplaints(a.cfg.Region, 200)
	if err != nil {
		e := errorFor(err)
		p.Flash = e.Msg.In(p.Lang)
		p.Data = struct{ Rows []queueRow }{}
		a.pages.Render(w, r, e.Status, "queue", p)
		return
	}
	var rows []queueRow
	for _, c := range cs {
		row := queueRow{ID: c.ID, Title: c.Title, Status: statusText(c.Status), Created: c.CreatedWall}
		if step, last, overdue, ok := a.n.Deadline(c); ok {
			row.Step, _ = locale.Lookup("ui.step." + step)
			row.Due, row.Overdue = last.In(p.Zone).Format("02-01-2006"), overdue
		}
		rows = append(rows, row)
	}
	p.Data = struct{ Rows []queueRow }{rows}
	a.pages.Render(w, r, http.StatusOK, "queue", p)
}

// lookup reads the complaint tracking number raw names; it answers the
// request with the not-found page when there is none.
func (a *api) lookup(w http.ResponseWriter, r *http.Request, p *web.Page, raw string) (*schema.Complaint, bool) {
	id, err := schema.ParseTrackingNumber(raw)
	var c *schema.Complaint
	if err == nil {
		c, err = a.st.Complaint(id)
	}
	if err != nil {
		status, flash := http.StatusNotFound, locale.Key("ui.not_found").In(p.Lang)
		if c == nil && id != "" && !errors.Is(err, node.ErrNotFound) {
			e := errorFor(err) // the store failing, not the number
			status, flash = e.Status, e.Msg.In(p.Lang)
		}
		p.Flash = flash
		a.pages.Render(w, r, status, "track", p)
		return nil, false
	}
	return c, true
}

// spoken groups a tracking number so it can be read over the phone.
func spoken(id string) string { return strings.ReplaceAll(id, "-", " – ") }

func (a *api) complaintPage(w http.ResponseWriter, r *http.Request) {
	a.complaintScreen(w, r, "ui.complaint", "complaint")
}

func (a *api) receiptPage(w http.ResponseWriter, r *http.Request) {
	a.complaintScreen(w, r, "ui.receipt", "receipt")
}

// complaintScreen renders a complaint's page or its receipt.
func (a *api) complaintScreen(w http.ResponseWriter, r *http.Request, title, tmpl string) {
	p := a.page(w, r, title)
	p.Data = trackData{}
	d, ok := a.complaintFor(w, r, p)
	if !ok {
		return
	}
	p.Data = d
	a.pages.Render(w, r, http.StatusOK, tmpl, p)
}

// trackData is the citizen's lookup: what they typed and what they may
// see of the complaint (trackingOf: nothing of the reporter).
type trackData struct {
	No    string
	Found *trackView
}

type trackView struct {
	ID, Created, Updated string
	Status               locale.Text
	Answers              []string
}

func (a *api) trackPage(w http.ResponseWriter, r *http.Request) {
	p := a.page(w, r, "ui.track")
	no := strings.TrimSpace(r.URL.Query().Get("no"))
	d := trackData{No: no}
	p.Data = d
	if no == "" {
		a.pages.Render(w, r, http.StatusOK, "track", p)
		return
	}
	if wait, ok := a.gate.lookups.allow(clientAddr(r), time.Now()); !ok {
		p.Flash = msgTooManyLookups.In(p.Lang, int(wait.Minutes())+1)
		a.pages.Render(w, r, http.StatusTooManyRequests, "track", p)
		return
	}
	c, ok := a.lookup(w, r, p, strings.ReplaceAll(strings.ReplaceAll(no, " ", ""), "–", "-"))
	if !ok {
		return
	}
	t := trackingOf(c)
	v := &trackView{ID: t.ID, Created: t.CreatedAt, Updated: t.UpdatedAt, Status: statusText(t.Status)}
	for _, s := range t.Answers {
		if s.Answer != "" {
			v.Answers = append(v.Answers, s.Answer)
		}
	}
	d.Found = v
	p.Data = d
	a.pages.Render(w, r, http.StatusOK, "track", p)
}

// loginRedirect sends a caller a page refused to the login page, and
// back to the page after.
func loginRedirect(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/masuk?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
}

// fieldWords puts the words of each field of a refusal into into (made
// if nil), keyed by the field's name without trim ("values."), in l.
func fieldWords(into map[string]string, fields map[string]locale.Text, l locale.Lang, trim string) map[string]string {
	if into == nil {
		into = map[string]string{}
	}
	for f, m := range fields {
		into[strings.TrimPrefix(f, trim)] = m.In(l)
	}
	return into
}

// flashOf is the words of a refusal for the top of a page: what was
// refused, then what is wrong with each field.
func flashOf(e *apiError, l locale.Lang) string {
	s := e.Msg.In(l)
	for _, m := range e.Fields {
		s += " " + m.In(l)
	}
	return s
}
