package bench

import (
	"fmt"
	"io"
	"time"
)

// WriteCluster prints the cluster figures as a Markdown section.
func WriteCluster(w io.Writer, rep *ClusterReport, cmdline string) {
	header(w, "Regional cluster (kecamatan, kabupaten)", cmdline, ". Every member is a real node with its own Pebble")
	fmt.Fprintf(w, "directory and raft over loopback TCP, all in one process on this machine; writers call the leader's\n")
	fmt.Fprintf(w, "`Node.CreateComplaint` (no HTTP) with complaints whose change is %d bytes. A write counts once raft\n", rep.ChangeBytes)
	fmt.Fprintf(w, "committed it and the leader applied it. \"Bare\" is a Pebble Sync commit of a complaint write's keys,\n")
	fmt.Fprintf(w, "in the same run.\n\n")
	fmt.Fprintf(w, "| writers | 3 members/s | p50 | 1 member/s | p50 | bare Sync/s | p50 | 3 members ÷ bare |\n")
	fmt.Fprintf(w, "|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, l := range rep.Levels {
		fmt.Fprintf(w, "| %d | %.0f | %s | %.0f | %s | %.0f | %s | %.2f |\n", l.Writers, l.Three.PerSecond, ms(l.Three.P50),
			l.One.PerSecond, ms(l.One.P50), l.Bare.PerSecond, ms(l.Bare.P50), l.Three.PerSecond/l.Bare.PerSecond)
	}
	fmt.Fprintln(w)
	writeRows(w, clusterRows(rep))
}

// clusterGap says where a 3-member cluster's time goes on one machine.
func clusterGap() string {
	return "All three members, six Pebble instances (a raft log and a state store each) and the 64 writers " +
		"share " + theseCores() + " and one disk; on real hardware each member has its own, and the one-member cluster in the " +
		"table comes closer to a bare Sync commit. Each member applies entries on raft's single FSM goroutine, and a " +
		"profile puts the FSM at about a third of all CPU (decoding, validating, folding, Pebble inserts), done three " +
		"times on the same cores. What would close the gap: members on separate machines (the deployment this " +
		"targets); applying several committed entries per Pebble batch (raft's `BatchingFSM`); encoding a write's " +
		"result only on the leader; a binary command encoding instead of JSON."
}

// clusterRows are the cluster figures against their targets.
func clusterRows(rep *ClusterReport) []row {
	var rows []row
	for _, l := range rep.Levels {
		if l.Writers == 64 {
			rows = append(rows, atLeast("64 writers, 3 members: committed changes/s", fmt.Sprintf("%.0f/s", l.Three.PerSecond),
				"20,000/s", l.Three.PerSecond, 20000).because(clusterGap()))
		}
	}
	if rep.CatchUp > 0 {
		rows = append(rows, noTarget(fmt.Sprintf("a new member catches up %d changes (by %s)", rep.CatchUp, rep.CatchUpMethod),
			rep.CatchUpTime.Round(10*time.Millisecond).String()))
	}
	return rows
}
