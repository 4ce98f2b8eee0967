package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/klauspost/compress/zstd"
	"github.com/lumbung/lumbung/localcluster"
	"github.com/lumbung/lumbung/replication/exchange"
	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/schema/sample"
)

// SyncConfig says how to measure the sync exchange.
type SyncConfig struct {
	// Complaints is how many complaints the desa syncs.
	Complaints int
	// IdleExchanges is how many idle exchanges are measured.
	IdleExchanges int
	// Log receives progress lines; nil discards them.
	Log io.Writer
}

// DefaultSyncConfig syncs 1,000 complaints and measures 5 idle
// exchanges.
func DefaultSyncConfig() SyncConfig {
	return SyncConfig{Complaints: 1000, IdleExchanges: 5}
}

// SyncReport is what Sync measured, in one run.
type SyncReport struct {
	Complaints int
	// WireBytes is every byte both ways through the link (HTTP headers
	// included, TCP/IP headers not) to sync the complaints; Exchanges is
	// how many requests that took.
	WireBytes, Exchanges int64
	// JSONBytes is the same complaints as JSON lines (as the API shows
	// them); ZstdBytes that compressed at ZstdLevel.
	JSONBytes, ZstdBytes int64
	ZstdLevel            string
	// Time is how long the sync took over the 2G profile; Limit is what
	// the link allows: the bytes at its rate plus one round trip.
	Time, Limit time.Duration
	// IdleBytes is the bytes of one idle exchange; IdleWait the default
	// wait between them; IdlePerDay what a day of them costs.
	IdleBytes  int64
	IdleWait   time.Duration
	IdlePerDay int64
	// AnswerLatency is how long an answer written at the kecamatan took to
	// reach a connected, idle desa over the 2G link.
	AnswerLatency time.Duration
	// ReconnectBytes is the bytes of an exchange on a new connection
	// after the link dropped: over HTTPS a resumed TLS handshake.
	ReconnectBytes int64
	// TLS says the desa synced over HTTPS, pinning its kecamatan by the
	// token (the default); Plain is the same run over plain HTTP, as a
	// desa enrolled before HTTPS syncs, measured in the same process.
	TLS   bool
	Plain *SyncReport
	// Clear is the bulk sync alone over HTTPS from a desa with no
	// identity key, its reporters in clear as before sealing: what
	// sealing costs, in the same run.
	Clear *SyncReport
}

// Sync measures the sync of Complaints complaints from a desa to a
// one-member kecamatan cluster over the 2G profile (64 kbit/s each way,
// 300 ms one-way latency with jitter), the cost of an idle exchange and
// of a reconnect, and how soon an answer reaches a connected desa: over
// HTTPS, then the same over plain HTTP (SyncReport.Plain).
func Sync(cfg SyncConfig) (*SyncReport, error) {
	rep, err := syncRun(cfg, true, true)
	if err != nil {
		return nil, err
	}
	if rep.Plain, err = syncRun(cfg, false, true); err != nil {
		return nil, err
	}
	if rep.Clear, err = syncRun(cfg, true, false); err != nil {
		return nil, err
	}
	return rep, nil
}

