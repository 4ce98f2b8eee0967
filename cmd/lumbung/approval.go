package main

import (
	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/schema"
	"github.com/urfave/cli/v2"
)

// stepCommand is one approval step: lumbung monografi approve|return|
// unapprove|accept|unaccept --region DESA --period P [--note …].
func stepCommand(step string, common func(...cli.Flag) []cli.Flag) *cli.Command {
	return &cli.Command{Name: step, Usage: "cmd.monografi_" + step, Flags: common(
		&cli.StringFlag{Name: "officer", Usage: "flag.officer"},
		&cli.StringFlag{Name: "note", Usage: "flag.step_note"},
		&cli.StringFlag{Name: "basis", Usage: "flag.basis"},
	), Action: func(c *cli.Context) error { return monografiStep(c, step) }}
}

func monografiStep(c *cli.Context, step string) error {
	if err := need(c, "region"); err != nil {
		return err
	}
	cl, region, p, err := monografiClient(c)
	if err != nil {
		return err
	}
	in := &node.StepInput{Officer: c.String("officer"), Note: c.String("note"), Basis: c.String("basis")}
	if step == node.StepAccept && region.Level() == schema.LevelKecamatan {
		res, err := cl.AcceptKecamatan(c.Context, region, p, in)
		if err != nil {
			return err
		}
		if ok, err := cl.printedJSON(c); ok {
			return err
		}
		say(c, "monografi.accepted_set", len(res.Accepted), res.Kecamatan, res.Period, len(res.Waiting))
		return nil
	}
	doc, err := cl.Step(c.Context, region, p, step, in)
	if err != nil {
		return err
	}
	if ok, err := cl.printedJSON(c); ok {
		return err
	}
	say(c, "monografi.stepped", doc.Region, doc.Period, monografiStatus(cl.lang, doc.Status))
	return nil
}

// showAggregate prints the monografi of a region above the desa: how
// complete it is, then every combined figure with how many desa gave it.
func showAggregate(c *cli.Context, cl *apiClient, region schema.Code, p monografi.Period) error {
	agg, err := cl.Aggregate(c.Context, region, p)
	if err != nil {
		return err
	}
	if ok, err := cl.printedJSON(c); ok {
		return err
	}
	eff, err := cl.Catalogue(c.Context, "")
	if err != nil {
		return err
	}
	cat := eff.Catalogue
	lang := cl.lang
	cp := agg.Completeness
	if cp.Expected == 0 {
		say(c, "monografi.aggregate_header_unlisted", agg.Region, agg.Period, cp.Reported, cp.Accepted)
	} else {
		say(c, "monografi.aggregate_header", agg.Region, agg.Period, cp.Reported, cp.Expected, cp.Accepted)
	}
	var rows [][4]string
	for _, ind := range orderedIndicators(cat) {
		x, ok := agg.Values[ind.Code]
		if ind.Agg == monografi.AggDerived {
			x, ok = agg.Derived[ind.Code]
		}
		if !ok {
			continue
		}
		name := label(lang, ind.LabelID, ind.LabelEN)
		if ind.Agg == monografi.AggDerived {
			name += " *"
		}
		rows = append(rows, [4]string{name, locale.Number(lang, x), ind.Unit, tr(lang, "monografi.from_desa", agg.Reported[ind.Code])})
	}
	if len(rows) == 0 {
		say(c, "monografi.aggregate_empty")
		return nil
	}
	printRows(c, tr(lang, "monografi.aggregate_columns"), rows)
	say(c, "monografi.aggregate_footer")
	return nil
}

func init() {
	locale.DefineAll(map[string][2]string{
		"cmd.monografi_approve":   {"menyetujui monografi desa yang diajukan (node kecamatan)", "approve a desa's submitted monografi (kecamatan node)"},
		"cmd.monografi_return":    {"mengembalikan monografi ke desa dengan catatan (node kecamatan)", "return a desa's monografi with a note (kecamatan node)"},
		"cmd.monografi_unapprove": {"membatalkan persetujuan agar desa dapat mengoreksi (node kecamatan)", "un-approve so the desa can correct (kecamatan node)"},
		"cmd.monografi_accept":    {"menerima monografi yang disetujui; --region kecamatan menerima semua desanya (node kabupaten)", "accept approved monografi; --region of a kecamatan accepts all its desa (kabupaten node)"},
		"cmd.monografi_unaccept":  {"membatalkan penerimaan (node kabupaten)", "un-accept (kabupaten node)"},
		"flag.step_note":          {"catatan untuk desa (wajib untuk return, unapprove, unaccept)", "note for the desa (required to return, unapprove, unaccept)"},
		"flag.basis":              {"basis angka yang Anda periksa (dari monografi show --output json); ditolak bila angka sudah berubah", "basis of the figures you checked (from monografi show --output json); refused if they changed"},
		"monografi.note":          {"Catatan kecamatan: %s", "Note from the kecamatan: %s"},
		"monografi.stepped":       {"Monografi %s periode %s sekarang: %s.", "Monografi of %s for %s is now: %s."},
		"monografi.accepted_set":  {"%d desa diterima untuk kecamatan %s periode %s; %d desa belum disetujui.", "%d desa accepted for kecamatan %s, %s; %d desa not approved yet."},
		"monografi.aggregate_header": {"Monografi %s periode %s: %d dari %d desa melapor (disetujui), %d diterima kabupaten",
			"Monografi of %s for %s: %d of %d desa reported (approved), %d accepted by the kabupaten"},
		"monografi.aggregate_header_unlisted": {"Monografi %s periode %s: %d desa melapor (disetujui), %d diterima kabupaten; daftar wilayah belum dimuat, jadi jumlah desa yang diharapkan tidak diketahui (lumbung regions import)",
			"Monografi of %s for %s: %d desa reported (approved), %d accepted by the kabupaten; no region list is imported, so the expected number of desa is unknown (lumbung regions import)"},
		"monografi.aggregate_columns": {"INDIKATOR\tNILAI\tSATUAN\tDARI", "INDICATOR\tVALUE\tUNIT\tFROM"},
		"monografi.from_desa":         {"%d desa", "%d desa"},
		"monografi.aggregate_footer":  {"* dihitung dari jumlah dasar desa yang melaporkan semua unsurnya, tidak dirata-rata", "* computed from the summed bases of the desa that reported all its parts, never averaged"},
		"monografi.aggregate_empty":   {"Belum ada desa yang monografinya disetujui untuk periode ini.", "No desa has approved figures for this period yet."},
	})
}
