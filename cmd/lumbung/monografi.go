package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/schema"
	"github.com/urfave/cli/v2"
)

func monografiCommand() *cli.Command {
	common := func(more ...cli.Flag) []cli.Flag {
		return append([]cli.Flag{nodeFlag(), outputFlag(),
			&cli.StringFlag{Name: "region", Usage: "flag.monografi_region"},
			&cli.StringFlag{Name: "period", Aliases: []string{"p"}, Usage: "flag.period"},
		}, more...)
	}
	return &cli.Command{
		Name:  "monografi",
		Usage: "cmd.monografi",
		Subcommands: append(sheetCommands(common), []*cli.Command{
			{Name: "set", Usage: "cmd.monografi_set", Action: monografiSet, Flags: common(
				&cli.StringSliceFlag{Name: "value", Aliases: []string{"v"}, Usage: "flag.value"},
				&cli.StringFlag{Name: "json", Usage: "flag.monografi_json"},
				&cli.StringFlag{Name: "officer", Usage: "flag.officer"},
			)},
			{Name: "show", Usage: "cmd.monografi_show", Action: monografiShow, Flags: common(
				&cli.BoolFlag{Name: "all", Usage: "flag.all"},
			)},
			{Name: "submit", Usage: "cmd.monografi_submit", Action: monografiSubmit, Flags: common(
				&cli.StringFlag{Name: "officer", Usage: "flag.officer"},
			)},
			stepCommand(node.StepApprove, common), stepCommand(node.StepReturn, common),
			stepCommand(node.StepUnapprove, common), stepCommand(node.StepAccept, common),
			stepCommand(node.StepUnaccept, common),
		}...),
	}
}

// monografiClient connects to --node and names the document the flags
// name (monografiDoc).
func monografiClient(c *cli.Context) (*apiClient, schema.Code, monografi.Period, error) {
	cl, err := newClient(c)
	if err != nil {
		return nil, "", "", err
	}
	region, p, err := monografiDoc(c, cl)
	return cl, region, p, err
}

// monografiDoc checks --period and returns the region and period of the
// document; the region defaults to the node's own.
func monografiDoc(c *cli.Context, cl *apiClient) (schema.Code, monografi.Period, error) {
	if err := need(c, "period"); err != nil {
		return "", "", err
	}
	p, err := monografi.ParsePeriod(c.String("period"))
	if err != nil {
		return "", "", errors.New(tr(cl.lang, "err.period", c.String("period")))
	}
	region := schema.Code(c.String("region"))
	if region == "" {
		info, err := cl.Node(c.Context)
		if err != nil {
			return "", "", err
		}
		region = schema.Code(info.Region)
	}
	return region, p, nil
}

func monografiSet(c *cli.Context) error {
	values, err := monografiValues(c)
	if err != nil {
		return err
	}
	cl, region, p, err := monografiClient(c)
	if err != nil {
		return err
	}
	doc, err := cl.SetMonografi(c.Context, region, p, c.String("officer"), values)
	if err != nil {
		return err
	}
	if ok, err := cl.printedJSON(c); ok {
		return err
	}
	say(c, "monografi.saved", len(values))
	return printMonografi(c, cl, doc, false)
}

// monografiValues reads --json {"values": {...}} and then --value
// code=number, later ones winning.
func monografiValues(c *cli.Context) (map[string]float64, error) {
	lang := langOf(c)
	values := map[string]float64{}
	if name := c.String("json"); name != "" {
		b, err := readInput(c, name)
		if err != nil {
			return nil, err
		}
		var in struct {
			Values map[string]float64 `json:"values"`
		}
		if err := json.Unmarshal(b, &in); err != nil {
			return nil, fmt.Errorf("%s: %w", tr(lang, "err.json", name), err)
		}
		for k, v := range in.Values {
			values[k] = v
		}
	}
	for _, kv := range c.StringSlice("value") {
		code, num, ok := strings.Cut(kv, "=")
		x, err := parseNumber(num)
		if !ok || strings.TrimSpace(code) == "" || err != nil {
			return nil, errors.New(tr(lang, "err.value", kv))
		}
		values[strings.TrimSpace(code)] = x
	}
	if len(values) == 0 {
		return nil, errors.New(tr(lang, "err.no_values"))
	}
	return values, nil
}

