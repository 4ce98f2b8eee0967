package testcluster

import (
	"context"
	"fmt"
	"math/rand/v2"
	neturl "net/url"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/lumbung/lumbung/client"
	"github.com/lumbung/lumbung/localcluster"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/replication/cluster"
)

// processMember is a cluster member run as a `lumbung serve` process.
type processMember struct {
	dir, url, httpAddr, raftAddr string
	proc                         *Process
}

// initProcessMembers makes the data directories of an n-member
// kecamatan cluster with bin's init: the first bootstraps it, the others
// join it.
func initProcessMembers(t *testing.T, bin string, n int) []*processMember {
	t.Helper()
	base := t.TempDir()
	members := make([]*processMember, n)
	for i := range members {
		m := &processMember{dir: filepath.Join(base, "m"+strconv.Itoa(i)), httpAddr: FreeAddr(t), raftAddr: FreeAddr(t)}
		m.url = "http://" + m.httpAddr
		args := []string{"init", "--data", m.dir, "--tier", "kecamatan", "--region", "32.14.02",
			"--http", m.httpAddr, "--raft", m.raftAddr}
		if i > 0 {
			key, err := node.LoadMemberKey(members[0].dir)
			if err != nil {
				t.Fatal(err)
			}
			args = append(args, "--join", members[0].raftAddr, "--member-key", key)
		}
		if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
			t.Fatalf("%s init: %v\n%s", bin, err, out)
		}
		members[i] = m
	}
	return members
}

// hireProcessCluster: one member's first serve made the cluster's first
// admin and printed the password; the cluster's staff are hired through
// it and known at every member.
func hireProcessCluster(t *testing.T, members []*processMember) {
	t.Helper()
	var first *processMember
	waitFor(t, func() bool {
		for _, m := range members {
			if _, ok := localcluster.FirstAdminPassword(m.proc.Output()); ok {
				first = m
			}
		}
		return first != nil
	}, 30*time.Second, "a member to print the first admin's password")
	officers := hire(t, first.proc, "")
	for _, m := range members {
		localcluster.Register(m.url, officers)
	}
}

// processLeader waits until every running member but members[exclude]
// (-1: none) names the same leader, other than the excluded one, and
// returns its index.
func processLeader(t *testing.T, members []*processMember, exclude int) int {
	t.Helper()
	found := -1
	waitFor(t, func() bool {
		for i, m := range members {
			if i == exclude {
				continue
			}
			st, err := clusterStatus(m.url)
			if err != nil || st.Leader == "" || (exclude >= 0 && st.Leader == members[exclude].url) {
				return false
			}
			for j, o := range members {
				if o.url == st.Leader {
					found = j
				}
			}
		}
		return found >= 0
	}, 30*time.Second, "a leader")
	return found
}

func clusterStatus(url string) (*cluster.Status, error) {
	c, err := client.New(url, client.Options{HTTP: adminClient(2 * time.Second)})
	if err != nil {
		return nil, err
	}
	return c.ClusterStatus(context.Background())
}

// TestLeaderSIGKILL runs a 3-member cluster as three `lumbung serve`
// processes under a stream of writes sent to every member, and over 10
// seeded rounds kills the leader's process with SIGKILL, waits for a new
// leader, keeps writing, and restarts the killed member on its data. After
// each round every acknowledged write is on every member.
func TestLeaderSIGKILL(t *testing.T) {
	t.Parallel() // mostly waiting on elections and restarts: it overlaps the other kill tests
	bin := Binary(t)
	members := initProcessMembers(t, bin, 3)
	start := func(m *processMember) {
		p, err := localcluster.Launch(bin, m.dir, "--http", m.httpAddr, "--raft-timeout", "300ms")
		if err != nil {
			t.Fatal(err)
		}
		m.proc = p
	}
	for _, m := range members {
		start(m)
	}
	t.Cleanup(func() {
		for _, m := range members {
			if m.proc != nil {
				m.proc.Kill()
			}
		}
	})
	hireProcessCluster(t, members)
	// leader waits until every running member names the same leader,
	// other than members[exclude] (-1: any), and returns its index.
	leader := func(exclude int) int { return processLeader(t, members, exclude) }
	urls := make([]string, len(members))
	for i, m := range members {
		urls[i] = m.url
	}
	w := &writers{acked: map[string]string{}}
	rounds := 10
	if testing.Short() {
		rounds = 3
	}
	for round := 0; round < rounds; round++ {
		seed := roundSeed(t, round)
		rng := rand.New(rand.NewPCG(seed, 1))
		startWriters(urls, 4, seed, fmt.Sprintf("p%d", round), w)
		want := w.count() + 10 + rng.IntN(40)
		waitFor(t, func() bool { return w.count() >= want }, 60*time.Second, "acknowledged writes")
		old := leader(-1)
		members[old].proc.Kill()
		members[old].proc = nil
		leader(old)
		want = w.count() + 10 + rng.IntN(40)
		waitFor(t, func() bool { return w.count() >= want }, 60*time.Second, "writes under the new leader")
		start(members[old])
		w.stop()
		verifyProcesses(t, members, w.acked)
	}
	t.Logf("%d complaints acknowledged, all on every member", w.count())
}

// verifyProcesses waits until every member has applied the same index,
// then reads every acknowledged complaint from every member.
func verifyProcesses(t *testing.T, members []*processMember, acked map[string]string) {
	t.Helper()
	waitFor(t, func() bool {
		var applied uint64
		for i, m := range members {
			st, err := clusterStatus(m.url)
			if err != nil || (i > 0 && st.AppliedIndex != applied) {
				return false
			}
			applied = st.AppliedIndex
		}
		return true
	}, 30*time.Second, "members applied the same index")
	for i, m := range members {
		held := map[string]string{}
		cl := apiClient(t, m.url)
		cursor := ""
		for {
			page, err := cl.Complaints(t.Context(), neturl.Values{"limit": {"500"}, "cursor": {cursor}})
			if err != nil {
				t.Fatalf("member %d: list: %v", i, err)
			}
			for _, c := range page.Complaints {
				held[c.ID] = c.Title
			}
			if cursor = page.Next; cursor == "" {
				break
			}
		}
		for id, title := range acked {
			if held[id] != title {
				t.Fatalf("member %d: acknowledged complaint %s (%s): holds %q", i, id, title, held[id])
			}
		}
	}
}
