package httpapi

import (
	"net/http"
	"strings"
	"time"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/officer"
)

// syncData is the sync page: one line in plain words ("terakhir
// tersinkron 3 jam lalu · 12 perubahan menunggu · jam laptop terlambat
// 2 hari"), what went wrong in words the officer can act on, and the
// button to sync now.
type syncData struct {
	NoUpstream, CanSync, Started bool
	Summary, Error, Past         string
	Warnings                     []string
}

func (a *api) syncPage(w http.ResponseWriter, r *http.Request) {
	p := a.page(w, r, "ui.sync")
	st := a.n.SyncStatusFresh(r.Context())
	me := officerOf(r)
	d := syncData{NoUpstream: st.Uplink == nil, CanSync: me != nil && me.Role.May(officer.SyncNow),
		Started: r.URL.Query().Get("mulai") != ""}
	if up := st.Uplink; up != nil {
		now := time.Now()
		parts := []string{locale.Key("ui.sync_never").In(p.Lang)}
		if up.LastSuccess != nil {
			parts[0] = locale.Key("ui.sync_last").In(p.Lang, ago(p.Lang, now.Sub(*up.LastSuccess)))
		}
		parts = append(parts, locale.Key("ui.sync_pending").In(p.Lang, up.Pending))
		if skew := time.Duration(up.SkewMs) * time.Millisecond; skew <= -clockNotice {
			parts = append(parts, locale.Key("ui.sync_clock_behind").In(p.Lang, span(p.Lang, -skew)))
		} else if skew >= clockNotice {
			parts = append(parts, locale.Key("ui.sync_clock_ahead").In(p.Lang, span(p.Lang, skew)))
		}
		d.Summary = strings.Join(parts, " · ")
		if up.LastError != "" {
			d.Error = locale.Text{ID: up.LastError, EN: up.LastErrorEN}.In(p.Lang)
		}
		if up.PastError != "" && up.PastErrorAt != nil {
			d.Past = locale.Key("ui.sync_past").In(p.Lang, ago(p.Lang, now.Sub(*up.PastErrorAt)),
				locale.Text{ID: up.PastError, EN: up.PastErrorEN}.In(p.Lang))
		}
	}
	for _, wn := range st.Warnings {
		if wn.Code == "clock_skew" {
			continue // said in the summary line
		}
		d.Warnings = append(d.Warnings, locale.Text{ID: wn.Message, EN: wn.MessageEN}.In(p.Lang))
	}
	p.Data = d
	a.pages.Render(w, r, http.StatusOK, "sync", p)
}

// clockNotice is the clock difference the sync page mentions.
const clockNotice = 5 * time.Minute

func (a *api) syncNowForm(w http.ResponseWriter, r *http.Request) {
	_ = a.n.SyncNow() // a node without an upstream shows so on the page
	http.Redirect(w, r, "/sinkron?mulai=1", http.StatusSeeOther)
}

// ago says how long ago d was, in whole minutes, hours or days.
func ago(l locale.Lang, d time.Duration) string {
	switch {
	case d < time.Minute:
		return locale.Key("ui.ago_now").In(l)
	case d < time.Hour:
		return locale.Key("ui.ago_minutes").In(l, int(d.Minutes()))
	case d < 48*time.Hour:
		return locale.Key("ui.ago_hours").In(l, int(d.Hours()))
	}
	return locale.Key("ui.ago_days").In(l, int(d.Hours()/24))
}

// span says a duration in whole minutes, hours or days.
func span(l locale.Lang, d time.Duration) string {
	switch {
	case d < time.Hour:
		return locale.Key("ui.span_minutes").In(l, int(d.Minutes()))
	case d < 48*time.Hour:
		return locale.Key("ui.span_hours").In(l, int(d.Hours()))
	}
	return locale.Key("ui.span_days").In(l, int(d.Hours()/24))
}
