package testcluster

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/lumbung/lumbung/localcluster"
	"github.com/lumbung/lumbung/service"
)

// procManager is the service manager of an upgrade test: it runs the
// installed binary as a real `lumbung serve` process on a fixed address
// (Start), and stops it as systemctl stop or the Windows service manager
// would, with a signal and a wait for the store to close (Stop). It
// stands in for systemd and the Windows service manager, which do not run
// here; what it starts is the real binary on the real data.
type procManager struct {
	bin, data, addr string
	flags           []string
	mu              sync.Mutex
	proc            *Process
}

func (m *procManager) Start(context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.proc != nil {
		return nil
	}
	p, err := localcluster.Launch(m.bin, m.data, append([]string{"--http", m.addr}, m.flags...)...)
	if err != nil {
		return err
	}
	m.proc = p
	return nil
}

func (m *procManager) Stop(context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.proc != nil {
		m.proc.Stop()
		m.proc = nil
	}
	return nil
}

func (m *procManager) url() string { return "http://" + m.addr }

func (m *procManager) ready(context.Context) error {
	return localcluster.WaitReady(m.url(), 100*time.Millisecond)
}

// buildOf is the release and commit the node at url says it is.
func buildOf(t *testing.T, url string) string {
	t.Helper()
	info, err := apiClient(t, url).Node(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return info.Build.Release + " " + info.Build.Commit
}

// copyBinary installs src as dst, executable.
func copyBinary(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o755); err != nil {
		t.Fatal(err)
	}
}

