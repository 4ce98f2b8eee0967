package main

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/lumbung/lumbung/demo"
	"github.com/lumbung/lumbung/internal/staff"
	"github.com/lumbung/lumbung/localcluster"
	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/schema"
	"github.com/urfave/cli/v2"
)

func demoCommand() *cli.Command {
	return &cli.Command{
		Name:  "demo",
		Usage: "cmd.demo",
		Flags: []cli.Flag{
			&cli.DurationFlag{Name: "duration", Value: 2 * time.Minute, Usage: "flag.demo_duration"},
			&cli.IntFlag{Name: "kecamatan", Value: 5, Usage: "flag.demo_kecamatan"},
			&cli.IntFlag{Name: "desa", Value: 6, Usage: "flag.demo_desa"},
			&cli.IntFlag{Name: "members", Value: 3, Usage: "flag.demo_members"},
			&cli.StringFlag{Name: "regions", Usage: "flag.demo_regions"},
			&cli.StringFlag{Name: "kabupaten", Value: "32.14", Usage: "flag.demo_kabupaten"},
			&cli.DurationFlag{Name: "every", Value: 250 * time.Millisecond, Usage: "flag.demo_every"},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "flag.demo_seed"},
			&cli.StringFlag{Name: "data", Aliases: []string{"d"}, Usage: "flag.demo_data"},
			&cli.StringFlag{Name: "log-level", Value: "warn", Usage: "flag.log_level"},
			&cli.StringFlag{Name: "log-format", Value: "text", Usage: "flag.log_format"},
		},
		Subcommands: []*cli.Command{demoDesaCommand()},
		Action:      runDemo,
	}
}

