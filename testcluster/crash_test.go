package testcluster

import (
	"context"
	"flag"
	"fmt"
	"math/rand"
	"net/http"
	neturl "net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lumbung/lumbung/client"
	"github.com/lumbung/lumbung/internal/staff"
	"github.com/lumbung/lumbung/localcluster"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/schema"
)

const crashDesa = "32.14.02.2001"

var crashSeed = flag.Int64("crash.seed", 0, "seed of TestCrashNeverLosesAcknowledgedWrites (0: from the clock)")

// acked records every write a client saw acknowledged.
type acked struct {
	mu         sync.Mutex
	complaints map[string]string // tracking number -> title
	kk         map[float64]bool  // monografi values of penduduk.kk
	total      atomic.Int64
}

// TestCrashNeverLosesAcknowledgedWrites runs a real `lumbung serve`,
// writes complaints and monografi from several clients as fast as they
// go, kills the process with SIGKILL after a random number of
// acknowledged writes, restarts it on the same data, 20 times. Every write
// answered 201/200 must be there, none twice, with sequence numbers
// without gaps, and the store must open cleanly every time. It runs for a
// desa node and for a one-member kecamatan cluster, whose writes go
// through raft.
func TestCrashNeverLosesAcknowledgedWrites(t *testing.T) {
	t.Parallel() // mostly waiting on elections and restarts: it overlaps the other kill tests
	t.Run("desa", func(t *testing.T) {
		crashRounds(t, []string{"--tier", "desa", "--region", crashDesa}, nil)
	})
	t.Run("kecamatan-one-member", func(t *testing.T) {
		addr, raftAddr := FreeAddr(t), FreeAddr(t)
		crashRounds(t, []string{"--tier", "kecamatan", "--region", "32.14.02", "--http", addr, "--raft", raftAddr},
			[]string{"--http", addr, "--raft-timeout", "300ms"})
	})
}

func crashRounds(t *testing.T, initArgs, serveFlags []string) {
	seed := *crashSeed
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	t.Logf("seed %d (rerun with -crash.seed=%d; kill timing also depends on the machine)", seed, seed)
	rng := rand.New(rand.NewSource(seed))
	dir := t.TempDir()
	printed := Run(t, append([]string{"init", "--data", dir}, initArgs...)...)
	a := &acked{complaints: map[string]string{}, kk: map[float64]bool{}}
	var kk atomic.Int64
	const rounds = 20
	var officers *staff.Staff
	start := func() *Process {
		p, err := localcluster.Launch(Binary(t), dir, serveFlags...)
		if err != nil {
			t.Fatal(err)
		}
		if officers == nil {
			officers = hire(t, p, printed)
		}
		localcluster.Register(p.URL, officers) // a desa serves on a new port each start
		return p
	}
	for round := 0; round < rounds; round++ {
		p := start()
		target := a.total.Load() + 20 + rng.Int63n(150)
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for w := 0; w < 8; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				writeUntilStopped(p.URL, fmt.Sprintf("r%d-w%d", round, w), a, &kk, stop)
			}(w)
		}
		waitFor(t, func() bool { return a.total.Load() >= target }, 60*time.Second, "acknowledged writes")
		p.Kill()
		close(stop)
		wg.Wait()
	}
	t.Logf("%d rounds, %d complaints and %d monografi writes acknowledged", rounds, len(a.complaints), len(a.kk))
	p := start()
	verifyAcked(t, p.URL, a)
	p.Kill()
	verifyStore(t, dir, len(a.complaints)+len(a.kk))
}

func writeUntilStopped(url, tag string, a *acked, kk *atomic.Int64, stop <-chan struct{}) {
	client := operator()
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		default:
		}
		if i%5 == 4 {
			k := float64(kk.Add(1))
			if putMonografi(client, url, map[string]float64{"penduduk.kk": k}) {
				a.mu.Lock()
				a.kk[k] = true
				a.mu.Unlock()
				a.total.Add(1)
			}
			continue
		}
		title := "Pengaduan uji " + tag + "-" + fmt.Sprint(i)
		if id, ok := postComplaint(client, url, title); ok {
			a.mu.Lock()
			a.complaints[id] = title
			a.mu.Unlock()
			a.total.Add(1)
		}
	}
}

// postComplaint takes a complaint titled title at the node at url and
// returns its tracking number once acknowledged.
func postComplaint(hc *http.Client, url, title string) (string, bool) {
	c, err := client.New(url, client.Options{HTTP: hc})
	if err != nil {
		return "", false
	}
	x, err := c.CreateComplaint(context.Background(), &schema.ComplaintInput{Region: crashDesa, Channel: "walk_in",
		Category: "lingkungan", Title: title, Description: "Sampah menumpuk di saluran air dekat pasar desa.",
		Reporter: schema.Reporter{Name: "Ujang Suryana"}})
	if err != nil {
		return "", false
	}
	return x.ID, true
}

// putMonografi enters values for crashDesa's 2026-S1 at the node at url
// and reports whether it was acknowledged.
func putMonografi(hc *http.Client, url string, values map[string]float64) bool {
	c, err := client.New(url, client.Options{HTTP: hc})
	if err != nil {
		return false
	}
	_, err = c.SetMonografi(context.Background(), crashDesa, "2026-S1", "", values)
	return err == nil
}

// verifyAcked checks through the API that every acknowledged write is
// present, and that no complaint was stored twice.
func verifyAcked(t *testing.T, url string, a *acked) {
	t.Helper()
	cl := apiClient(t, url)
	titles := map[string]int{}
	cursor := ""
	for {
		page, err := cl.Complaints(t.Context(), neturl.Values{"limit": {"500"}, "cursor": {cursor}})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page.Complaints {
			titles[c.Title]++
			if titles[c.Title] > 1 {
				t.Errorf("complaint %q stored twice", c.Title)
			}
		}
		if page.Next == "" {
			break
		}
		cursor = page.Next
	}
	for id, title := range a.complaints {
		if titles[title] != 1 {
			t.Errorf("acknowledged complaint %s (%q) is missing", id, title)
		}
	}
	doc, err := cl.Monografi(t.Context(), crashDesa, "2026-S1")
	if err != nil {
		t.Fatal(err)
	}
	inHistory := map[float64]bool{}
	for _, e := range doc.History {
		if v, ok := e.Values["penduduk.kk"]; ok {
			inHistory[v] = true
		}
	}
	for k := range a.kk {
		if !inHistory[k] {
			t.Errorf("acknowledged monografi value penduduk.kk=%v is missing", k)
		}
	}
}

// verifyStore opens the store in-process and checks its invariants:
// log positions and sequence numbers without gaps, each change once.
func verifyStore(t *testing.T, dir string, minLocal int) {
	t.Helper()
	cfg, err := node.LoadConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := node.OpenStore(node.DefaultStoreConfig(node.StoreDir(dir), cfg.Region))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rep, err := st.Check()
	if err != nil {
		t.Fatal(err)
	}
	if rep.LocalChanges < uint64(minLocal) {
		t.Fatalf("store holds %d local changes, fewer than the %d acknowledged", rep.LocalChanges, minLocal)
	}
	t.Logf("store check: %d log entries, %d local changes", rep.LogEntries, rep.LocalChanges)
}

// apiClient is a client of the node at url, acting as its operator.
func apiClient(t testing.TB, url string) *client.Client {
	t.Helper()
	c, err := client.New(url, client.Options{HTTP: operator()})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// waitFor is Eventually with the condition first, as these tests read.
func waitFor(t *testing.T, cond func() bool, within time.Duration, what string) {
	t.Helper()
	Eventually(t, within, what, cond)
}
