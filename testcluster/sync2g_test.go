package testcluster

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lumbung/lumbung/localcluster"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/replication/exchange"
	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/schema/sample"
	"golang.org/x/sync/errgroup"
)

var (
	cutSeed = flag.Uint64("cut.seed", 0, "replay one run of TestSync2GCuts with this seed")
	cutRuns = flag.Int("cut.runs", 50, "seeded runs of TestSync2GCuts")
)

// cutFrameTime keeps frames small in the cut test, so that one request
// carries several of them and cuts fall between and inside frames.
const cutFrameTime = 500 * time.Millisecond

// TestSync2GCuts: 50 desa sync to one kecamatan, each over its own 2G link
// (64 kbit/s each way, 300 ms + up to 100 ms latency) that is cut one to
// three times at random byte offsets while changes flow both ways. Each
// run checks: every change arrives exactly once; after a cut the desa
// first asks what the kecamatan committed, so what a cut costs (the frame
// it fell inside, or the one frame the kecamatan was committing as the
// link broke) is at most one frame per cut, and without a cut nothing is
// sent twice; the desa holds the kecamatan's answer to its complaint and
// nothing of the 49 other desa.
func TestSync2GCuts(t *testing.T) {
	if testing.Short() {
		t.Skip("2G link runs take about a minute")
	}
	kec := NewCluster(t, 1, ClusterOptions{})
	seeds := make([]uint64, 0, *cutRuns)
	for i := 0; i < *cutRuns; i++ {
		seeds = append(seeds, uint64(1000+i))
	}
	if *cutSeed != 0 {
		seeds = []uint64{*cutSeed}
	}
	var g errgroup.Group
	g.SetLimit(16)
	var mu sync.Mutex
	var cuts, partial, resent int64
	var frames int
	for i, seed := range seeds {
		g.Go(func() error {
			r, err := runCut(t, kec.Members[0], i, seed)
			if err != nil {
				t.Errorf("seed %d: %v\nreplay: go test ./testcluster -run TestSync2GCuts -cut.seed=%d -v", seed, err, seed)
				return nil
			}
			mu.Lock()
			cuts, partial, resent, frames = cuts+r.cuts, partial+r.partial, resent+r.resent, max(frames, r.frame)
			mu.Unlock()
			return nil
		})
	}
	_ = g.Wait()
	if rep, err := kec.Members[0].Node().Store().Check(); err != nil {
		t.Fatalf("kecamatan store: %v", err)
	} else {
		t.Logf("%d runs: %d cuts; kecamatan log %d entries, each change once; bytes lost inside cut frames %d, frames resent whole %d bytes",
			len(seeds), cuts, rep.LogEntries, partial, resent)
	}
}

type cutResult struct {
	cuts, partial, resent int64
	frame                 int
}