func syncRun(cfg SyncConfig, secure, sealed bool) (*SyncReport, error) {
	logf := progress(cfg.Log)
	mode := "https"
	if !secure {
		mode = "plain http"
	}
	if !sealed {
		mode += ", reporters in clear"
	}
	tmp, err := os.MkdirTemp("", "lumbung-bench-sync-")
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	defer os.RemoveAll(tmp)
	kec, err := localcluster.StartCluster(filepath.Join(tmp, "kec"), 1, localcluster.ClusterOptions{})
	if kec != nil {
		defer kec.Close()
	}
	if err != nil {
		return nil, err
	}
	const region = schema.Code("32.14.02.2001")
	token, err := localcluster.Enroll(kec.Members[0].URL, region)
	if err != nil {
		return nil, err
	}
	if !secure {
		token, _, _ = strings.Cut(token, ".") // no pin: a desa enrolled before HTTPS
	}
	u, _ := url.Parse(kec.Members[0].URL)
	link, err := localcluster.NewLink(u.Host, localcluster.Profile2G, 42)
	if err != nil {
		return nil, err
	}
	defer link.Close()
	link.SetDown(true)
	idleWait := exchange.DefaultUplinkConfig("", "").Wait
	var shortWait time.Duration = time.Second
	desa, err := localcluster.StartDesa(tmp, region, localcluster.DesaOptions{Upstream: link.URL(), Token: token,
		NoOfficers: !sealed,
		Uplink: func(c *exchange.UplinkConfig) {
			c.Wait = shortWait
			c.MinBackoff, c.MaxBackoff = 50*time.Millisecond, 200*time.Millisecond
		}})
	if err != nil {
		return nil, err
	}
	defer desa.Stop()
	// The desa has synced once, as an enrolled laptop has: it holds the
	// kecamatan's key and seals its reporters to it (node/identity.go).
	link.SetDown(false)
	if err := localcluster.Eventually(time.Minute, "the kecamatan's key at the desa", func() bool {
		to, err := desa.Node().Store().SealsTo()
		return err == nil && (len(to) == 2 || !sealed) && desa.PendingUp() == 0
	}); err != nil {
		return nil, err
	}
	link.SetDown(true)
	rep := &SyncReport{Complaints: cfg.Complaints, IdleWait: idleWait, TLS: secure}
	logf("sync (%s): taking %d complaints at the desa", mode, cfg.Complaints)
	gen := sample.New(42)
	var lines bytes.Buffer
	var first string
	for i := 0; i < cfg.Complaints; i++ {
		c, err := desa.Node().Store().CreateComplaint(context.Background(), gen.Complaint(region))
		if err != nil {
			return nil, err
		}
		if first == "" {
			first = c.ID
		}
		shown, err := desa.Node().Store().Complaint(c.ID)
		if err != nil {
			return nil, err
		}
		b, _ := json.Marshal(shown)
		lines.Write(append(b, '\n'))
	}
	rep.JSONBytes = int64(lines.Len())
	rep.ZstdBytes, rep.ZstdLevel, err = zstdSize(lines.Bytes())
	if err != nil {
		return nil, err
	}

	logf("sync (%s): %d complaints over the 2G link", mode, cfg.Complaints)
	before := desa.Node().SyncStatus().Uplink.Exchanges
	start := time.Now()
	link.SetDown(false)
	// The modem is back: sync now, as the officer's button or a network
	// change does, rather than measure what is left of a backoff pause.
	if err := desa.Node().SyncNow(); err != nil {
		return nil, err
	}
	if err := localcluster.Eventually(5*time.Minute, "the desa to send everything", func() bool { return desa.PendingUp() == 0 }); err != nil {
		return nil, fmt.Errorf("bench: sync did not finish: %w", err)
	}
	rep.Time = time.Since(start)
	up, down := link.Bytes()
	rep.WireBytes = up + down
	rep.Exchanges = int64(desa.Node().SyncStatus().Uplink.Exchanges - before)
	rtt := 2 * (localcluster.Profile2G.Latency + localcluster.Profile2G.Jitter/2)
	rep.Limit = time.Duration(float64(rep.WireBytes)/localcluster.Profile2G.Rate*float64(time.Second)) + rtt
	if !sealed {
		return rep, nil // the bulk sync is what sealing changes
	}

	logf("sync (%s): idle exchanges", mode)
	if err := benchIdle(desa, link, cfg.IdleExchanges, rep); err != nil {
		return nil, err
	}
	logf("sync (%s): a reconnect", mode)
	if err := benchReconnect(desa, link, rep); err != nil {
		return nil, err
	}
	rep.IdlePerDay = rep.IdleBytes * int64(24*time.Hour/idleWait)

	logf("sync (%s): an answer to a connected desa", mode)
	act, _ := gen.Action("received")
	t0 := time.Now()
	if _, err := kec.Members[0].Node().ActOnComplaint(context.Background(), first, act); err != nil {
		return nil, err
	}
	if err := localcluster.Eventually(time.Minute, "the answer at the desa", func() bool {
		c, err := desa.Node().Store().Complaint(first)
		return err == nil && c.Status == "verified"
	}); err != nil {
		return nil, err
	}
	rep.AnswerLatency = time.Since(t0)
	return rep, nil
}

// benchIdle measures the bytes of idle exchanges: the desa has nothing to
// send and the kecamatan nothing for it.
func benchIdle(desa *localcluster.Member, link *localcluster.Link, n int, rep *SyncReport) error {
	ex := func() int { return desa.Node().SyncStatus().Uplink.Exchanges }
	first := ex()
	if err := localcluster.Eventually(time.Minute, "an idle exchange", func() bool { return ex() > first }); err != nil {
		return err // one idle exchange to settle
	}
	u0, d0 := link.Bytes()
	start := ex()
	if err := localcluster.Eventually(time.Minute, "the idle exchanges", func() bool { return ex() >= start+n }); err != nil {
		return err
	}
	u1, d1 := link.Bytes()
	rep.IdleBytes = (u1 + d1 - u0 - d0) / int64(ex()-start)
	return nil
}

// benchReconnect measures the bytes of the first exchange after the link
// dropped every connection: a new TCP connection and, over HTTPS, a TLS
// handshake resumed from the session the uplink kept.
func benchReconnect(desa *localcluster.Member, link *localcluster.Link, rep *SyncReport) error {
	ex := func() int { return desa.Node().SyncStatus().Uplink.Exchanges }
	link.SetDown(true)
	link.SetDown(false)
	u0, d0 := link.Bytes()
	start := ex()
	if err := desa.Node().SyncNow(); err != nil {
		return err
	}
	if err := localcluster.Eventually(time.Minute, "an exchange after the reconnect", func() bool { return ex() > start }); err != nil {
		return err
	}
	u1, d1 := link.Bytes()
	rep.ReconnectBytes = u1 + d1 - u0 - d0
	return nil
}

// zstdSize compresses b with the zstd command at level 19 when it is
// installed, else with klauspost's best level (about zstd -11).
func zstdSize(b []byte) (int64, string, error) {
	if path, err := exec.LookPath("zstd"); err == nil {
		cmd := exec.Command(path, "-19", "-q", "-c")
		cmd.Stdin = bytes.NewReader(b)
		out, err := cmd.Output()
		if err == nil {
			return int64(len(out)), "zstd -19", nil
		}
	}
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedBestCompression))
	if err != nil {
		return 0, "", err
	}
	return int64(len(enc.EncodeAll(b, nil))), "klauspost best (zstd CLI not installed)", nil
}
