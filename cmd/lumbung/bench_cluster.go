package main

import (
	"io"
	"os"
	"strconv"
	"time"

	"github.com/lumbung/lumbung/bench"
	"github.com/lumbung/lumbung/locale"
	"github.com/urfave/cli/v2"
)

func benchClusterCommand() *cli.Command {
	return &cli.Command{
		Name:  "cluster",
		Usage: "cmd.bench_cluster",
		Flags: []cli.Flag{
			&cli.DurationFlag{Name: "duration", Value: 5 * time.Second, Usage: "flag.bench_duration"},
			&cli.StringFlag{Name: "writers", Value: "1,64", Usage: "flag.bench_clients"},
			&cli.IntFlag{Name: "catch-up", Value: 100_000, Usage: "flag.bench_catchup"},
			&cli.StringFlag{Name: "append", Usage: "flag.bench_append"},
		},
		Action: benchCluster,
	}
}

func benchCluster(c *cli.Context) error {
	cfg := bench.DefaultClusterConfig()
	cfg.Duration, cfg.CatchUp, cfg.Log = c.Duration("duration"), c.Int("catch-up"), c.App.ErrWriter
	var err error
	if cfg.Writers, err = counts(c, "writers"); err != nil {
		return err
	}
	rep, err := bench.Cluster(cfg)
	if err != nil {
		return err
	}
	cmdline := "lumbung bench cluster --duration " + cfg.Duration.String() + " --writers " + c.String("writers") +
		" --catch-up " + strconv.Itoa(cfg.CatchUp)
	return report(c, func(w io.Writer) { bench.WriteCluster(w, rep, cmdline) })
}

// report prints a benchmark's Markdown section, and appends it to the
// file named by --append when there is one.
func report(c *cli.Context, write func(io.Writer)) error {
	write(c.App.Writer)
	out := c.String("append")
	if out == "" {
		return nil
	}
	f, err := os.OpenFile(out, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	write(f)
	return f.Close()
}

func init() {
	locale.DefineAll(map[string][2]string{
		"cmd.bench_cluster":  {"mengukur klaster raft 3 anggota dibanding 1 anggota dan commit Pebble", "measure a 3-member raft cluster against one member and a bare Pebble commit"},
		"flag.bench_catchup": {"jumlah perubahan yang dikejar anggota baru (0: lewati)", "changes a new member catches up (0: skip)"},
		"flag.bench_append":  {"tambahkan hasil Markdown ke file ini (BENCHMARKS.md)", "append the Markdown result to this file (BENCHMARKS.md)"},
	})
}