func runCut(t *testing.T, kec *Member, i int, seed uint64) (*cutResult, error) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, 1))
	region := schema.Code(fmt.Sprintf("32.14.02.%04d", 2001+i))
	token, err := localcluster.Enroll(kec.URL, region)
	if err != nil {
		return nil, err
	}
	u, _ := url.Parse(kec.URL)
	link, err := localcluster.NewLink(u.Host, localcluster.Profile2G, seed)
	if err != nil {
		return nil, err
	}
	defer link.Close()
	desa, err := localcluster.StartDesa(t.TempDir(), region, DesaOptions{Logger: Logger(t), Upstream: link.URL(), Token: token,
		Uplink: func(c *exchange.UplinkConfig) {
			localcluster.FastUplink(c)
			c.FrameTime, c.ExchangeTime = cutFrameTime, 4*cutFrameTime
		}})
	if err != nil {
		return nil, err
	}
	defer desa.Stop()
	// Enrolled, the laptop syncs once and holds its kecamatan's key
	// before its first complaint (one taken before is sealed again once
	// the key comes down: more changes than this test counts).
	if err := localcluster.Eventually(60*time.Second, "the kecamatan's key at the desa", func() bool {
		to, err := desa.Node().Store().SealsTo()
		return err == nil && len(to) == 2
	}); err != nil {
		return nil, err
	}
	gen := sample.New(seed)
	n := 60 + rng.IntN(60)
	var first string
	for j := 0; j < n; j++ {
		c, err := desa.Node().Store().CreateComplaint(ctx, gen.Complaint(region))
		if err != nil {
			return nil, err
		}
		if first == "" {
			first = c.ID
		}
	}
	// Cut the link one to three times while the changes go up.
	want := 1 + rng.IntN(3)
	for c := 0; c < want; c++ {
		link.CutAt(int64(200 + rng.IntN(9000)))
		// Not a failure when the desa catches up before the cut: the
		// check below counts the cuts that happened.
		_ = localcluster.Eventually(60*time.Second, "the cut", func() bool { return link.Cuts() > int64(c) || desa.PendingUp() <= 0 })
	}
	link.CutAt(0)
	if err := localcluster.Eventually(90*time.Second, "the desa to catch up", func() bool { return desa.PendingUp() == 0 }); err != nil {
		return nil, fmt.Errorf("desa still has %d pending: %w", desa.PendingUp(), err)
	}
	// An answer comes down through the same link.
	act, _ := gen.Action("received")
	if _, err := kec.Node().ActOnComplaint(ctx, first, act); err != nil {
		return nil, err
	}
	if err := localcluster.Eventually(60*time.Second, "the answer at the desa", func() bool {
		c, err := desa.Node().Store().Complaint(first)
		return err == nil && c.Status == "verified"
	}); err != nil {
		return nil, fmt.Errorf("the answer did not reach the desa: %w", err)
	}
	return checkCut(desa, kec, region, link)
}

// checkCut verifies exactly-once delivery and what the cuts cost.
func checkCut(desa, kec *Member, region schema.Code, link *Link) (*cutResult, error) {
	sent, _, err := desa.Node().Store().LogRange(0, 1<<20)
	if err != nil {
		return nil, err
	}
	kst := kec.Node().Store()
	own := 0
	for _, c := range sent {
		if !region.Contains(c.Scope) && !c.Scope.Contains(region) { // its own data, or what came down from above
			return nil, fmt.Errorf("the desa holds change %s/%d of scope %s: another desa's data", c.Origin, c.Seq, c.Scope)
		}
		if c.Origin.Region != region {
			continue
		}
		own++
		// The complaints, and the reporters sealed beside them; the
		// desa's published key and its epochs' keys are counted below.
		kind, id, _ := strings.Cut(c.Entity, "/")
		switch kind {
		case "complaint":
			_, err = kst.Complaint(id)
		case "identity":
			if v, _, herr := kst.HeldIdentity(id); herr != nil || v == nil {
				err = fmt.Errorf("no sealed identity (%v)", herr)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("change %s/%d missing upstream: %w", c.Origin, c.Seq, err)
		}
	}
	var ls *node.LinkStatus
	for _, l := range kec.Node().SyncStatus().Below {
		if l.Region == string(region) {
			ls = &l
		}
	}
	if ls == nil {
		return nil, fmt.Errorf("no link status for %s", region)
	}
	res := &cutResult{cuts: link.Cuts(), partial: ls.PartialBytes, resent: ls.ResentBytes,
		frame: int(localcluster.Profile2G.Rate * cutFrameTime.Seconds())}
	switch {
	case res.cuts == 0 && (ls.ChangesDuplicate != 0 || ls.ResentBytes != 0):
		return res, fmt.Errorf("%d changes (%d bytes) sent again without a cut", ls.ChangesDuplicate, ls.ResentBytes)
	case ls.ChangesApplied != own:
		return res, fmt.Errorf("the kecamatan applied %d changes of %d (desa log %d entries; link %+v)", ls.ChangesApplied, own, len(sent), *ls)
	case ls.PartialBytes+ls.ResentBytes > res.cuts*int64(maxFrameWire()):
		return res, fmt.Errorf("cuts cost %d bytes of partial frames and %d of frames sent again, more than %d cuts × one frame (%d)",
			ls.PartialBytes, ls.ResentBytes, res.cuts, maxFrameWire())
	}
	return res, nil
}

// maxFrameWire bounds the wire size of one uplink frame in the cut test:
// the raw target (eight times the wire target) compressed no worse than 3×.
func maxFrameWire() int { return int(localcluster.Profile2G.Rate*cutFrameTime.Seconds()) * 8 / 3 }
