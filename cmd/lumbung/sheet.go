package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/sheet"
	"github.com/urfave/cli/v2"
)

// sheetCommands: lumbung monografi export|import, the kecamatan monograph
// table as CSV or XLSX with Indonesian labels.
func sheetCommands(common func(...cli.Flag) []cli.Flag) []*cli.Command {
	format := &cli.StringFlag{Name: "format", Usage: "flag.sheet_format"}
	return []*cli.Command{
		{Name: "export", Usage: "cmd.monografi_export", Action: monografiExport, Flags: common(format,
			&cli.StringFlag{Name: "out", Usage: "flag.sheet_out"})},
		{Name: "import", Usage: "cmd.monografi_import", Action: monografiImport, Flags: common(format,
			&cli.StringFlag{Name: "file", Usage: "flag.sheet_file"},
			&cli.StringFlag{Name: "officer", Usage: "flag.officer"})},
	}
}

// sheetFormat is --format, or the file's extension.
func sheetFormat(c *cli.Context, file string) (string, error) {
	f := strings.ToLower(c.String("format"))
	if f == "" {
		f = strings.TrimPrefix(strings.ToLower(filepath.Ext(file)), ".")
	}
	if f != sheet.CSV && f != sheet.XLSX {
		return "", errors.New(tr(langOf(c), "sheet.format", f))
	}
	return f, nil
}

func monografiExport(c *cli.Context) error {
	out := c.String("out")
	format, err := sheetFormat(c, out)
	if err != nil {
		return err
	}
	cl, region, p, err := monografiClient(c)
	if err != nil {
		return err
	}
	t, err := cl.MonografiTable(c.Context, region, p)
	if err != nil {
		return err
	}
	cat, err := cl.Catalogue(c.Context, t.Region)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := sheet.Write(&buf, format, sheet.Grid(cat.Catalogue, t.Sheet())); err != nil {
		return err
	}
	if out == "" || out == "-" {
		_, err = c.App.Writer.Write(buf.Bytes())
		return err
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	say(c, "sheet.exported", out, len(t.Columns), t.Region, t.Period)
	return nil
}

// monografiImport reads one desa's column of a monograph table and enters
// its figures as one write; the node checks them as it checks any entry.
func monografiImport(c *cli.Context) error {
	if err := need(c, "file"); err != nil {
		return err
	}
	format, err := sheetFormat(c, c.String("file"))
	if err != nil {
		return err
	}
	f, err := os.Open(c.String("file"))
	if err != nil {
		return err
	}
	defer f.Close()
	rows, err := sheet.Read(f, format)
	if err != nil {
		return fmt.Errorf("%s: %s", c.String("file"), tr(langOf(c), "sheet.unreadable", format))
	}
	cl, region, p, err := monografiClient(c)
	if err != nil {
		return err
	}
	if region.Level() != schema.LevelDesa {
		return errors.New(tr(cl.lang, "sheet.not_desa", region))
	}
	cat, err := cl.Catalogue(c.Context, region)
	if err != nil {
		return err
	}
	values, err := sheet.Values(cat.Catalogue, rows, region)
	var errs sheet.Errors
	if errors.As(err, &errs) {
		return fmt.Errorf("%s:\n%s", c.String("file"), errs.In(cl.lang))
	}
	if err != nil {
		return err
	}
	doc, err := cl.SetMonografi(c.Context, region, p, c.String("officer"), values)
	if err != nil {
		return err
	}
	say(c, "sheet.imported", len(values), region, doc.Period, monografiStatus(cl.lang, doc.Status))
	return nil
}

func init() {
	locale.DefineAll(map[string][2]string{
		"cmd.monografi_export": {"menulis tabel monografi (CSV atau XLSX, label bahasa Indonesia): satu kolom per desa dan jumlahnya", "write the monograph table (CSV or XLSX, Indonesian labels): a column per desa and the total"},
		"cmd.monografi_import": {"mengisi angka satu desa dari tabel monografi (CSV atau XLSX) dengan tata letak yang sama", "enter one desa's figures from a monograph table (CSV or XLSX) of the same layout"},
		"flag.sheet_format":    {"format file: csv atau xlsx (kosong: dari nama file)", "file format: csv or xlsx (empty: from the file name)"},
		"flag.sheet_out":       {"file tujuan (kosong atau '-': keluaran standar)", "file to write (empty or '-': standard output)"},
		"flag.sheet_file":      {"file tabel monografi yang dibaca", "monograph table file to read"},
		"sheet.format":         {"format %q tidak dikenal; pakai --format csv atau --format xlsx", "unknown format %q; use --format csv or --format xlsx"},
		"sheet.exported":       {"Tabel monografi ditulis ke %s: %d kolom wilayah, %s, periode %s.", "Monograph table written to %s: %d region columns, %s, period %s."},
		"sheet.unreadable":     {"tidak dapat dibaca sebagai tabel %s", "cannot be read as a %s table"},
		"sheet.not_desa":       {"impor mengisi angka satu desa/kelurahan; %s bukan kode desa (pakai --region)", "import enters one desa/kelurahan's figures; %s is not a desa code (use --region)"},
		"sheet.imported":       {"%d angka desa %s periode %s disimpan; status: %s.", "%d figures of desa %s for %s stored; status: %s."},
	})
}
