package bench

import (
	"fmt"
	"io"
	"time"

	"github.com/lumbung/lumbung/replication/exchange"
)

// WriteSync prints the sync figures as a Markdown section.
func WriteSync(w io.Writer, r *SyncReport, cmdline string) {
	header(w, "Sync between tiers", cmdline, ". A desa node syncs to a one-member kecamatan cluster")
	fmt.Fprintf(w, "through an in-process link shaped to the 2G profile (64 kbit/s each way, 300 ms one-way latency,\n")
	fmt.Fprintf(w, "up to 100 ms jitter). Bytes are every byte through the link both ways, HTTP headers included (not\n")
	fmt.Fprintf(w, "TCP/IP headers). The complaints are realistic generated ones (seed 42, not the dictionary's seed).\n\n")
	fmt.Fprintf(w, "| measure | value |\n|---|---:|\n")
	fmt.Fprintf(w, "| complaints synced | %d |\n", r.Complaints)
	fmt.Fprintf(w, "| bytes on the wire (%d exchanges) | %d |\n", r.Exchanges, r.WireBytes)
	fmt.Fprintf(w, "| same complaints as JSON lines, raw | %d |\n", r.JSONBytes)
	fmt.Fprintf(w, "| same complaints as JSON lines, %s | %d |\n", r.ZstdLevel, r.ZstdBytes)
	fmt.Fprintf(w, "| time over 2G | %s |\n", r.Time.Round(10*time.Millisecond))
	fmt.Fprintf(w, "| link limit (bytes ÷ rate + one round trip) | %s |\n", r.Limit.Round(10*time.Millisecond))
	fmt.Fprintf(w, "| one idle exchange | %d bytes |\n", r.IdleBytes)
	fmt.Fprintf(w, "| idle exchanges a day at the default wait (%s) | %d |\n", r.IdleWait, int64(24*time.Hour/r.IdleWait))
	fmt.Fprintf(w, "| answer written at the kecamatan reaches a connected desa | %s |\n\n", r.AnswerLatency.Round(10*time.Millisecond))
	writeRows(w, syncRows(r))
	ka := exchange.KeepAlive
	probes := int64((r.IdleWait - time.Nanosecond) / ka.Idle) // an answered probe restarts the idle timer
	fmt.Fprintf(w, "Not in the idle figure (computed, not measured): while an idle exchange is held, TCP keep-alive\n")
	fmt.Fprintf(w, "probes the link after %s of silence, %d probes per exchange; at about 100 bytes of TCP/IP\n", ka.Idle, probes)
	fmt.Fprintf(w, "headers per probe and answer that is %.1f KB a day (Go's default of one probe every 15 s would be 288 KB).\n\n",
		float64(probes*100*int64(24*time.Hour/r.IdleWait))/1000)
}

// syncRows are the sync figures against their targets.
func syncRows(r *SyncReport) []row {
	wire, zst := float64(r.WireBytes), float64(r.ZstdBytes)
	t := float64(r.Time) / float64(r.Limit)
	return []row{
		atMost("2G sync: wire bytes ÷ "+r.ZstdLevel+" JSON lines", fmt.Sprintf("%.2f", wire/zst), "1.1", wire/zst, 1.1),
		noTarget("2G sync: wire bytes ÷ raw JSON lines", fmt.Sprintf("%.3f", wire/float64(r.JSONBytes))),
		atMost("2G sync: time ÷ link limit", fmt.Sprintf("%.2f", t), "1.3", t, 1.3),
		atMost("idle desa: bytes a day", fmt.Sprintf("%.1f KB", float64(r.IdlePerDay)/1000), "30 KB", float64(r.IdlePerDay), 30_000),
		atMost("answer reaches a connected desa", r.AnswerLatency.Round(10*time.Millisecond).String(), "15 min",
			float64(r.AnswerLatency), float64(15*time.Minute)),
	}
}
