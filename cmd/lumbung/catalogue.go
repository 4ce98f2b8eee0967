package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/lumbung/lumbung/catalogue"
	"github.com/lumbung/lumbung/httpapi"
	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/schema"
	"github.com/urfave/cli/v2"
)

// catalogueCommand: lumbung catalogue show|add-category|add-indicator|add.
// An extension is written at a kecamatan or kabupaten node and reaches
// every node below it by sync.
func catalogueCommand() *cli.Command {
	labels := func(more ...cli.Flag) []cli.Flag {
		return append([]cli.Flag{nodeFlag(), outputFlag(),
			&cli.StringFlag{Name: "officer", Usage: "flag.officer"},
			&cli.StringFlag{Name: "code", Usage: "flag.catalogue_code"},
			&cli.StringFlag{Name: "label", Usage: "flag.label_id"},
			&cli.StringFlag{Name: "label-en", Usage: "flag.label_en"},
		}, more...)
	}
	return &cli.Command{
		Name:  "catalogue",
		Usage: "cmd.catalogue",
		Subcommands: []*cli.Command{
			{Name: "show", Usage: "cmd.catalogue_show", Action: catalogueShow, Flags: []cli.Flag{
				nodeFlag(), outputFlag(), &cli.StringFlag{Name: "region", Usage: "flag.catalogue_region"},
			}},
			{Name: "add-category", Usage: "cmd.catalogue_add_category", Action: addCategory, Flags: labels()},
			{Name: "add-indicator", Usage: "cmd.catalogue_add_indicator", Action: addIndicator, Flags: labels(
				&cli.StringFlag{Name: "unit", Usage: "flag.ind_unit"},
				&cli.StringFlag{Name: "type", Value: "integer", Usage: "flag.ind_type"},
				&cli.StringFlag{Name: "agg", Value: "sum", Usage: "flag.ind_agg"},
				&cli.StringFlag{Name: "group-label", Usage: "flag.group_label"},
				&cli.StringFlag{Name: "group-label-en", Usage: "flag.group_label_en"},
			)},
			{Name: "add", Usage: "cmd.catalogue_add", Action: addExtension, Flags: []cli.Flag{
				nodeFlag(), outputFlag(), &cli.StringFlag{Name: "officer", Usage: "flag.officer"},
				&cli.StringFlag{Name: "file", Usage: "flag.catalogue_file"},
			}},
		},
	}
}

func addCategory(c *cli.Context) error {
	if err := need(c, "code", "label", "label-en"); err != nil {
		return err
	}
	return postExtension(c, catalogue.Body{Categories: []catalogue.Category{{
		Code: schema.Category(c.String("code")), LabelID: c.String("label"), LabelEN: c.String("label-en")}}})
}

func addIndicator(c *cli.Context) error {
	if err := need(c, "code", "label", "label-en", "unit"); err != nil {
		return err
	}
	ind := monografi.Indicator{Code: c.String("code"), LabelID: c.String("label"), LabelEN: c.String("label-en"),
		Unit: c.String("unit"), Type: monografi.Type(c.String("type")), Agg: monografi.Agg(c.String("agg"))}
	b := catalogue.Body{Indicators: []monografi.Indicator{ind}}
	if c.String("group-label") != "" || c.String("group-label-en") != "" {
		group, _, _ := strings.Cut(ind.Code, ".")
		b.Groups = []monografi.Group{{Code: group, LabelID: c.String("group-label"), LabelEN: c.String("group-label-en")}}
	}
	return postExtension(c, b)
}

func addExtension(c *cli.Context) error {
	if err := need(c, "file"); err != nil {
		return err
	}
	raw, err := os.ReadFile(c.String("file"))
	if err != nil {
		return fmt.Errorf("%s: %w", c.String("file"), err)
	}
	var b catalogue.Body
	if err := json.Unmarshal(raw, &b); err != nil {
		return fmt.Errorf("%s: %s: %w", c.String("file"), tr(langOf(c), "catalogue.bad_file"), err)
	}
	return postExtension(c, b)
}

func postExtension(c *cli.Context, b catalogue.Body) error {
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	x, err := cl.ExtendCatalogue(c.Context, &httpapi.CatalogueInput{Officer: c.String("officer"), Body: b})
	if err != nil {
		return err
	}
	if ok, err := cl.printedJSON(c); ok {
		return err
	}
	say(c, "catalogue.extended", x.Region, x.Revision, len(x.Indicators), len(x.Categories))
	return nil
}

