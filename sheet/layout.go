package sheet

import (
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/schema"
)

// Table is what Grid lays out: a region's figures for a period, a column
// per region below it (or the desa's own), and its total.
type Table struct {
	Region  schema.Code
	Name    string
	Period  monografi.Period
	Columns []Column
	// Total is the region's own column (its aggregate); nil for a desa.
	Total *Column
}

// Column is one region's figures. Status is shown under its header as
// given (the caller's words: "disetujui", "3 dari 4 desa").
type Column struct {
	Region  schema.Code
	Name    string
	Status  string
	Values  map[string]float64
	Derived map[string]float64
}

// The fixed columns, and the words that mark the layout.
const (
	colNo, colCode, colLabel, colUnit, firstRegionCol = 0, 1, 2, 3, 4

	headerCode  = "Kode"
	derivedMark = " *"
	footnote    = "* dihitung dari angka lain; tidak diisi, tidak diimpor."
)

var levelName = map[schema.Level]string{
	schema.LevelProvince: "PROVINSI", schema.LevelKabupaten: "KABUPATEN/KOTA",
	schema.LevelKecamatan: "KECAMATAN", schema.LevelDesa: "DESA/KELURAHAN",
}

// Grid lays t out with the labels of cat; a cell is nil (empty), a string
// or a float64.
func Grid(cat *monografi.Catalogue, t *Table) [][]any {
	cols := append([]Column(nil), t.Columns...)
	header := []any{"No", headerCode, "Uraian", "Satuan"}
	status := []any{nil, nil, "Status", nil}
	for _, c := range cols {
		header = append(header, columnTitle(c))
		status = append(status, c.Status)
	}
	if t.Total != nil {
		cols = append(cols, *t.Total)
		header = append(header, "Jumlah "+strings.ToLower(levelName[t.Region.Level()]))
		status = append(status, t.Total.Status)
	}
	title := strings.TrimSpace("MONOGRAFI " + levelName[t.Region.Level()] + " " + strings.ToUpper(t.Name))
	grid := [][]any{
		{title},
		{"Kode wilayah: " + string(t.Region) + "   Periode: " + string(t.Period)},
		{},
		header,
		status,
	}
	n := 0
	for gi, g := range cat.Groups {
		grid = append(grid, []any{groupLetter(gi), nil, strings.ToUpper(g.LabelID)})
		for _, ind := range cat.Indicators {
			if ind.Group != g.Code {
				continue
			}
			n++
			grid = append(grid, indicatorRow(n, ind, cols))
		}
	}
	return append(grid, []any{}, []any{footnote})
}

func columnTitle(c Column) string {
	if c.Name == "" {
		return string(c.Region)
	}
	return c.Name + " (" + string(c.Region) + ")"
}

func groupLetter(i int) string {
	if i < 26 {
		return string(rune('A' + i))
	}
	return strconv.Itoa(i + 1)
}

func indicatorRow(n int, ind monografi.Indicator, cols []Column) []any {
	label := ind.LabelID
	if ind.Agg == monografi.AggDerived {
		label += derivedMark
	}
	row := []any{float64(n), ind.Code, label, ind.Unit}
	for _, c := range cols {
		x, ok := c.Values[ind.Code]
		if ind.Agg == monografi.AggDerived {
			x, ok = c.Derived[ind.Code]
		}
		if ok {
			row = append(row, x)
		} else {
			row = append(row, nil)
		}
	}
	return row
}

// Error is a problem in one row of a sheet being read.
type Error struct {
	Row  int // 1-based, as a spreadsheet numbers it; 0: the sheet as a whole
	Code string
	Msg  schema.Msg
}

func (e *Error) Error() string { return e.In(locale.EN) }

// In returns the problem in lang, with its row.
func (e *Error) In(lang locale.Lang) string {
	if e.Row == 0 {
		return e.Msg.In(lang)
	}
	return msgRow.In(lang, e.Row, e.Code, e.Msg.In(lang))
}

// Errors lists every problem found in a sheet.
type Errors []*Error

func (es Errors) Error() string { return es.In(locale.EN) }

// In returns the problems in lang, one per line.
func (es Errors) In(lang locale.Lang) string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.In(lang)
	}
	return strings.Join(lines, "\n")
}

// MaxErrors bounds the problems Values reports.
const MaxErrors = 20

