package httpapi

import (
	"net/http"
	"time"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/workday"
)

// complaintStats serves GET /api/v1/stats/complaints?region=&from=&to=:
// from and to are dates (YYYY-MM-DD, WIB), to inclusive.
func (a *api) complaintStats(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	region := a.cfg.Region
	if s := q.Get("region"); s != "" {
		c, err := schema.ParseCode(s)
		if err != nil {
			locale.WriteError(w, r, newError(http.StatusBadRequest, "invalid_region", msgBadStatsRegion, s))
			return
		}
		region = c
	}
	if err := a.n.CheckRegion(region); err != nil {
		a.fail(w, r, err)
		return
	}
	var bounds [2]int64
	for i, name := range []string{"from", "to"} {
		s := q.Get(name)
		if s == "" {
			continue
		}
		d, err := time.ParseInLocation(time.DateOnly, s, workday.WIB)
		if err != nil {
			locale.WriteError(w, r, newError(http.StatusBadRequest, "invalid_date", msgBadDate, name, s))
			return
		}
		if i == 1 {
			d = d.AddDate(0, 0, 1) // to is inclusive
		}
		bounds[i] = d.UnixMilli()
	}
	if !a.consistent(w, r) {
		return
	}
	rep, err := a.n.ComplaintStats(region, bounds[0], bounds[1])
	if err != nil {
		a.fail(w, r, err)
		return
	}
	rep.From, rep.To = q.Get("from"), q.Get("to")
	locale.WriteJSON(w, http.StatusOK, rep)
}
