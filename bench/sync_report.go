package bench

import (
	"fmt"
	"io"
	"time"

	"github.com/lumbung/lumbung/localcluster"
	"github.com/lumbung/lumbung/replication/exchange"
)

// WriteSync prints the sync figures as a Markdown section.
func WriteSync(w io.Writer, r *SyncReport, cmdline string) {
	header(w, "Sync between tiers", cmdline, ". A desa node syncs to a one-member kecamatan cluster")
	fmt.Fprintf(w, "through an in-process link shaped to the 2G profile (64 kbit/s each way, 300 ms one-way latency,\n")
	fmt.Fprintf(w, "up to 100 ms jitter). Bytes are every byte through the link both ways, HTTP headers included (not\n")
	fmt.Fprintf(w, "TCP/IP headers). The complaints are realistic generated ones (seed 42, not the dictionary's seed).\n\n")
	p := r.Plain
	if p == nil {
		p = &SyncReport{}
	}
	fmt.Fprintf(w, "The desa syncs over HTTPS, pinning its kecamatan by the token (what `lumbung enroll` prints), then\n")
	fmt.Fprintf(w, "the same run over plain HTTP (a desa enrolled before HTTPS), in the same process.\n\n")
	fmt.Fprintf(w, "| measure | HTTPS | plain HTTP | HTTPS ÷ plain |\n|---|---:|---:|---:|\n")
	ratio := func(a, b float64) string {
		if b == 0 {
			return ""
		}
		return fmt.Sprintf("%.2f", a/b)
	}
	fmt.Fprintf(w, "| complaints synced | %d | %d | |\n", r.Complaints, p.Complaints)
	fmt.Fprintf(w, "| bytes on the wire | %d | %d | %s |\n", r.WireBytes, p.WireBytes, ratio(float64(r.WireBytes), float64(p.WireBytes)))
	fmt.Fprintf(w, "| exchanges | %d | %d | |\n", r.Exchanges, p.Exchanges)
	fmt.Fprintf(w, "| same complaints as JSON lines, raw | %d | %d | |\n", r.JSONBytes, p.JSONBytes)
	fmt.Fprintf(w, "| same complaints as JSON lines, %s | %d | %d | |\n", r.ZstdLevel, r.ZstdBytes, p.ZstdBytes)
	fmt.Fprintf(w, "| time over 2G | %s | %s | %s |\n", r.Time.Round(10*time.Millisecond), p.Time.Round(10*time.Millisecond),
		ratio(float64(r.Time), float64(p.Time)))
	fmt.Fprintf(w, "| link limit (bytes ÷ rate + one round trip) | %s | %s | |\n", r.Limit.Round(10*time.Millisecond), p.Limit.Round(10*time.Millisecond))
	fmt.Fprintf(w, "| one idle exchange, bytes | %d | %d | %s |\n", r.IdleBytes, p.IdleBytes, ratio(float64(r.IdleBytes), float64(p.IdleBytes)))
	fmt.Fprintf(w, "| idle exchanges a day at the default wait (%s) | %d | %d | |\n", r.IdleWait, int64(24*time.Hour/r.IdleWait), int64(24*time.Hour/max(p.IdleWait, time.Second)))
	fmt.Fprintf(w, "| idle desa, bytes a day | %d | %d | %s |\n", r.IdlePerDay, p.IdlePerDay, ratio(float64(r.IdlePerDay), float64(p.IdlePerDay)))
	fmt.Fprintf(w, "| first exchange after the link dropped (reconnect), bytes | %d | %d | %s |\n", r.ReconnectBytes, p.ReconnectBytes,
		ratio(float64(r.ReconnectBytes), float64(p.ReconnectBytes)))
	fmt.Fprintf(w, "| answer written at the kecamatan reaches a connected desa | %s | %s | |\n\n", r.AnswerLatency.Round(10*time.Millisecond),
		p.AnswerLatency.Round(10*time.Millisecond))
	fmt.Fprintf(w, "The targets are checked on HTTPS, the default. Its time carries a round trip the link limit does not\n")
	fmt.Fprintf(w, "count, the TLS 1.3 handshake (Go has no 0-RTT). After a failure, an uplink whose request may have\n")
	fmt.Fprintf(w, "reached the upstream first asks, with an exchange carrying no change, what the upstream committed\n")
	fmt.Fprintf(w, "(`replication/DESIGN.md`); a failed TLS handshake proves nothing was sent, so over HTTPS the changes\n")
	fmt.Fprintf(w, "go in the first exchange. Over plain HTTP it depends on when the down link hung up: the exchanges row\n")
	fmt.Fprintf(w, "says what this run took.\n\n")
	fmt.Fprintf(w, "A reconnect over HTTPS resumes the TLS session the uplink\n")
	fmt.Fprintf(w, "kept (no certificate chain again); it is not in the idle figure, which assumes the held connection\n")
	fmt.Fprintf(w, "lasts the day: each drop of a carrier's NAT mapping adds one reconnect's bytes.\n\n")
	if c := r.Clear; c != nil && c.ZstdBytes > 0 && r.ZstdBytes > 0 {
		fmt.Fprintf(w, "Every reporter is sealed as it is taken (`seal/DESIGN.md`), to the desa and its kecamatan here. The same\n")
		fmt.Fprintf(w, "bulk sync from a desa with no identity key, its reporters in clear as before sealing, in the same run:\n")
		fmt.Fprintf(w, "%d bytes on the wire, %.2f× the %s of its JSON lines; sealed, %.2f× that, %d bytes more, about %d\n",
			c.WireBytes, float64(c.WireBytes)/float64(c.ZstdBytes), c.ZstdLevel, float64(r.WireBytes)/float64(c.WireBytes),
			r.WireBytes-c.WireBytes, (r.WireBytes-c.WireBytes)/int64(max(r.Complaints, 1)))
		fmt.Fprintf(w, "per complaint. A sealed identity is ciphertext, which no compressor shrinks, while the rest of a\n")
		fmt.Fprintf(w, "complaint compresses to about 32 bytes: that is the gap to the 1.1× target. What would close it:\n")
		fmt.Fprintf(w, "sealing the identities of one exchange together (one tag per batch), or sending an identity up only\n")
		fmt.Fprintf(w, "when an officer above opens its complaint.\n\n")
	}
	writeRows(w, syncRows(r))
	ka := exchange.KeepAlive
	probes := int64((r.IdleWait - time.Nanosecond) / ka.Idle) // an answered probe restarts the idle timer
	fmt.Fprintf(w, "Not in the idle figure (computed, not measured): while an idle exchange is held, TCP keep-alive\n")
	fmt.Fprintf(w, "probes the link after %s of silence, %d probes per exchange; at about 100 bytes of TCP/IP\n", ka.Idle, probes)
	fmt.Fprintf(w, "headers per probe and answer that is %.1f KB a day (Go's default of one probe every 15 s would be 288 KB).\n\n",
		float64(probes*100*int64(24*time.Hour/r.IdleWait))/1000)
}

