package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/testcluster"
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
	cfg := testcluster.DefaultAggregateBenchConfig(dir)
	cfg.Syncs = c.Int("syncs")
	rep, err := testcluster.BenchAggregate(cfg)
	if err != nil {
		return err
	}
	cmdline := "lumbung bench aggregate --syncs " + strconv.Itoa(cfg.Syncs)
	return report(c, func(w io.Writer) { writeAggregateReport(w, rep, cmdline) })
}

// writeAggregateReport prints the aggregation figures as a Markdown
// section, each against its target.
func writeAggregateReport(w io.Writer, r *testcluster.AggregateBenchReport, cmdline string) {
	benchHeader(w, "Monografi aggregation", cmdline, ", all rows from one run. The national tree is")
	fmt.Fprintf(w, "generated (83,762 desa in 7,285 kecamatan in 514 kabupaten in 38 provinces), each desa with an approved\n")
	fmt.Fprintf(w, "document of the whole built-in catalogue, made as it is read. Peak memory is the process's VmHWM after\n")
	fmt.Fprintf(w, "the national run, which runs first. The node row is a kabupaten store on disk holding 12 kecamatan × 16\n")
	fmt.Fprintf(w, "desa: each desa sync (un-approve, corrected figures, submit, approve) is applied as a link delivers it,\n")
	fmt.Fprintf(w, "then the kabupaten's aggregate is read, which reads the log since the last read and updates incrementally.\n\n")
	writeRows(w, aggregateRows(r))
}

// aggregateRows are the aggregation figures against their targets.
func aggregateRows(r *testcluster.AggregateBenchReport) []benchRow {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }
	limit := float64(10 * time.Millisecond)
	return []benchRow{
		noTarget("a kabupaten (192 desa × the whole catalogue), from scratch", ms(r.Kabupaten)),
		atMost("the nation, from scratch", fmt.Sprintf("%.2f s", r.Nation.Seconds()), "10 s", r.Nation.Seconds(), 10),
		atMost("the nation, peak resident memory", mib(r.PeakRSS), "2 GB", float64(r.PeakRSS), 2<<30),
		atMost("one desa's document through every aggregate above it", ms(r.Update), "10 ms", float64(r.Update), limit),
		atMost("kabupaten node: aggregate up to date after one desa's sync", ms(r.AfterSync), "10 ms", float64(r.AfterSync), limit),
		noTarget("(applying that sync, fsync included)", ms(r.Apply)),
	}
}

func mib(b int64) string { return fmt.Sprintf("%d MiB", b>>20) }

func init() {
	locale.DefineAll(map[string][2]string{
		"cmd.bench_aggregate": {"mengukur agregasi monografi: kabupaten dan nasional dari awal, pembaruan bertahap, node kabupaten setelah sinkronisasi desa", "measure monografi aggregation: a kabupaten and the nation from scratch, incremental updates, a kabupaten node after a desa's sync"},
		"flag.bench_syncs":    {"jumlah sinkronisasi desa yang diukur di node kabupaten", "desa syncs measured at the kabupaten node"},
	})
}
