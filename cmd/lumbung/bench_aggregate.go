package main

import (
	"io"
	"os"
	"strconv"

	"github.com/lumbung/lumbung/bench"
	"github.com/lumbung/lumbung/locale"
	"github.com/urfave/cli/v2"
)

func benchAggregateCommand() *cli.Command {
	return &cli.Command{
		Name:  "aggregate",
		Usage: "cmd.bench_aggregate",
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "syncs", Value: 200, Usage: "flag.bench_syncs"},
			&cli.StringFlag{Name: "append", Usage: "flag.bench_append"},
		},
		Action: benchAggregate,
	}
}

func benchAggregate(c *cli.Context) error {
	dir, err := os.MkdirTemp("", "lumbung-bench-aggregate-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	cfg := bench.DefaultAggregateConfig(dir)
	cfg.Syncs = c.Int("syncs")
	rep, err := bench.Aggregate(cfg)
	if err != nil {
		return err
	}
	cmdline := "lumbung bench aggregate --syncs " + strconv.Itoa(cfg.Syncs)
	return report(c, func(w io.Writer) { bench.WriteAggregate(w, rep, cmdline) })
}

func init() {
	locale.DefineAll(map[string][2]string{
		"cmd.bench_aggregate": {"mengukur agregasi monografi: kabupaten dan nasional dari awal, pembaruan bertahap, node kabupaten setelah sinkronisasi desa", "measure monografi aggregation: a kabupaten and the nation from scratch, incremental updates, a kabupaten node after a desa's sync"},
		"flag.bench_syncs":    {"jumlah sinkronisasi desa yang diukur di node kabupaten", "desa syncs measured at the kabupaten node"},
	})
}
