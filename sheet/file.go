package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// Formats are the file formats Write and Read know.
const (
	CSV  = "csv"
	XLSX = "xlsx"
)

// ErrFormat means a format other than CSV or XLSX, or a file that is not
// one; ErrTooLarge a file over MaxFileBytes.
var (
	ErrFormat   = errors.New("sheet: not a CSV or XLSX monograph table")
	ErrTooLarge = errors.New("sheet: file too large")
)

// MaxFileBytes bounds a file Read accepts. A monograph table of a
// kecamatan is tens of kilobytes.
const MaxFileBytes = 8 << 20

// sheetName is the worksheet Write makes.
const sheetName = "Monografi"

// Write writes grid in format. CSV is UTF-8 with a byte-order mark (so a
// spreadsheet shows km² and the like), comma-separated, numbers with a
// decimal point; XLSX has numbers as numbers and the header in bold.
func Write(w io.Writer, format string, grid [][]any) error {
	switch format {
	case CSV:
		return writeCSV(w, grid)
	case XLSX:
		return writeXLSX(w, grid)
	}
	return fmt.Errorf("%w: format %q", ErrFormat, format)
}

func writeCSV(w io.Writer, grid [][]any) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	for _, row := range grid {
		rec := make([]string, len(row))
		for j, c := range row {
			switch v := c.(type) {
			case string:
				rec[j] = v
			case float64:
				rec[j] = strconv.FormatFloat(v, 'f', -1, 64)
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func writeXLSX(w io.Writer, grid [][]any) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheetName); err != nil {
		return fmt.Errorf("sheet: %w", err)
	}
	for i, row := range grid {
		for j, c := range row {
			if c == nil {
				continue
			}
			name, err := excelize.CoordinatesToCellName(j+1, i+1)
			if err != nil {
				return fmt.Errorf("sheet: %w", err)
			}
			if err := f.SetCellValue(sheetName, name, c); err != nil {
				return fmt.Errorf("sheet: %w", err)
			}
		}
	}
	if err := styleXLSX(f, grid); err != nil {
		return err
	}
	_, err := f.WriteTo(w)
	return err
}

// styleXLSX sets widths, a bold title and header, bold group rows, and
// freezes the panes under the header.
func styleXLSX(f *excelize.File, grid [][]any) error {
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("sheet: %w", err)
	}
	title, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	if err != nil {
		return fmt.Errorf("sheet: %w", err)
	}
	widths := []float64{5, 32, 42, 12}
	for j, wd := range widths {
		col, _ := excelize.ColumnNumberToName(j + 1)
		_ = f.SetColWidth(sheetName, col, col, wd)
	}
	last := 0
	for _, r := range grid {
		last = max(last, len(r))
	}
	if last > len(widths) {
		from, _ := excelize.ColumnNumberToName(len(widths) + 1)
		to, _ := excelize.ColumnNumberToName(last)
		_ = f.SetColWidth(sheetName, from, to, 22)
	}
	lastCol, _ := excelize.ColumnNumberToName(max(last, 1))
	_ = f.SetCellStyle(sheetName, "A1", "A1", title)
	for i, r := range grid {
		if i == 3 || i == 4 || (len(r) == 3 && r[1] == nil && r[2] != nil) {
			_ = f.SetCellStyle(sheetName, "A"+strconv.Itoa(i+1), lastCol+strconv.Itoa(i+1), bold)
		}
	}
	return f.SetPanes(sheetName, &excelize.Panes{Freeze: true, XSplit: firstRegionCol, YSplit: 5,
		TopLeftCell: "E6", ActivePane: "bottomRight"})
}

// Read reads every row of the first worksheet (XLSX) or of the file (CSV)
// as text, numbers as their raw values. CSV may be separated by commas or,
// as Indonesian spreadsheets save it, by semicolons.
func Read(r io.Reader, format string) ([][]string, error) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(raw) > MaxFileBytes {
		return nil, fmt.Errorf("%w: over %d bytes", ErrTooLarge, MaxFileBytes)
	}
	switch format {
	case CSV:
		return readCSV(raw)
	case XLSX:
		return readXLSX(raw)
	}
	return nil, fmt.Errorf("%w: format %q", ErrFormat, format)
}

func readCSV(raw []byte) ([][]string, error) {
	raw = bytes.TrimPrefix(raw, []byte("\ufeff"))
	cr := csv.NewReader(bytes.NewReader(raw))
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	if bytes.Count(raw, []byte(";")) > bytes.Count(raw, []byte(",")) {
		cr.Comma = ';'
	}
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFormat, err)
	}
	return rows, nil
}

func readXLSX(raw []byte) ([][]string, error) {
	f, err := excelize.OpenReader(bytes.NewReader(raw), excelize.Options{
		RawCellValue: true, UnzipSizeLimit: 64 << 20, UnzipXMLSizeLimit: 32 << 20})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFormat, err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, fmt.Errorf("%w: no worksheet", ErrFormat)
	}
	rows, err := f.GetRows(sheets[0], excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFormat, err)
	}
	return rows, nil
}
