package httpapi

import (
	"net/http"

	"github.com/lumbung/lumbung/audit"
)

// The admin's audit trail, newest first, by officer: the same trail as
// GET /api/v1/audit (no secret and no search word is ever in it).

type auditData struct {
	Officer, Next string
	Rows          []audit.Entry
}

func (a *api) auditPage(w http.ResponseWriter, r *http.Request) {
	p := a.page(w, r, "ui.audit")
	q := r.URL.Query()
	d := auditData{Officer: q.Get("officer")}
	page, err := a.st.AuditTrail(audit.Filter{Officer: d.Officer, Cursor: q.Get("cursor"), Limit: 100})
	if err != nil {
		e := errorFor(err)
		p.Flash, p.Data = e.Msg.In(p.Lang), d
		a.pages.Render(w, r, e.Status, "audit", p)
		return
	}
	d.Rows, d.Next = page.Entries, page.Next
	p.Data = d
	a.pages.Render(w, r, http.StatusOK, "audit", p)
}
