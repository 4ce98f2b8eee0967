package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/lumbung/lumbung/bench"
	"github.com/urfave/cli/v2"
)

func benchCommand() *cli.Command {
	return &cli.Command{
		Name:  "bench",
		Usage: "cmd.bench",
		Flags: []cli.Flag{&cli.StringFlag{Name: "out", Usage: "flag.bench_out"}},
		// Without a subcommand: every benchmark, then a summary table.
		Action: benchAll,
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
		}, benchClusterCommand(), benchSyncCommand(), benchAggregateCommand(), benchUICommand()},
	}
}

// benchAll runs every benchmark with its defaults and prints one table of
// every figure against its target, then each benchmark's section; --out
// writes the same to a file (BENCHMARKS.md).
func benchAll(c *cli.Context) error {
	bin, err := os.Executable()
	if err != nil {
		return err
	}
	sum, err := bench.All(bench.AllConfig{Binary: bin, Log: c.App.ErrWriter})
	if err != nil {
		return err
	}
	sum.Write(c.App.Writer)
	if out := c.String("out"); out != "" {
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		sum.Write(f)
		return f.Close()
	}
	return nil
}

func benchIntake(c *cli.Context) error {
	bin, err := os.Executable()
	if err != nil {
		return err
	}
	cfg := bench.DefaultIntakeConfig(bin)
	cfg.Duration, cfg.RSSComplaints, cfg.Log = c.Duration("duration"), c.Int("rss-complaints"), c.App.ErrWriter
	if cfg.Clients, err = counts(c, "clients"); err != nil {
		return err
	}
	rep, err := bench.Intake(cfg)
	if err != nil {
		return err
	}
	cmdline := "lumbung bench intake --duration " + cfg.Duration.String() + " --clients " + c.String("clients") +
		" --rss-complaints " + strconv.Itoa(cfg.RSSComplaints)
	bench.WriteIntake(c.App.Writer, rep, cmdline)
	if out := c.String("out"); out != "" {
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		bench.Title(f)
		bench.WriteIntake(f, rep, cmdline)
		return f.Close()
	}
	return nil
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
