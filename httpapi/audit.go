package httpapi

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/lumbung/lumbung/audit"
	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/workday"
)

// What the officers' API records in the audit trail (package audit):
// every request of a logged-in officer that writes (any method but GET),
// every read that shows a reporter's identity (a complaint or a list of
// them, read by a role that sees identities), every read of the trail,
// every refusal of a logged-in officer's request (403), and every login,
// failed login and lockout. A request with no login that is refused is
// not recorded (anyone can send those; they are counted in the metrics
// and the log).

// audited records, once h has answered, a guarded request the trail
// keeps.
func (a *api) audited(rt route, h http.HandlerFunc) http.HandlerFunc {
	if rt.who.public || rt.who.own != "" {
		return h
	}
	keep := rt.method != http.MethodGet || rt.who.act == officer.AuditRead
	identity := rt.method == http.MethodGet && rt.who.act == officer.ComplaintRead
	return func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w, code: http.StatusOK}
		h(sw, r)
		acct := officerOf(r)
		if acct == nil || !keep && !(identity && officer.MayReadIdentity(acct.Role) && sw.code == http.StatusOK) {
			return
		}
		a.record(r, acct, sw.code)
	}
}

// record keeps one request of acct, answered with status.
func (a *api) record(r *http.Request, acct *officer.Account, status int) {
	target := r.URL.Path
	if r.Method == http.MethodGet && r.URL.RawQuery != "" {
		q := r.URL.Query()
		if q.Has("q") { // a search may be a reporter's name or NIK: the trail keeps that one was made
			q.Set("q", "…")
		}
		target += "?" + q.Encode()
	}
	pattern := r.Pattern
	if i := strings.IndexByte(pattern, ' '); i < 0 {
		pattern = r.Method + " " + pattern
	}
	a.n.Audit(audit.Entry{Officer: acct.Name, Role: string(acct.Role), Addr: clientAddr(r), Action: pattern,
		Target: target, Status: status})
}

// recordLogin keeps a login, failed or not; name is "?" when what was
// typed is not a login name.
func (a *api) recordLogin(r *http.Request, name string, role officer.Role, status int) {
	a.n.Audit(audit.Entry{Officer: name, Role: string(role), Addr: clientAddr(r), Action: "login",
		Target: r.URL.Path, Status: status})
}

// auditTrail answers GET /api/v1/audit?officer=&action=&from=&to=&limit=&cursor=,
// newest first; from and to are dates (YYYY-MM-DD, WIB, to included) or
// RFC 3339 times.
func (a *api) auditTrail(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := audit.Filter{Officer: q.Get("officer"), Action: q.Get("action"), Cursor: q.Get("cursor")}
	bad := &schema.ValidationError{}
	var err error
	if f.From, err = auditTime(q.Get("from"), false); err != nil {
		bad.Add("from", msgBadAuditTime.Text())
	}
	if f.To, err = auditTime(q.Get("to"), true); err != nil {
		bad.Add("to", msgBadAuditTime.Text())
	}
	if s := q.Get("limit"); s != "" {
		if f.Limit, err = strconv.Atoi(s); err != nil || f.Limit < 1 || f.Limit > 1000 {
			bad.Add("limit", msgBadLimit.Text())
		}
	}
	if len(bad.Fields) > 0 {
		locale.WriteError(w, r, errorFor(bad))
		return
	}
	page, err := a.st.AuditTrail(f)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	locale.WriteJSON(w, http.StatusOK, page)
}

// auditTime reads a bound of the trail: a date (its start, or for an end
// bound the start of the next day, in WIB) or an RFC 3339 time; "" is no
// bound.
func auditTime(s string, end bool) (int64, error) {
	if s == "" {
		return 0, nil
	}
	if d, err := time.ParseInLocation("2006-01-02", s, workday.WIB); err == nil {
		if end {
			d = d.AddDate(0, 0, 1)
		}
		return d.UnixMilli(), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	return t.UnixMilli(), err
}
