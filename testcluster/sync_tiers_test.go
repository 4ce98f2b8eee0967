package testcluster

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lumbung/lumbung/client"
	"github.com/lumbung/lumbung/localcluster"
	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/schema/sample"
)

// TestOfflineMonthAcrossTiers: a desa offline for 30 days takes 3,000
// complaints and a semester of monografi; its link comes back and it
// catches up in one session, through a three-member kecamatan cluster
// whose leader is killed in the middle of the exchange, while the
// kecamatan keeps taking its own writes. The kecamatan forwards its whole
// log to a kabupaten cluster. At the end: every change is held exactly
// once on every kecamatan member and at the kabupaten, the kabupaten's
// state equals the kecamatan's, and nothing was echoed back down.
func TestOfflineMonthAcrossTiers(t *testing.T) {
	kab := NewCluster(t, 1, ClusterOptions{Region: "32.14"})
	kabToken, err := localcluster.Enroll(kab.Members[0].URL, "32.14.02")
	if err != nil {
		t.Fatal(err)
	}
	kec := NewCluster(t, 3, ClusterOptions{Upstream: kab.Members[0].URL, Token: kabToken, Uplink: localcluster.FastUplink})
	const region = schema.Code("32.14.02.2001")
	token, err := localcluster.Enroll(kec.Members[0].URL, region)
	if err != nil {
		t.Fatal(err)
	}
	// The desa reaches the kecamatan's members through one shaped link
	// each (latency of a mobile link, a rate that keeps the test short).
	var links []*Link
	var urls []string
	for _, m := range kec.Members {
		u, _ := url.Parse(m.URL)
		l, err := localcluster.NewLink(u.Host, Shape{Rate: 64 << 10, Latency: 150 * time.Millisecond}, 1)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(l.Close)
		links, urls = append(links, l), append(urls, l.URL())
	}
	desa, err := localcluster.StartDesa(t.TempDir(), region, DesaOptions{Logger: Logger(t), Upstream: strings.Join(urls, ","), Token: token,
		Uplink: localcluster.FastUplink})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = desa.Stop() })
	Enrolled(t, desa, 3) // synced once after enrolment
	for _, l := range links {
		l.SetDown(true) // offline for the month
	}

	// A month offline: 3,000 complaints and the semester's monografi.
	month := time.Now()
	offline(t, desa, region, 3000)
	t.Logf("desa took 3,000 complaints and a semester's monografi offline in %s", time.Since(month).Round(time.Millisecond))

	// The kecamatan keeps taking its own writes throughout, through its
	// members' HTTP API (a stopped member refuses the connection).
	kecClients := make([]*client.Client, len(kec.Members))
	for i, m := range kec.Members {
		kecClients[i] = apiClient(t, m.URL)
	}
	var kecWrites atomic.Int64
	stop := make(chan struct{})
	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		gen := sample.New(77)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := kecClients[i%3].CreateComplaint(context.Background(), gen.Complaint("32.14.02.2002")); err == nil {
				kecWrites.Add(1)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}()

	// The link comes back; once part of the month is up, the leader dies.
	start := time.Now()
	for _, l := range links {
		l.SetDown(false)
	}
	leader := Leader(t, kec)
	waitFor(t, func() bool { return kec.Members[leader].Node().Store().DurablePos() > 1000 }, 60*time.Second,
		"a third of the month committed upstream")
	// Kill, not a graceful stop: its link drops first, so an exchange in
	// flight through it breaks instead of being allowed to finish.
	links[leader].SetDown(true)
	if err := kec.Members[leader].Stop(); err != nil {
		t.Fatal(err)
	}
	if desa.PendingUp() == 0 {
		t.Fatal("the desa finished before the leader was stopped: the test did not stop it mid-exchange")
	}
	t.Logf("stopped kecamatan leader %d with %d changes not yet acknowledged", leader, desa.PendingUp())
	waitFor(t, func() bool { return desa.PendingUp() == 0 }, 120*time.Second, "the desa to catch up")
	t.Logf("desa caught up %s after its link came back (leader killed on the way)", time.Since(start).Round(time.Millisecond))
	if err := kec.Members[leader].Start(); err != nil {
		t.Fatal(err)
	}
	links[leader].SetDown(false)
	close(stop)
	<-writerDone

	// Every kecamatan member, then the kabupaten, holds everything once.
	want := WaitClusterConverged(t, kec)
	waitFor(t, func() bool {
		d, _ := kab.Members[0].Node().Store().StateDigest()
		return d == want
	}, 60*time.Second, "the kabupaten to hold what the kecamatan holds")
	desaLog, _, _ := desa.Node().Store().LogRange(0, 1<<20)
	// The desa's own: 3,000 complaints and 2 monografi writes, beside the
	// reporters sealed apart (with their epochs' keys) and its office key.
	own, core := countFrom(desaLog, region), 0
	for _, c := range desaLog {
		if c.Origin.Region == region && (strings.HasPrefix(c.Entity, "complaint/") || strings.HasPrefix(c.Entity, "monografi/")) {
			core++
		}
	}
	for i, m := range append(kec.Members, kab.Members[0]) {
		rep, err := m.Node().Store().Check()
		if err != nil {
			t.Fatalf("member %d: %v", i, err)
		}
		if got := rep.Origins[desa.Node().Store().Origin().String()]; got != uint64(own) {
			t.Fatalf("member %d holds %d changes of the desa, want %d", i, got, own)
		}
	}
	t.Logf("kecamatan took %d writes of its own meanwhile; kabupaten converged", kecWrites.Load())
	if core != 3002 {
		t.Fatalf("the desa's log holds %d complaint and monografi changes of its own, want 3,002 (something came back as its own?)", core)
	}
}

func offline(t *testing.T, desa *Member, region schema.Code, n int) {
	ctx := context.Background()
	st := desa.Node().Store()
	gen := sample.New(30)
	for i := 0; i < n; i++ {
		if _, err := st.CreateComplaint(ctx, gen.Complaint(region)); err != nil {
			t.Fatal(err)
		}
	}
	p, _ := monografi.ParsePeriod("2026-S1")
	values := localcluster.Entry(1)
	if _, err := st.SetMonografi(ctx, region, p, "operator", values); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SubmitMonografi(ctx, region, p, "kades"); err != nil {
		t.Fatal(fmt.Errorf("submit: %w", err))
	}
}

func countFrom(cs []*schema.Change, r schema.Code) int {
	n := 0
	for _, c := range cs {
		if c.Origin.Region == r {
			n++
		}
	}
	return n
}
