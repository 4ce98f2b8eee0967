package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

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
	ms := func(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }
	fmt.Fprintf(w, "| measure | measured | target | ratio | met |\n|---|---:|---:|---:|---|\n")
	fmt.Fprintf(w, "| a kabupaten (192 desa × the whole catalogue), from scratch | %s | (none) | | |\n", ms(r.Kabupaten))
	fmt.Fprintf(w, "| the nation, from scratch | %.2f s | < 10 s | %.2f | %s |\n", r.Nation.Seconds(),
		r.Nation.Seconds()/10, yes(r.Nation < 10*time.Second))
	fmt.Fprintf(w, "| the nation, peak resident memory | %s | < 2 GB | %.2f | %s |\n", mib(r.PeakRSS),
		float64(r.PeakRSS)/(2<<30), yes(r.PeakRSS < 2<<30))
	fmt.Fprintf(w, "| one desa's document through every aggregate above it | %s | < 10 ms | %.3f | %s |\n", ms(r.Update),
		float64(r.Update)/float64(10*time.Millisecond), yes(r.Update < 10*time.Millisecond))
	fmt.Fprintf(w, "| kabupaten node: aggregate up to date after one desa's sync | %s | < 10 ms | %.2f | %s |\n", ms(r.AfterSync),
		float64(r.AfterSync)/float64(10*time.Millisecond), yes(r.AfterSync < 10*time.Millisecond))
	fmt.Fprintf(w, "| (applying that sync, fsync included; no target) | %s | | | |\n\n", ms(r.Apply))
}

func mib(b int64) string { return fmt.Sprintf("%d MiB", b>>20) }

func init() {
	for k, v := range map[string]text{
		"cmd.bench_aggregate": {"mengukur agregasi monografi: kabupaten dan nasional dari awal, pembaruan bertahap, node kabupaten setelah sinkronisasi desa", "measure monografi aggregation: a kabupaten and the nation from scratch, incremental updates, a kabupaten node after a desa's sync"},
		"flag.bench_syncs":    {"jumlah sinkronisasi desa yang diukur di node kabupaten", "desa syncs measured at the kabupaten node"},
	} {
		messages[k] = v
	}
}