// runDemo runs a whole kabupaten in this process (demo.Run): a
// kabupaten cluster, kecamatan clusters and their desa, every link
// between tiers shaped like a mobile link that drops now and then. It
// prints every node's URL and the progress, and ends (after --duration,
// or on Ctrl-C) with the kabupaten's aggregate and its check against
// what the desa entered.
func runDemo(c *cli.Context) error {
	lang := langOf(c)
	kab := schema.Code(c.String("kabupaten"))
	if !kab.Valid() || kab.Level() != schema.LevelKabupaten {
		return errors.New(tr(lang, "err.demo_kabupaten", kab))
	}
	if c.Int("kecamatan") < 1 || c.Int("desa") < 1 || c.Int("members") < 1 {
		return errors.New(tr(lang, "err.demo_size"))
	}
	regions, err := demoRegions(c, kab)
	if err != nil {
		return err
	}
	topo := demo.Topology(kab, regions, c.Int("members"), c.Uint64("seed"))
	dir := c.String("data")
	if dir == "" {
		if dir, err = os.MkdirTemp("", "lumbung-demo-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	} else if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		return errors.New(tr(lang, "err.demo_dir", dir))
	}
	logFile, err := os.Create(filepath.Join(dir, "demo.log"))
	if err != nil {
		return err
	}
	defer logFile.Close()
	if topo.Logger, err = newLogger(c, logFile); err != nil {
		return err
	}
	desa := 0
	for _, k := range regions {
		desa += len(k.Desa)
	}
	say(c, "demo.k_title", kab, len(regions), topo.Members, desa)
	say(c, "demo.k_data", dir, filepath.Join(dir, "demo.log"))
	start := time.Now()
	k, err := localcluster.StartKabupaten(dir, topo)
	if k != nil {
		defer k.Close()
	}
	if err != nil {
		return err
	}
	say(c, "demo.k_started", time.Since(start).Round(time.Millisecond))
	printNodes(c, k)

	ctx, stop := signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
	defer stop()
	period := demo.CurrentPeriod(time.Now())
	say(c, "demo.k_running", c.Duration("duration"), period)
	res, err := demo.Run(ctx, k, demo.Config{Seed: topo.Seed, Period: period, Intake: c.Duration("duration"),
		Settle: 3 * time.Minute, Every: c.Duration("every"), Drops: true, Tick: 2 * time.Second,
		Regions: demo.Flat(regions), Progress: func(p demo.Progress) { printProgress(c, p) },
		// From now on a second Ctrl-C ends the process at once.
		WindingUp: func() { stop(); say(c, "demo.k_winding") }})
	if err != nil {
		return err
	}
	stop()
	return demoSummary(c, kab, period, res)
}

// demoRegions is the kabupaten of --regions when given, else a made-up
// one of --kecamatan × --desa.
func demoRegions(c *cli.Context, kab schema.Code) ([]demo.Kecamatan, error) {
	name := c.String("regions")
	if name == "" {
		return demo.MadeUp(kab, c.Int("kecamatan"), c.Int("desa")), nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", tr(langOf(c), "err.read", name), err)
	}
	defer f.Close()
	all, err := node.ParseRegions(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	out := demo.FromList(kab, all)
	if len(out) == 0 {
		return nil, errors.New(tr(langOf(c), "err.demo_none", kab, name))
	}
	return out, nil
}

// printNodes prints every node's URL, tier by tier.
func printNodes(c *cli.Context, k *localcluster.Kabupaten) {
	w := c.App.Writer
	say(c, "demo.k_nodes")
	fmt.Fprintf(w, "  %s  %s\n", k.Code, strings.Join(k.Cluster.URLs(), " "))
	for _, kec := range k.Kecamatan {
		fmt.Fprintf(w, "  %s  %s\n", kec.Code, strings.Join(kec.URLs(), " "))
		for _, d := range kec.Desa {
			fmt.Fprintf(w, "    %s  %s\n", d.Code, d.URL)
		}
	}
	if len(k.Kecamatan) == 0 || len(k.Kecamatan[0].Desa) == 0 {
		return
	}
	// Every office has one demo officer of each role, all with the same
	// password (package staff): the demo's nodes are this machine's only.
	kec, desa := k.Kecamatan[0], k.Kecamatan[0].Desa[0]
	say(c, "demo.k_logins", staff.Password)
	for _, o := range []struct {
		tier, code, url, screen string
		role                    officer.Role
	}{
		{"desa", string(desa.Code), desa.URL, "/pengaduan/baru", officer.Operator},
		{"kecamatan", string(kec.Code), kec.Members[0].URL, "/antrean", officer.Verifikator},
		{"kabupaten", string(k.Code), k.Cluster.Members[0].URL, "/statistik", officer.Viewer},
	} {
		say(c, "demo.k_login", o.tier, o.code, staff.Name(o.role), o.role, o.url, staff.Name(o.role))
		if o.screen != "" {
			say(c, "demo.k_screen", o.url+o.screen, staff.Name(o.role))
		}
	}
	say(c, "demo.k_logins_more", staff.Name(officer.Admin))
}

func printProgress(c *cli.Context, p demo.Progress) {
	lang := langOf(c)
	conv := tr(lang, "demo.k_no")
	if p.Converged {
		conv = tr(lang, "demo.k_yes")
	}
	key := "demo.k_progress"
	if p.Settling {
		key = "demo.k_settling"
	}
	m, s := int(p.Elapsed.Minutes()), int(p.Elapsed.Seconds())%60
	say(c, key, m, s, p.DesaPending, p.Offline, p.Synced, p.Desa, p.KecPending, p.AtTop, p.Taken, p.Actions,
		p.Approved, p.Desa, conv)
}

// demoSummary prints the kabupaten's aggregate and the check that its
// totals are the sums of what the desa entered; a failed check is an
// error.
func demoSummary(c *cli.Context, kab schema.Code, period monografi.Period, res *demo.Result) error {
	lang := langOf(c)
	w := c.App.Writer
	agg := res.Aggregate
	conv := tr(lang, "demo.k_no")
	if res.Converged {
		conv = tr(lang, "demo.k_yes")
	}
	say(c, "demo.k_settled", res.Settle.Round(time.Millisecond), conv)
	say(c, "demo.k_aggregate", kab, period, agg.Completeness.Reported, agg.Completeness.Expected)
	cat := monografi.Builtin()
	for _, code := range []string{"penduduk.jumlah", "penduduk.laki_laki", "penduduk.perempuan", "penduduk.kk",
		"penduduk.lahir", "penduduk.mati", "wilayah.luas_km2", "kesehatan.posyandu", "pendidikan.sd", "sarana_prasarana.rumah"} {
		ind, ok := cat.Lookup(code)
		if !ok {
			continue
		}
		fmt.Fprintf(w, "  %-42s %14s %s\n", label(lang, ind.LabelID, ind.LabelEN), locale.Number(lang, math.Round(agg.Values[code]*100)/100), ind.Unit)
	}
	for _, code := range slices.Sorted(maps.Keys(agg.Derived)) {
		if code == "penduduk.kepadatan" || code == "penduduk.rasio_jenis_kelamin" {
			ind, _ := cat.Lookup(code)
			fmt.Fprintf(w, "  %-42s %14s %s\n", label(lang, ind.LabelID, ind.LabelEN), locale.Number(lang, math.Round(agg.Derived[code]*100)/100), ind.Unit)
		}
	}
	var bad []string
	for _, ch := range res.Checks {
		if !ch.Equal() {
			bad = append(bad, fmt.Sprintf("%s: %v ≠ %v", ch.Code, ch.Got, ch.Want))
		}
	}
	if !res.Converged || len(bad) > 0 || len(res.Checks) == 0 {
		say(c, "demo.k_check_fail", len(bad), len(res.Checks), strings.Join(bad, "; "))
		return errors.New(tr(lang, "err.demo_check"))
	}
	say(c, "demo.k_check_ok", len(res.Checks), agg.Completeness.Reported)
	return nil
}

func init() {
	locale.DefineAll(map[string][2]string{
		"flag.demo_duration":  {"lama desa menerima pengaduan sebelum demo ditutup (Ctrl-C menutup lebih awal)", "how long desa take complaints before the demo winds up (Ctrl-C winds up earlier)"},
		"flag.demo_kecamatan": {"jumlah kecamatan (tanpa --regions)", "number of kecamatan (without --regions)"},
		"flag.demo_desa":      {"jumlah desa per kecamatan (tanpa --regions)", "desa per kecamatan (without --regions)"},
		"flag.demo_members":   {"anggota setiap klaster kecamatan dan kabupaten", "members of every kecamatan and kabupaten cluster"},
		"flag.demo_regions":   {"daftar wilayah Kemendagri (CSV kode,nama) yang menjadi topologi", "Kemendagri region list (CSV code,name) to build the topology from"},
		"flag.demo_kabupaten": {"kode kabupaten", "kabupaten code"},
		"flag.demo_every":     {"selang antar pengaduan di seluruh kabupaten", "interval between complaints across the kabupaten"},
		"flag.demo_seed":      {"benih data contoh dan gangguan jaringan", "seed of the sample data and the link drops"},
		"err.demo_kabupaten":  {"%s bukan kode kabupaten (contoh: 32.14)", "%s is not a kabupaten code (e.g. 32.14)"},
		"err.demo_size":       {"jumlah kecamatan, desa dan anggota harus paling sedikit 1", "kecamatan, desa and members must be at least 1"},
		"err.demo_dir":        {"direktori %s tidak kosong; demo perlu direktori baru", "directory %s is not empty; the demo needs a new one"},
		"err.demo_none":       {"tidak ada kecamatan kabupaten %s di %s", "no kecamatan of kabupaten %s in %s"},
		"err.demo_check":      {"pemeriksaan demo gagal", "the demo's check failed"},
		"demo.k_title":        {"Demo Lumbung: Kabupaten %s di mesin ini, %d kecamatan (klaster %d anggota) dan %d desa", "Lumbung demo: kabupaten %s on this machine, %d kecamatan (clusters of %d members) and %d desa"},
		"demo.k_data":         {"Data: %s (log node: %s)", "Data: %s (node logs: %s)"},
		"demo.k_started":      {"Semua node berjalan dalam %s. Alamat node:", "Every node running after %s. Node addresses:"},
		"demo.k_logins": {"Masuk sebagai petugas demo (kata sandi semua petugas demo: %s):",
			"Log in as a demo officer (every demo officer's password: %s):"},
		"demo.k_login":  {"  %-9s %-13s %s (%s):  lumbung login --node %s --name %s", "  %-9s %-13s %s (%s):  lumbung login --node %s --name %s"},
		"demo.k_screen": {"              layar petugas di peramban: %s (masuk sebagai %s)", "              officer screens in a browser: %s (log in as %s)"},
		"demo.k_logins_more": {"  Setiap kantor punya satu petugas demo untuk tiap peran (demo.operator, demo.verifikator, %s, demo.viewer).",
			"  Every office has one demo officer of each role (demo.operator, demo.verifikator, %s, demo.viewer)."},
		"demo.k_nodes":      {"  (kabupaten dan kecamatan: anggota klaster; desa di bawahnya; tautan desa 2G, kecamatan 3G, putus sesekali)", "  (kabupaten and kecamatan: cluster members; desa below; desa links 2G, kecamatan 3G, dropping now and then)"},
		"demo.k_running":    {"Desa menerima pengaduan selama %s; monografi %s diisi, diajukan dan disetujui. Ctrl-C untuk menutup lebih awal.", "Desa take complaints for %s; monografi %s is entered, submitted and approved. Ctrl-C to wind up earlier."},
		"demo.k_progress":   {"[%d:%02d] desa: %d antre naik, %d terputus, %d/%d tersinkron | kecamatan: %d antre | kabupaten: %d/%d pengaduan, %d tindakan, monografi %d/%d disetujui | konvergen: %s", "[%d:%02d] desa: %d pending up, %d offline, %d/%d synced | kecamatan: %d pending | kabupaten: %d/%d complaints, %d actions, monografi %d/%d approved | converged: %s"},
		"demo.k_settling":   {"[%d:%02d] menutup — desa: %d antre naik, %d terputus, %d/%d tersinkron | kecamatan: %d antre | kabupaten: %d/%d pengaduan, %d tindakan, monografi %d/%d disetujui | konvergen: %s", "[%d:%02d] winding up — desa: %d pending up, %d offline, %d/%d synced | kecamatan: %d pending | kabupaten: %d/%d complaints, %d actions, monografi %d/%d approved | converged: %s"},
		"demo.k_winding":    {"Menutup: tautan dipulihkan, menunggu semua tingkat sama (Ctrl-C lagi untuk keluar segera).", "Winding up: links restored, waiting for every tier to agree (Ctrl-C again to quit at once)."},
		"demo.k_yes":        {"ya", "yes"},
		"demo.k_no":         {"belum", "not yet"},
		"demo.k_settled":    {"Tautan pulih; kabupaten tenang dalam %s (konvergen: %s).", "Links restored; the kabupaten settled in %s (converged: %s)."},
		"demo.k_aggregate":  {"Agregat monografi Kabupaten %s, %s (%d dari %d desa disetujui):", "Monografi aggregate of kabupaten %s, %s (%d of %d desa approved):"},
		"demo.k_check_ok":   {"Pemeriksaan: %d jumlah indikator di kabupaten sama dengan jumlah angka yang dimasukkan %d desa. ✓", "Check: %d indicator totals at the kabupaten equal the sums of the figures %d desa entered. ✓"},
		"demo.k_check_fail": {"Pemeriksaan GAGAL: %d dari %d jumlah berbeda: %s", "Check FAILED: %d of %d totals differ: %s"},
	})
}
