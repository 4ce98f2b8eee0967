package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/lumbung/lumbung/testcluster"
	"github.com/urfave/cli/v2"
)

func benchCommand() *cli.Command {
	return &cli.Command{
		Name:  "bench",
		Usage: "cmd.bench",
		Subcommands: []*cli.Command{{
			Name:  "intake",
			Usage: "cmd.bench_intake",
			Flags: []cli.Flag{
				&cli.DurationFlag{Name: "duration", Value: 5 * time.Second, Usage: "flag.bench_duration"},
				&cli.StringFlag{Name: "clients", Value: "1,16,64", Usage: "flag.bench_clients"},
				&cli.IntFlag{Name: "rss-complaints", Value: 100_000, Usage: "flag.bench_rss"},
				&cli.StringFlag{Name: "out", Usage: "flag.bench_out"},
			},
			Action: benchIntake,
		}, benchClusterCommand(), benchSyncCommand(), benchAggregateCommand()},
	}
}

func benchIntake(c *cli.Context) error {
	bin, err := os.Executable()
	if err != nil {
		return err
	}
	cfg := testcluster.DefaultIntakeConfig(bin)
	cfg.Duration, cfg.RSSComplaints, cfg.Log = c.Duration("duration"), c.Int("rss-complaints"), c.App.ErrWriter
	if cfg.Clients, err = counts(c, "clients"); err != nil {
		return err
	}
	rep, err := testcluster.BenchIntake(cfg)
	if err != nil {
		return err
	}
	cmdline := "lumbung bench intake --duration " + cfg.Duration.String() + " --clients " + c.String("clients") +
		" --rss-complaints " + strconv.Itoa(cfg.RSSComplaints)
	writeIntakeReport(c.App.Writer, rep, cmdline)
	if out := c.String("out"); out != "" {
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		fmt.Fprintln(f, "# Lumbung benchmarks")
		fmt.Fprintln(f)
		fmt.Fprintln(f, "Figures from one run on one machine; ratios compare against a baseline measured in the same run,")
		fmt.Fprintln(f, "because these machines are shared and noisy. Regenerate with `make bench`.")
		fmt.Fprintln(f)
		writeIntakeReport(f, rep, cmdline)
		return f.Close()
	}
	return nil
}

// writeIntakeReport prints the intake figures as a Markdown section.
func writeIntakeReport(w io.Writer, rep *testcluster.IntakeReport, cmdline string) {
	benchHeader(w, "Complaint intake (desa node)", cmdline, ". The node is a real `lumbung serve` process;")
	fmt.Fprintf(w, "the load generator runs on the same machine over loopback HTTP with keep-alive. \"Bare\" is a Pebble\n")
	fmt.Fprintf(w, "batch of the same keys and bytes as one complaint write (%d bytes), committed with Sync from the same\n", rep.BatchBytes)
	fmt.Fprintf(w, "number of goroutines, in the same run, just before the HTTP level.\n\n")
	fmt.Fprintf(w, "| clients | HTTP intake/s | p50 | p99 | bare Sync commits/s | p50 | p99 | p50 ratio | throughput ratio |\n")
	fmt.Fprintf(w, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, l := range rep.Levels {
		fmt.Fprintf(w, "| %d | %.0f | %s | %s | %.0f | %s | %s | %.2f× | %.2f |\n", l.Clients,
			l.HTTP.PerSecond, ms(l.HTTP.P50), ms(l.HTTP.P99), l.Bare.PerSecond, ms(l.Bare.P50), ms(l.Bare.P99),
			ratio(l.HTTP.P50, l.Bare.P50), l.HTTP.PerSecond/l.Bare.PerSecond)
	}
	fmt.Fprintf(w, "\n| target | measured | met |\n|---|---:|---|\n")
	for _, l := range rep.Levels {
		switch l.Clients {
		case 1:
			r := ratio(l.HTTP.P50, l.Bare.P50)
			fmt.Fprintf(w, "| 1 client: p50 ≤ 1.5× the bare commit | %.2f× | %s |\n", r, yes(r <= 1.5))
		case 16:
			fmt.Fprintf(w, "| 16 clients: ≥ 5,000 complaints/s | %.0f/s | %s |\n", l.HTTP.PerSecond, yes(l.HTTP.PerSecond >= 5000))
		case 64:
			fmt.Fprintf(w, "| 64 clients: ≥ 10,000 complaints/s | %.0f/s | %s |\n", l.HTTP.PerSecond, yes(l.HTTP.PerSecond >= 10000))
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "| resident memory (RSS) of the node process | measured | target |\n|---|---:|---:|\n")
	fmt.Fprintf(w, "| idle, just started | %s | < 60 MB: %s |\n", mb(rep.IdleRSS), yes(rep.IdleRSS >= 0 && rep.IdleRSS < 60e6))
	if rep.LoadedCount > 0 {
		fmt.Fprintf(w, "| after %d complaints (loaded in %s) | %s | < 150 MB: %s |\n", rep.LoadedCount,
			rep.LoadDuration.Round(time.Second), mb(rep.LoadedRSS), yes(rep.LoadedRSS >= 0 && rep.LoadedRSS < 150e6))
	}
	fmt.Fprintln(w)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.3f ms", float64(d)/float64(time.Millisecond)) }

func ratio(a, b time.Duration) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func mb(b int64) string {
	if b < 0 {
		return "n/a on this OS"
	}
	return fmt.Sprintf("%.1f MB", float64(b)/1e6)
}

// benchHeader starts a report's Markdown section: its title, then the
// command, the machine and the day, then rest of the first line.
func benchHeader(w io.Writer, title, cmdline, rest string) {
	fmt.Fprintf(w, "## %s\n\nCommand: `%s` on %d cores, %s, %s/%s%s\n", title, cmdline,
		runtime.NumCPU(), time.Now().UTC().Format("2006-01-02"), runtime.GOOS, runtime.GOARCH, rest)
}

func yes(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

// counts reads a comma-separated list of positive numbers from flag name
// (concurrency levels such as 1,16,64).
func counts(c *cli.Context, name string) ([]int, error) {
	var out []int
	for _, s := range strings.Split(c.String(name), ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("--%s %q: want numbers such as 1,16,64", name, c.String(name))
		}
		out = append(out, n)
	}
	return out, nil
}