// catalogueShow prints what is in effect: the extensions applied, the
// complaint categories, and the indicators an extension added.
func catalogueShow(c *cli.Context) error {
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	cat, err := cl.Catalogue(c.Context, schema.Code(c.String("region")))
	if err != nil {
		return err
	}
	if ok, err := cl.printedJSON(c); ok {
		return err
	}
	say(c, "catalogue.version", cat.Version)
	if len(cat.Extensions) == 0 {
		say(c, "catalogue.no_extensions")
	}
	for _, x := range cat.Extensions {
		say(c, "catalogue.extension", x.Region, x.Revision, x.UpdatedAt)
	}
	tw := tabwriter.NewWriter(c.App.Writer, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, tr(cl.lang, "catalogue.categories"))
	for _, k := range cat.Categories {
		fmt.Fprintf(tw, "  %s\t%s\n", k.Code, label(cl.lang, k.LabelID, k.LabelEN))
	}
	builtin := monografi.Builtin()
	header := false
	for _, ind := range cat.Indicators {
		if _, ok := builtin.Lookup(ind.Code); ok {
			continue
		}
		if !header {
			fmt.Fprintln(tw, tr(cl.lang, "catalogue.added_indicators"))
			header = true
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", ind.Code, label(cl.lang, ind.LabelID, ind.LabelEN), ind.Unit, ind.Agg)
	}
	return tw.Flush()
}

// label picks the label of a catalogue entry in lang.
func label(lang locale.Lang, id, en string) string { return locale.Text{ID: id, EN: en}.In(lang) }

func init() {
	locale.DefineAll(map[string][2]string{
		"cmd.catalogue":               {"katalog: kategori pengaduan dan indikator monografi yang berlaku, dan perluasannya", "catalogue: the complaint categories and monografi indicators in effect, and extending them"},
		"cmd.catalogue_show":          {"menampilkan katalog yang berlaku di wilayah ini", "show the catalogue in effect at a region"},
		"cmd.catalogue_add_category":  {"menambah kategori pengaduan untuk semua desa di wilayah node ini", "add a complaint category for every desa in the node's region"},
		"cmd.catalogue_add_indicator": {"menambah indikator monografi untuk semua desa di wilayah node ini", "add a monografi indicator for every desa in the node's region"},
		"cmd.catalogue_add":           {"menambah kelompok, indikator dan kategori dari file JSON", "add groups, indicators and categories from a JSON file"},
		"flag.catalogue_region":       {"kode wilayah (kosong: wilayah node)", "region code (empty: the node's region)"},
		"flag.catalogue_code":         {"kode, misalnya bencana_alam atau ekonomi.bumdes_omzet", "code, such as bencana_alam or ekonomi.bumdes_omzet"},
		"flag.label_id":               {"label dalam bahasa Indonesia", "label in Indonesian"},
		"flag.label_en":               {"label dalam bahasa Inggris", "label in English"},
		"flag.ind_unit":               {"satuan, misalnya jiwa, unit atau juta rupiah", "unit, such as jiwa, unit or juta rupiah"},
		"flag.ind_type":               {"jenis angka: integer, decimal atau percent", "kind of number: integer, decimal or percent"},
		"flag.ind_agg":                {"aturan agregasi ke atas: sum, max, min, last atau none", "how it combines upward: sum, max, min, last or none"},
		"flag.group_label":            {"label kelompok baru (bila kelompoknya belum ada)", "label of a new group (when the group does not exist yet)"},
		"flag.group_label_en":         {"label kelompok baru dalam bahasa Inggris", "English label of a new group"},
		"flag.catalogue_file":         {"file JSON berisi groups, indicators dan categories", "JSON file holding groups, indicators and categories"},
		"catalogue.bad_file":          {"bukan JSON perluasan katalog", "not a catalogue extension in JSON"},
		"catalogue.extended":          {"Katalog wilayah %s diperluas (revisi %d: %d indikator, %d kategori tambahan); menyebar ke semua node di bawahnya saat sinkronisasi.", "Catalogue of %s extended (revision %d: %d added indicators, %d added categories); it reaches every node below on sync."},
		"catalogue.version":           {"Katalog monografi bawaan versi %d", "Built-in monografi catalogue version %d"},
		"catalogue.no_extensions":     {"Belum ada perluasan dari wilayah di atas.", "No extension from the regions above yet."},
		"catalogue.extension":         {"Perluasan dari %s, revisi %d (%s)", "Extension from %s, revision %d (%s)"},
		"catalogue.categories":        {"Kategori pengaduan:", "Complaint categories:"},
		"catalogue.added_indicators":  {"Indikator tambahan:", "Added indicators:"},
	})
}
