package node

import (
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/lumbung/lumbung/doctor"
	"github.com/lumbung/lumbung/replication/trust"
)

// probeTimeout bounds the doctor's call to the upstream.
const probeTimeout = 10 * time.Second

// Doctor examines this node (package doctor): the disk and how long it
// lasts, the clock against the upstream's, the link (probed now), the
// token, the store (checked whole) and, where known, the service. It
// reads; it changes nothing. Every officer may ask, and a whole check
// reads the whole store: calls that come while one runs share its
// answer rather than read it again.
func (n *Node) Doctor(ctx context.Context) []doctor.Finding {
	v, _, _ := n.examining.Do("doctor", func() (any, error) {
		return doctor.Examine(n.doctorFacts(context.WithoutCancel(ctx))), nil
	})
	return v.([]doctor.Finding)
}

func (n *Node) doctorFacts(ctx context.Context) doctor.Facts {
	f := doctor.Facts{Now: n.now(), DataDir: n.dir, StoreOpens: true}
	if free, total, err := diskSpace(n.dir); err == nil {
		f.DiskKnown, f.DiskFree, f.DiskTotal = true, free, total
	}
	f.StoreBytes = dirBytes(StoreDir(n.dir))
	f.GrowthPerDay = n.store.growthPerDay(f.StoreBytes, f.Now)
	f.StoreChecked = true
	if _, err := n.store.Check(); err != nil {
		f.StoreCheckErr = err.Error()
	}
	if n.service != nil {
		sv := n.service(ctx)
		f.ServiceKnown, f.ServiceInstalled, f.ServiceRunning, f.ServiceAtBoot = sv.Known, sv.Installed, sv.Running, sv.AtBoot
	}
	st := n.SyncStatusFresh(ctx)
	f.PendingChanges = st.Pending
	if up := st.Uplink; up != nil {
		f.HasUpstream, f.UpstreamURL = true, up.URL
		if up.LastSuccess != nil {
			f.LastSuccess, f.ClockKnown, f.ClockAhead = *up.LastSuccess, true, time.Duration(up.SkewMs)*time.Millisecond
		}
		f.LastError, f.LastErrorEN, f.LastErrorCode = up.LastError, up.LastErrorEN, up.LastErrorCode
		f.Failures, f.RateBytesPerSecond = up.Failures, up.RateBps
		f.UpstreamRoundTrip, f.UpstreamProbeErr = n.probeUpstream(ctx, up.URL)
		f.UpstreamReachable = f.UpstreamProbeErr == ""
	}
	return f
}

// probeUpstream asks the upstream's /healthz, over the TLS the uplink
// uses (pinned by the token), and times it; the error is in words.
func (n *Node) probeUpstream(ctx context.Context, url string) (time.Duration, string) {
	tr := &http.Transport{}
	if tok, err := trust.ParseEnrollToken(n.cfg.Token); err == nil && !tok.Pin.IsZero() {
		tr.TLSClientConfig = trust.UpstreamConfig(tok.Pin, nil)
	}
	defer tr.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(url, "/")+"/healthz", nil)
	if err != nil {
		return 0, err.Error()
	}
	start := time.Now()
	resp, err := (&http.Client{Transport: tr}).Do(req)
	took := time.Since(start)
	if err != nil {
		return took, probeWords(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return took, fmt.Sprintf("HTTP %d", resp.StatusCode)
	}
	return took, ""
}

// probeWords is a failed probe's error, its innermost cause first.
func probeWords(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 {
		return s[i+2:]
	}
	return s
}

// dirBytes is the bytes of every file under dir.
func dirBytes(dir string) uint64 {
	var n uint64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += uint64(info.Size())
			}
		}
		return nil
	})
	return n
}

// growthPerDay is the store's size over the days since its first change:
// 0 before a day has passed.
func (s *Store) growthPerDay(size uint64, now time.Time) uint64 {
	first, _, err := s.LogRange(0, 1)
	if err != nil || len(first) == 0 {
		return 0
	}
	days := now.Sub(time.UnixMilli(first[0].HLC.Wall)).Hours() / 24
	if days < 1 {
		return 0
	}
	return uint64(float64(size) / days)
}
