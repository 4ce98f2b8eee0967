package httpapi

import (
	"encoding/csv"
	"net/http"
	"strings"
	"time"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/web"
)

// maxExportRows bounds one download of the complaint list.
const maxExportRows = 100_000

// complaintsDownload answers the complaint list, with the list's filters,
// as CSV for a spreadsheet: tracking number, date (in the region's zone),
// desa, category, channel, status and title. It holds nothing of the
// reporter, whatever the caller's role: a file leaves the node's
// safeguards behind.
func (a *api) complaintsDownload(w http.ResponseWriter, r *http.Request) {
	p := a.page(w, r, "ui.complaints")
	f := listFilter(r.URL.Query(), p.Zone)
	f.Cursor, f.Limit = "", 500
	labels := a.categoryLabels(p.Lang)
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="pengaduan-`+time.Now().In(p.Zone).Format("20060102")+`.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	out := csv.NewWriter(w)
	header := []string{}
	for _, k := range []string{"ui.tracking", "ui.created", "ui.where", "ui.category", "ui.channel", "ui.status", "ui.title"} {
		header = append(header, locale.Key(k).In(p.Lang))
	}
	_ = out.Write(header)
	for rows := 0; rows < maxExportRows; {
		page, err := a.st.ListComplaints(f)
		if err != nil {
			// The header is sent: the file ends here, and says so.
			_ = out.Write([]string{locale.Key("ui.export_failed").In(p.Lang, errorFor(err).Msg.In(p.Lang))})
			break
		}
		for _, c := range page.Complaints {
			ch, _ := locale.Lookup("ui.channel." + string(c.Channel))
			_ = out.Write([]string{c.ID, web.Stamp(c.CreatedAt, p.Zone), string(c.Region), labels[c.Category], ch.In(p.Lang),
				statusText(c.Status).In(p.Lang), cell(c.Title)})
			rows++
		}
		if page.Next == "" {
			break
		}
		f.Cursor = page.Next
	}
	out.Flush()
}

// cell keeps text a citizen typed from being read as a formula by the
// spreadsheet that opens the file (=, +, -, @ first): it starts with an
// apostrophe instead, which the spreadsheet does not show.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