// parseNumber reads 1234, 12.5 or the Indonesian 12,5.
func parseNumber(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	return strconv.ParseFloat(s, 64)
}

func monografiShow(c *cli.Context) error {
	cl, region, p, err := monografiClient(c)
	if err != nil {
		return err
	}
	if region.Level() != schema.LevelDesa {
		return showAggregate(c, cl, region, p)
	}
	doc, err := cl.Monografi(c.Context, region, p)
	if err != nil {
		return err
	}
	if ok, err := cl.printedJSON(c); ok {
		return err
	}
	return printMonografi(c, cl, doc, c.Bool("all"))
}

func monografiSubmit(c *cli.Context) error {
	cl, region, p, err := monografiClient(c)
	if err != nil {
		return err
	}
	doc, err := cl.SubmitMonografi(c.Context, region, p, c.String("officer"))
	if err != nil {
		return err
	}
	if ok, err := cl.printedJSON(c); ok {
		return err
	}
	say(c, "monografi.submitted", doc.Region, doc.Period, monografiStatus(cl.lang, doc.Status))
	return nil
}

// printMonografi prints a document as a table with the catalogue's labels
// and units: the entered values (every indicator with all), then the
// derived ones, marked *.
func printMonografi(c *cli.Context, cl *apiClient, doc *node.MonografiView, all bool) error {
	eff, err := cl.Catalogue(c.Context, "")
	if err != nil {
		return err
	}
	cat := eff.Catalogue
	lang := cl.lang
	say(c, "monografi.header", doc.Region, doc.Period, monografiStatus(lang, doc.Status), localTime(doc.UpdatedAt))
	if doc.Note != "" {
		say(c, "monografi.note", doc.Note)
	}
	var rows [][4]string
	derived := false
	for _, ind := range orderedIndicators(cat) {
		x, ok := doc.Values[ind.Code]
		if ind.Agg == monografi.AggDerived {
			x, ok = doc.Derived[ind.Code]
		}
		if !ok && !all {
			continue
		}
		name, value := label(lang, ind.LabelID, ind.LabelEN), "-"
		if ind.Agg == monografi.AggDerived {
			name, derived = name+" *", true
		}
		if ok {
			value = locale.Number(lang, x)
		}
		rows = append(rows, [4]string{name, value, ind.Unit, ind.Code})
	}
	for _, code := range unknownCodes(cat, doc.Values) {
		rows = append(rows, [4]string{code, locale.Number(lang, doc.Values[code]), "", code})
	}
	if len(rows) == 0 {
		say(c, "monografi.empty")
		return nil
	}
	printRows(c, tr(lang, "monografi.columns"), rows)
	if derived {
		say(c, "monografi.footer")
	}
	return nil
}

// printRows prints a table whose second column, a number, is aligned right.
func printRows(c *cli.Context, header string, rows [][4]string) {
	width := 0
	for _, r := range rows {
		width = max(width, utf8.RuneCountInString(r[1]))
	}
	tw := tabwriter.NewWriter(c.App.Writer, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, header)
	for _, r := range rows {
		pad := strings.Repeat(" ", width-utf8.RuneCountInString(r[1]))
		fmt.Fprintf(tw, "%s\t%s%s\t%s\t%s\n", r[0], pad, r[1], r[2], r[3])
	}
	_ = tw.Flush()
}

// orderedIndicators lists the entered indicators in the catalogue's
// group order, then the derived ones.
func orderedIndicators(cat *monografi.Catalogue) []monografi.Indicator {
	rank := map[string]int{}
	for i, g := range cat.Groups {
		rank[g.Code] = i
	}
	out := append([]monografi.Indicator(nil), cat.Indicators...)
	sort.SliceStable(out, func(i, j int) bool {
		di, dj := out[i].Agg == monografi.AggDerived, out[j].Agg == monografi.AggDerived
		if di != dj {
			return dj
		}
		return rank[out[i].Group] < rank[out[j].Group]
	})
	return out
}

func unknownCodes(cat *monografi.Catalogue, values map[string]float64) []string {
	var out []string
	for code := range values {
		if _, ok := cat.Lookup(code); !ok {
			out = append(out, code)
		}
	}
	sort.Strings(out)
	return out
}

func monografiStatus(lang locale.Lang, s monografi.Status) string {
	if l := tr(lang, "mstatus."+string(s)); l != "mstatus."+string(s) {
		return l
	}
	return string(s)
}
