package main

import (
	"fmt"
	"net/url"
	"sort"
	"text/tabwriter"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/stats"
	"github.com/urfave/cli/v2"
)

func statsCommand() *cli.Command {
	return &cli.Command{
		Name:  "stats",
		Usage: "cmd.stats",
		Subcommands: []*cli.Command{
			{Name: "complaints", Usage: "cmd.stats_complaints", Action: statsComplaints, Flags: []cli.Flag{
				nodeFlag(), outputFlag(),
				&cli.StringFlag{Name: "region", Usage: "flag.stats_region"},
				&cli.StringFlag{Name: "from", Usage: "flag.from"},
				&cli.StringFlag{Name: "to", Usage: "flag.to"},
				&cli.IntFlag{Name: "limit", Value: 20, Usage: "flag.overdue_limit"},
			}},
			{Name: "monografi", Usage: "cmd.stats_monografi", Action: monografiShow, Flags: []cli.Flag{
				nodeFlag(), outputFlag(),
				&cli.StringFlag{Name: "region", Usage: "flag.monografi_region"},
				&cli.StringFlag{Name: "period", Aliases: []string{"p"}, Usage: "flag.period"},
				&cli.BoolFlag{Name: "all", Usage: "flag.all"},
			}},
		},
	}
}

func statsComplaints(c *cli.Context) error {
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	q := url.Values{}
	for _, name := range []string{"region", "from", "to"} {
		if v := c.String(name); v != "" {
			q.Set(name, v)
		}
	}
	rep, err := cl.ComplaintStats(c.Context, q)
	if err != nil {
		return err
	}
	if ok, err := cl.printedJSON(c); ok {
		return err
	}
	lang := cl.lang
	say(c, "stats.header", rep.Region, orDash(rep.From), orDash(rep.To), rep.Total)
	tw := tabwriter.NewWriter(c.App.Writer, 0, 4, 2, ' ', 0)
	for _, group := range []struct {
		key    string
		counts map[string]int
	}{{"stats.by_status", toCounts(rep.ByStatus)}, {"stats.by_category", toCounts(rep.ByCategory)},
		{"stats.by_channel", toCounts(rep.ByChannel)}} {
		fmt.Fprintln(tw, tr(lang, group.key))
		for _, k := range sortedCounts(group.counts) {
			fmt.Fprintf(tw, "  %s\t%d\n", k, group.counts[k])
		}
	}
	fmt.Fprintln(tw, tr(lang, "stats.compliance"))
	for _, step := range []string{stats.StepForward, stats.StepFollowUp, stats.StepClose} {
		cp := rep.Compliance[step]
		rate := "-"
		if cp.Rate >= 0 {
			rate = fmt.Sprintf("%.0f%%", cp.Rate*100)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", tr(lang, "stats.step_"+step), rate,
			tr(lang, "stats.step_counts", cp.OnTime, cp.Late, cp.Overdue, cp.Pending))
	}
	_ = tw.Flush()
	if len(rep.Overdue) == 0 {
		say(c, "stats.no_overdue")
		return nil
	}
	say(c, "stats.overdue", len(rep.Overdue))
	tw = tabwriter.NewWriter(c.App.Writer, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, tr(lang, "stats.overdue_columns"))
	for i, o := range rep.Overdue {
		if i == c.Int("limit") {
			break
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\n", o.ID, o.Region, tr(lang, "stats.step_"+o.Step), o.Status, localTime(o.Due), o.DaysLate)
	}
	return tw.Flush()
}

func toCounts[K ~string](m map[K]int) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[string(k)] = v
	}
	return out
}

// sortedCounts orders keys by count, largest first, then by name.
func sortedCounts(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	return keys
}

func init() {
	locale.DefineAll(map[string][2]string{
		"cmd.stats":            {"statistik pengaduan dan monografi wilayah (klien API node)", "complaint and monografi statistics of a region (a client of a node's API)"},
		"cmd.stats_complaints": {"jumlah pengaduan dan kepatuhan batas waktu SP4N-LAPOR!", "complaint counts and SP4N-LAPOR! time-limit compliance"},
		"cmd.stats_monografi":  {"monografi gabungan wilayah di atas desa, dengan kelengkapan", "aggregated monografi of a region above the desa, with completeness"},
		"flag.stats_region":    {"kode wilayah (bawaan: wilayah node)", "region code (default: the node's region)"},
		"flag.from":            {"tanggal terima pertama, TTTT-BB-HH", "first day received, YYYY-MM-DD"},
		"flag.to":              {"tanggal terima terakhir, TTTT-BB-HH", "last day received, YYYY-MM-DD"},
		"flag.overdue_limit":   {"paling banyak baris daftar terlambat", "at most this many overdue rows"},
		"stats.header":         {"Pengaduan %s, diterima %s s.d. %s: %d", "Complaints of %s received %s to %s: %d"},
		"stats.by_status":      {"Menurut status:", "By status:"},
		"stats.by_category":    {"Menurut kategori:", "By category:"},
		"stats.by_channel":     {"Menurut saluran:", "By channel:"},
		"stats.compliance":     {"Kepatuhan batas waktu (hari kerja):", "Time-limit compliance (working days):"},
		"stats.step_forward":   {"verifikasi & teruskan (3)", "verify & forward (3)"},
		"stats.step_follow_up": {"tindak lanjut pertama (5)", "first follow-up (5)"},
		"stats.step_close":     {"ditutup setelah jawaban (10)", "closed after the answer (10)"},
		"stats.step_counts":    {"tepat %d, terlambat %d, lewat batas %d, masih berjalan %d", "on time %d, late %d, overdue %d, pending %d"},
		"stats.no_overdue":     {"Tidak ada pengaduan yang lewat batas waktu.", "No complaint is overdue."},
		"stats.overdue":        {"%d langkah lewat batas waktu, yang terlama dulu:", "%d steps overdue, oldest first:"},
		"stats.overdue_columns": {"NOMOR\tDESA\tLANGKAH\tSTATUS\tBATAS\tHARI KERJA TERLAMBAT",
			"NUMBER\tDESA\tSTEP\tSTATUS\tDUE\tWORKING DAYS LATE"},
	})
}