// TestUpgradeInPlace: a desa laptop installed with the previous release
// (built from git) takes a complaint; the current release is installed
// over it (service.Upgrade: stop, keep the old binary and a copy of the
// data, replace, start, wait until ready): it runs on the same data and
// every complaint is there. Then a release that cannot become ready is
// installed over that: the upgrade rolls back, the current release runs
// again on the data as it was, and the desa goes on taking complaints.
func TestUpgradeInPlace(t *testing.T) {
	prev, release := PreviousBinary(t)
	cur := Binary(t)
	dir := t.TempDir()
	installed, data := filepath.Join(dir, "lumbung"), filepath.Join(dir, "data")
	copyBinary(t, prev, installed)
	out, err := exec.Command(installed, "init", "--data", data, "--tier", "desa", "--region", crashDesa).CombinedOutput()
	if err != nil {
		t.Fatalf("%s init: %v\n%s", release, err, out)
	}
	m := &procManager{bin: installed, data: data, addr: FreeAddr(t)}
	if err := m.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Stop(context.Background()) })
	localcluster.Register(m.url(), hire(t, m.proc, string(out)))
	before := buildOf(t, m.url())
	first := takeComplaint(t, m.url(), crashDesa)

	steps := []string{}
	up := &service.Upgrade{Binary: installed, New: cur, DataDir: data, Manager: m, Ready: m.ready,
		Wait: time.Minute, Poll: 100 * time.Millisecond, Step: func(s string) { steps = append(steps, s) }}
	if err := up.Run(t.Context()); err != nil {
		t.Fatalf("upgrade from %s: %v (steps %v)\n%s", release, err, steps, m.proc.Log())
	}
	after := buildOf(t, m.url())
	if after == before {
		t.Fatalf("still %s after the upgrade", before)
	}
	if !hasComplaint(apiClient(t, m.url()), first) {
		t.Fatalf("the complaint taken by %s is gone after the upgrade", release)
	}
	if _, err := os.Stat(data + ".before-upgrade"); !os.IsNotExist(err) {
		t.Errorf("the copy of the data stays after a good upgrade: %v", err)
	}
	t.Logf("upgraded %s → %s in place: %v", before, after, steps)
	second := takeComplaint(t, m.url(), crashDesa)

	// A release that cannot become ready: it exits at once, as a binary
	// for the wrong machine or one that refuses the store would.
	broken := filepath.Join(dir, "broken")
	if err := os.WriteFile(broken, []byte("#!/bin/sh\necho 'lumbung: this release cannot start' >&2\nexit 3\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	steps = nil
	up = &service.Upgrade{Binary: installed, New: broken, DataDir: data, Manager: m, Ready: m.ready,
		Wait: 10 * time.Second, Poll: 100 * time.Millisecond, Step: func(s string) { steps = append(steps, s) }}
	err = up.Run(t.Context())
	if !errors.Is(err, service.ErrRolledBack) {
		t.Fatalf("an upgrade to a release that cannot start: %v, want rolled back (steps %v)", err, steps)
	}
	t.Logf("rolled back: %v (steps %v)", err, steps)
	want, _ := os.ReadFile(cur)
	if got, _ := os.ReadFile(installed); !bytes.Equal(got, want) {
		t.Fatal("the installed binary is not the previous one after the rollback")
	}
	if got := buildOf(t, m.url()); got != after {
		t.Fatalf("after the rollback the node runs %s, want %s", got, after)
	}
	cl := apiClient(t, m.url())
	for _, id := range []string{first, second, takeComplaint(t, m.url(), crashDesa)} {
		if !hasComplaint(cl, id) {
			t.Errorf("complaint %s missing after the rollback", id)
		}
	}
}

// TestRollingClusterUpgrade: a three-member kecamatan cluster runs the
// previous release (built from git) as three `lumbung serve` processes
// under a stream of writes sent to every member. One member at a time,
// followers first and the leader last, is stopped and started again with
// the current release on its data. No acknowledged write is lost, and the
// longest time without any write acknowledged stays under the bound of
// one election.
func TestRollingClusterUpgrade(t *testing.T) {
	prev, release := PreviousBinary(t)
	cur := Binary(t)
	const raftTimeout = 500 * time.Millisecond
	// One election: a follower notices the leader gone within one to two
	// heartbeat timeouts, then a candidate wins within one to two election
	// timeouts; a stop is clean, so a leader steps down at once (at worst
	// all four).
	election := 4 * raftTimeout
	members := initProcessMembers(t, prev, 3)
	start := func(m *processMember, bin string) {
		p, err := localcluster.Launch(bin, m.dir, "--http", m.httpAddr, "--raft-timeout", raftTimeout.String())
		if err != nil {
			t.Fatal(err)
		}
		m.proc = p
	}
	for _, m := range members {
		start(m, prev)
	}
	t.Cleanup(func() {
		for _, m := range members {
			if m.proc != nil {
				m.proc.Kill()
			}
		}
	})
	hireProcessCluster(t, members)
	urls := make([]string, len(members))
	for i, m := range members {
		urls[i] = m.url
	}
	before := buildOf(t, members[0].url)
	w := &writers{acked: map[string]string{}}
	gaps := watchGaps(w)
	startWriters(urls, 4, 1, "upgrade", w)
	waitFor(t, func() bool { return w.count() >= 30 }, time.Minute, "writes on the previous release")

	lead := processLeader(t, members, -1)
	order := []int{}
	for i := range members {
		if i != lead {
			order = append(order, i)
		}
	}
	order = append(order, lead)
	gaps.reset()
	for _, i := range order {
		m := members[i]
		m.proc.Stop()
		m.proc = nil
		start(m, cur)
		if got := buildOf(t, m.url); got == before {
			t.Fatalf("member %d still runs %s", i, got)
		}
		want := w.count() + 20
		waitFor(t, func() bool { return w.count() >= want }, time.Minute, "writes after upgrading member "+strconv.Itoa(i))
	}
	w.stop()
	longest := gaps.stop()
	verifyProcesses(t, members, w.acked)
	t.Logf("%s → current, member by member %v: %d writes acknowledged, all on every member; longest time without an acknowledged write %s (bound: one election, %s)",
		release, order, w.count(), longest.Round(time.Millisecond), election)
	if longest > election {
		t.Errorf("writes were refused for %s, longer than one election (%s)", longest, election)
	}
}

// gapWatch measures the longest time between two acknowledged writes.
type gapWatch struct {
	mu      sync.Mutex
	last    time.Time
	longest time.Duration
	done    chan struct{}
	wg      sync.WaitGroup
}

// watchGaps samples w's count every 10 ms and keeps the longest span in
// which it did not grow.
func watchGaps(w *writers) *gapWatch {
	g := &gapWatch{last: time.Now(), done: make(chan struct{})}
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		seen := w.count()
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-g.done:
				return
			case now := <-tick.C:
				n := w.count()
				g.mu.Lock()
				if n != seen {
					seen, g.last = n, now
				} else if d := now.Sub(g.last); d > g.longest {
					g.longest = d
				}
				g.mu.Unlock()
			}
		}
	}()
	return g
}

func (g *gapWatch) reset() {
	g.mu.Lock()
	g.last, g.longest = time.Now(), 0
	g.mu.Unlock()
}

func (g *gapWatch) stop() time.Duration {
	close(g.done)
	g.wg.Wait()
	return g.longest
}