// rtt2G is the 2G profile's mean round trip.
var rtt2G = 2 * (localcluster.Profile2G.Latency + localcluster.Profile2G.Jitter/2)

// syncRows are the sync figures against their targets.
func syncRows(r *SyncReport) []row {
	wire, zst := float64(r.WireBytes), float64(r.ZstdBytes)
	t := float64(r.Time) / float64(r.Limit)
	return []row{
		atMost("2G sync: wire bytes ÷ "+r.ZstdLevel+" JSON lines", fmt.Sprintf("%.2f", wire/zst), "1.1", wire/zst, 1.1),
		noTarget("2G sync: wire bytes ÷ raw JSON lines", fmt.Sprintf("%.3f", wire/float64(r.JSONBytes))),
		atMost("2G sync: time ÷ link limit", fmt.Sprintf("%.2f", t), "1.3", t, 1.3),
		noTarget("2G sync: time ÷ (link limit + the TLS handshake's round trip)", fmt.Sprintf("%.2f", float64(r.Time)/float64(r.Limit+rtt2G))),
		atMost("idle desa: bytes a day", fmt.Sprintf("%.1f KB", float64(r.IdlePerDay)/1000), "30 KB", float64(r.IdlePerDay), 30_000),
		atMost("answer reaches a connected desa", r.AnswerLatency.Round(10*time.Millisecond).String(), "15 min",
			float64(r.AnswerLatency), float64(15*time.Minute)),
	}
}
