package bench

import (
	"fmt"
	"io"
	"time"
)

// WriteAggregate prints the aggregation figures as a Markdown
// section, each against its target.
func WriteAggregate(w io.Writer, r *AggregateReport, cmdline string) {
	header(w, "Monografi aggregation", cmdline, ", all rows from one run. The national tree is")
	fmt.Fprintf(w, "generated (83,762 desa in 7,285 kecamatan in 514 kabupaten in 38 provinces), each desa with an approved\n")
	fmt.Fprintf(w, "document of the whole built-in catalogue, made as it is read. Peak memory is the process's VmHWM after\n")
	fmt.Fprintf(w, "the national run, which runs first. The node row is a kabupaten store on disk holding 12 kecamatan × 16\n")
	fmt.Fprintf(w, "desa: each desa sync (un-approve, corrected figures, submit, approve) is applied as a link delivers it,\n")
	fmt.Fprintf(w, "then the kabupaten's aggregate is read, which reads the log since the last read and updates incrementally.\n\n")
	writeRows(w, aggregateRows(r))
}

// aggregateRows are the aggregation figures against their targets.
func aggregateRows(r *AggregateReport) []row {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }
	limit := float64(10 * time.Millisecond)
	return []row{
		noTarget("a kabupaten (192 desa × the whole catalogue), from scratch", ms(r.Kabupaten)),
		atMost("the nation, from scratch", fmt.Sprintf("%.2f s", r.Nation.Seconds()), "10 s", r.Nation.Seconds(), 10),
		atMost("the nation, peak resident memory", wholeMiB(r.PeakRSS), "2 GB", float64(r.PeakRSS), 2<<30),
		atMost("one desa's document through every aggregate above it", ms(r.Update), "10 ms", float64(r.Update), limit),
		atMost("kabupaten node: aggregate up to date after one desa's sync", ms(r.AfterSync), "10 ms", float64(r.AfterSync), limit),
		noTarget("(applying that sync, fsync included)", ms(r.Apply)),
	}
}

// wholeMiB is b in whole mebibytes.
func wholeMiB(b int64) string { return fmt.Sprintf("%d MiB", b>>20) }
