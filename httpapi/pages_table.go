package httpapi

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/lumbung/lumbung/catalogue"
	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/sheet"
	"github.com/lumbung/lumbung/web"
)

// The monograph table: a region's figures for a period, a column per
// region directly below it (the desa of a kecamatan, the kecamatan of a
// kabupaten) and the region's total of approved figures, with how many
// desa approved. Each column leads down: a kecamatan to its own table, a
// desa to its figures with who entered each one, from which laptop, and
// who approved and accepted them. The same table downloads as XLSX or CSV
// (package sheet, as `lumbung monografi export` writes it), and a
// kabupaten accepts a kecamatan's approved set from it.

type tableCol struct {
	Code, Name, Link, Status string
}

type tableRow struct {
	Label locale.Text
	Unit  string
	Group bool
	Cells []string
}

type tableData struct {
	Region, Name, Period, Complete, Up string
	Periods                            []option
	Cols                               []tableCol
	Rows                               []tableRow
	Span                               int // the columns of a group's row
	CanAccept                          bool
}

// tableTarget reads ?wilayah= (the node's region by default) and
// ?periode=; ok is false, and the request answered, for a region outside
// this node's.
func (a *api) tableTarget(w http.ResponseWriter, r *http.Request, pg *web.Page) (schema.Code, monografi.Period, bool) {
	region := a.cfg.Region
	if q := r.FormValue("wilayah"); q != "" {
		c, err := schema.ParseCode(q)
		if err != nil || !a.cfg.Region.Contains(c) {
			pg.Flash = locale.Key("ui.page_missing").In(pg.Lang)
			pg.Data = tableData{}
			a.pages.Render(w, r, http.StatusNotFound, "table", pg)
			return "", "", false
		}
		region = c
	}
	return region, periodOf(r.FormValue("periode"), time.Now()), true
}

func (a *api) tablePage(w http.ResponseWriter, r *http.Request) {
	pg := a.page(w, r, "ui.table")
	region, p, ok := a.tableTarget(w, r, pg)
	if !ok {
		return
	}
	a.renderTable(w, r, pg, region, p, http.StatusOK)
}

func (a *api) renderTable(w http.ResponseWriter, r *http.Request, pg *web.Page, region schema.Code, p monografi.Period, status int) {
	t, err := a.st.MonografiTable(region, p)
	var cat *catalogue.Effective
	if err == nil {
		cat, err = a.st.Catalogue(region)
	}
	if err != nil {
		e := errorFor(err)
		pg.Flash, pg.Data = e.Msg.In(pg.Lang), tableData{}
		a.pages.Render(w, r, e.Status, "table", pg)
		return
	}
	me := officerOf(r)
	d := tableData{Region: string(region), Name: t.Name, Period: string(p), Periods: periods(p),
		CanAccept: a.cfg.Tier == node.TierKabupaten && region.Level() == schema.LevelKecamatan &&
			me != nil && me.Role.May(officer.MonografiApprove)}
	if t.Total != nil {
		d.Complete = node.CompletenessText(t.Total.Completeness).In(pg.Lang)
	}
	if region != a.cfg.Region {
		d.Up = string(region.Parent())
	}
	cols := t.Columns
	for _, c := range cols {
		tc := tableCol{Code: string(c.Region), Name: c.Name}
		switch {
		case c.Completeness != nil:
			tc.Status = node.CompletenessText(*c.Completeness).In(pg.Lang)
			tc.Link = "/monografi/tabel?wilayah=" + string(c.Region) + "&periode=" + string(p)
		default:
			tc.Status = stateText(c.Status).In(pg.Lang)
			tc.Link = "/persetujuan/" + string(c.Region) + "?periode=" + string(p)
		}
		d.Cols = append(d.Cols, tc)
	}
	if t.Total != nil {
		d.Cols = append(d.Cols, tableCol{Code: string(region), Name: locale.Key("ui.total").In(pg.Lang)})
		cols = append(cols, node.TableColumn{Region: region, Values: t.Total.Values})
	}
	d.Span = len(d.Cols) + 1
	for _, g := range cat.Groups {
		group := tableRow{Label: locale.Text{ID: g.LabelID, EN: g.LabelEN}, Group: true}
		var rows []tableRow
		for _, ind := range cat.Indicators {
			if ind.Group != g.Code {
				continue
			}
			row := tableRow{Label: locale.Text{ID: ind.LabelID, EN: ind.LabelEN}, Unit: ind.Unit}
			filled := false
			for _, c := range cols {
				cell := ""
				if v, ok := c.Values[ind.Code]; ok {
					cell, filled = locale.Number(pg.Lang, v), true
				}
				row.Cells = append(row.Cells, cell)
			}
			if filled {
				rows = append(rows, row)
			}
		}
		if len(rows) > 0 {
			d.Rows = append(append(d.Rows, group), rows...)
		}
	}
	pg.Data = d
	a.pages.Render(w, r, status, "table", pg)
}

// tableDownload answers the table as a file: XLSX (numbers as numbers) or
// CSV, with Indonesian labels.
func (a *api) tableDownload(w http.ResponseWriter, r *http.Request) {
	pg := a.page(w, r, "ui.table")
	region, p, ok := a.tableTarget(w, r, pg)
	if !ok {
		return
	}
	format := r.FormValue("format")
	if format != sheet.CSV {
		format = sheet.XLSX
	}
	t, err := a.st.MonografiTable(region, p)
	var buf bytes.Buffer
	if err == nil {
		var cat *catalogue.Effective
		if cat, err = a.st.Catalogue(region); err == nil {
			err = sheet.Write(&buf, format, sheet.Grid(cat.Catalogue, t.Sheet()))
		}
	}
	if err != nil {
		e := errorFor(err)
		pg.Flash, pg.Data = e.Msg.In(pg.Lang), tableData{}
		a.pages.Render(w, r, e.Status, "table", pg)
		return
	}
	ctype := "text/csv; charset=utf-8"
	if format == sheet.XLSX {
		ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="monografi-%s-%s.%s"`,
		strings.ReplaceAll(string(region), ".", ""), p, format))
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
}

// acceptForm accepts a kecamatan's approved set at the kabupaten, as the
// API's accept step does, and shows the table again with what was
// accepted and what still waits.
func (a *api) acceptForm(w http.ResponseWriter, r *http.Request) {
	if !a.parseForm(w, r) {
		return
	}
	pg := a.page(w, r, "ui.table")
	region, p, ok := a.tableTarget(w, r, pg)
	if !ok {
		return
	}
	if region.Level() != schema.LevelKecamatan {
		pg.Flash = msgStepNotDesa.In(pg.Lang)
		a.renderTable(w, r, pg, region, p, http.StatusUnprocessableEntity)
		return
	}
	err := a.n.CheckRegion(region)
	var res *node.StepResult
	if err == nil {
		res, err = a.n.StepMonografi(r.Context(), region, p, node.StepAccept, node.StepInput{Officer: actor(r)})
	}
	status := http.StatusOK
	if err != nil {
		e := errorFor(err)
		status, pg.Flash = e.Status, e.Msg.In(pg.Lang)
	} else {
		pg.Flash = locale.Key("ui.accepted").In(pg.Lang, len(res.Accept.Accepted), len(res.Accept.Waiting))
	}
	a.renderTable(w, r, pg, region, p, status)
}
