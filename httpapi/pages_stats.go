package httpapi

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/lumbung/lumbung/locale"
)

// The statistics page: counts by status, category and channel, and the
// share of each SP4N-LAPOR! step taken on time, as bar charts drawn here
// in inline SVG (no chart library in the browser) with the numbers beside
// them in a table; then the overdue list, oldest deadline first. No
// reporter appears on it.

type bar struct {
	Label, Value string
	Y, Width     int
}

type chart struct {
	ID     string
	Title  locale.Text
	Height int
	Bars   []bar
}

type overdueRow struct {
	ID, Region, Due string
	Step            locale.Text
	DaysLate        int
}

type statsData struct {
	Region  string
	Total   int
	Charts  []chart
	Overdue []overdueRow
}

// newChart lays out values as bars, largest first, the widest 400 wide.
func newChart(id, title string, labels map[string]string, values map[string]float64, format func(float64) string) chart {
	t, _ := locale.Lookup(title)
	c := chart{ID: id, Title: t}
	keys := make([]string, 0, len(values))
	most := 0.0
	for k, v := range values {
		keys = append(keys, k)
		most = max(most, v)
	}
	sort.Slice(keys, func(i, j int) bool {
		if values[keys[i]] != values[keys[j]] {
			return values[keys[i]] > values[keys[j]]
		}
		return keys[i] < keys[j]
	})
	for i, k := range keys {
		w := 0
		if most > 0 {
			w = int(values[k] / most * 400)
		}
		label := labels[k]
		if label == "" {
			label = k
		}
		c.Bars = append(c.Bars, bar{Label: label, Value: format(values[k]), Y: i * 22, Width: w})
	}
	c.Height = max(len(keys)*22, 22)
	return c
}

func (a *api) statsPage(w http.ResponseWriter, r *http.Request) {
	p := a.page(w, r, "ui.stats")
	rep, err := a.n.ComplaintStats(a.cfg.Region, 0, 0)
	if err != nil {
		e := errorFor(err)
		p.Flash, p.Data = e.Msg.In(p.Lang), statsData{}
		a.pages.Render(w, r, e.Status, "stats", p)
		return
	}
	count := func(x float64) string { return locale.Number(p.Lang, x) }
	d := statsData{Region: string(a.cfg.Region), Total: rep.Total}
	byStatus, statusLabels := map[string]float64{}, map[string]string{}
	for s, n := range rep.ByStatus {
		byStatus[string(s)] = float64(n)
		statusLabels[string(s)] = statusText(s).In(p.Lang)
	}
	byCat := map[string]float64{}
	for c, n := range rep.ByCategory {
		byCat[string(c)] = float64(n)
	}
	byChannel, channelLabels := map[string]float64{}, map[string]string{}
	for c, n := range rep.ByChannel {
		byChannel[string(c)] = float64(n)
		t, _ := locale.Lookup("ui.channel." + string(c))
		channelLabels[string(c)] = t.In(p.Lang)
	}
	catLabels := map[string]string{}
	for c, l := range a.categoryLabels(p.Lang) {
		catLabels[string(c)] = l
	}
	onTime, stepLabels := map[string]float64{}, map[string]string{}
	for step, cp := range rep.Compliance {
		if cp.Rate >= 0 {
			onTime[step] = cp.Rate * 100
			t, _ := locale.Lookup("ui.stepname." + step)
			stepLabels[step] = t.In(p.Lang)
		}
	}
	percent := func(x float64) string { return strconv.Itoa(int(x+0.5)) + "%" }
	byRegion, regionOnTime, regionLabels := map[string]float64{}, map[string]float64{}, map[string]string{}
	for c, b := range rep.ByRegion {
		byRegion[string(c)] = float64(b.Total)
		name, _, _, _ := a.st.RegionName(c)
		regionLabels[string(c)] = strings.TrimSpace(string(c) + " " + name)
		if b.Rate >= 0 {
			regionOnTime[string(c)] = b.Rate * 100
		}
	}
	d.Charts = []chart{
		newChart("status", "ui.by_status", statusLabels, byStatus, count),
		newChart("category", "ui.by_category", catLabels, byCat, count),
		newChart("channel", "ui.by_channel", channelLabels, byChannel, count),
		newChart("region", "ui.by_region", regionLabels, byRegion, count),
		newChart("compliance", "ui.compliance", stepLabels, onTime, percent),
		newChart("region-compliance", "ui.compliance_by_region", regionLabels, regionOnTime, percent),
	}
	for _, o := range rep.Overdue {
		due, _ := time.Parse(time.RFC3339, o.Due)
		step, _ := locale.Lookup("ui.step." + o.Step)
		d.Overdue = append(d.Overdue, overdueRow{ID: o.ID, Region: string(o.Region), Step: step, DaysLate: o.DaysLate,
			Due: due.Add(-time.Nanosecond).In(p.Zone).Format("02-01-2006")})
	}
	p.Data = d
	a.pages.Render(w, r, http.StatusOK, "stats", p)
}