// Values reads the figures of desa from rows laid out as Grid lays them
// out: the header row is the one with a "Kode" cell, desa's column the one
// whose header holds its code (or the only region column). Rows without
// an indicator code, empty cells and derived indicators are skipped. It
// returns every problem found as Errors: no column for desa, a code cat
// does not know, a cell that is not a number, a code given twice.
func Values(cat *monografi.Catalogue, rows [][]string, desa schema.Code) (map[string]float64, error) {
	h, codeCol, col := findColumns(rows, desa)
	if h < 0 {
		return nil, Errors{{Msg: msgNoHeader.Text()}}
	}
	if col < 0 {
		return nil, Errors{{Row: h + 1, Code: string(desa), Msg: msgNoColumn.Text(desa)}}
	}
	values := map[string]float64{}
	var errs Errors
	for i := h + 1; i < len(rows) && len(errs) < MaxErrors; i++ {
		code, text := cell(rows[i], codeCol), cell(rows[i], col)
		if !monografi.ValidCode(code) || text == "" {
			continue
		}
		if e := readValue(cat, code, text, values); e != nil {
			e.Row = i + 1
			errs = append(errs, e)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if len(values) == 0 {
		return nil, Errors{{Msg: msgNoFigures.Text(desa)}}
	}
	return values, nil
}

func readValue(cat *monografi.Catalogue, code, text string, values map[string]float64) *Error {
	ind, ok := cat.Lookup(code)
	switch {
	case !ok:
		return &Error{Code: code, Msg: msgUnknownCode.Text()}
	case ind.Agg == monografi.AggDerived:
		return nil // computed, never imported
	}
	if _, dup := values[code]; dup {
		return &Error{Code: code, Msg: msgTwice.Text()}
	}
	x, ok := parseNumber(text, ind.Type == monografi.TypeInteger)
	if !ok {
		return &Error{Code: code, Msg: msgNotNumber.Text(clip(text))}
	}
	values[code] = x
	return nil
}

func findColumns(rows [][]string, desa schema.Code) (header, codeCol, col int) {
	for i, r := range rows {
		for j := range r {
			if cell(r, j) != headerCode {
				continue
			}
			return i, j, regionColumn(r, j, desa)
		}
	}
	return -1, -1, -1
}

func regionColumn(header []string, codeCol int, desa schema.Code) int {
	var regionCols []int
	for j := codeCol + 3; j < len(header); j++ {
		h := cell(header, j)
		if h == string(desa) || strings.HasSuffix(h, "("+string(desa)+")") {
			return j
		}
		if h != "" && !strings.HasPrefix(h, "Jumlah") {
			regionCols = append(regionCols, j)
		}
	}
	if len(regionCols) == 1 && !strings.Contains(cell(header, regionCols[0]), "(") {
		return regionCols[0] // one column titled by hand
	}
	return -1
}

func cell(r []string, j int) string {
	if j < 0 || j >= len(r) {
		return ""
	}
	return strings.TrimSpace(strings.TrimPrefix(r[j], "\ufeff"))
}

// idNumber is a number written the Indonesian way: dots between thousands
// and a decimal comma ("7.412", "1.250,5", "7,85").
var idNumber = regexp.MustCompile(`^-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$`)

// thousands is a whole number with dots between thousands ("7.412").
var thousands = regexp.MustCompile(`^-?\d{1,3}(\.\d{3})+$`)

// parseNumber reads a figure as a program writes it ("7412", "7.85") or
// as an Indonesian officer types it ("7.412", "1.250,5", "7,85"). A whole
// count (integer) with dots between thousands is read the Indonesian way;
// otherwise a lone dot is a decimal point, as every program writes it.
func parseNumber(s string, integer bool) (float64, bool) {
	s = strings.ReplaceAll(s, " ", "")
	if integer && thousands.MatchString(s) {
		s = strings.ReplaceAll(s, ".", "")
	}
	if x, err := strconv.ParseFloat(s, 64); err == nil {
		return x, !math.IsNaN(x) && !math.IsInf(x, 0) // "NaN", "Inf" and 1e999 are not figures
	}
	if !idNumber.MatchString(s) {
		return 0, false
	}
	x, err := strconv.ParseFloat(strings.ReplaceAll(strings.ReplaceAll(s, ".", ""), ",", "."), 64)
	return x, err == nil
}

func clip(s string) string {
	if r := []rune(s); len(r) > 30 {
		return string(r[:30]) + "…"
	}
	return s
}
