package testcluster

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/lumbung/lumbung/replication/cluster"
	"github.com/lumbung/lumbung/schema"
)

// processMember is a cluster member run as a `lumbung serve` process.
type processMember struct {
	dir, url, httpAddr string
	proc               *Process
}

func clusterStatus(url string) (*cluster.Status, error) {
	client := &http.Client{Timeout: 2 * time.Second}
	resp, err := client.Get(url + cluster.PathStatus)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var st cluster.Status
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %s", resp.Status)
	}
	return &st, json.NewDecoder(resp.Body).Decode(&st)
}

// TestLeaderSIGKILL runs a 3-member cluster as three `lumbung serve`
// processes under a stream of writes sent to every member, and over 10
// seeded rounds kills the leader's process with SIGKILL, waits for a new
// leader, keeps writing, and restarts the killed member on its data. After
// each round every acknowledged write is on every member.
func TestLeaderSIGKILL(t *testing.T) {
	bin := Binary(t)
	base := t.TempDir()
	members := make([]*processMember, 3)
	for i := range members {
		m := &processMember{dir: filepath.Join(base, "m"+strconv.Itoa(i)), httpAddr: FreeAddr(t)}
		m.url = "http://" + m.httpAddr
		args := []string{"init", "--data", m.dir, "--tier", "kecamatan", "--region", "32.14.02",
			"--http", m.httpAddr, "--raft", FreeAddr(t)}
		if i > 0 {
			args = append(args, "--join", members[0].url)
		}
		Run(t, args...)
		members[i] = m
	}
	start := func(m *processMember) {
		p, err := Launch(bin, m.dir, "--http", m.httpAddr, "--raft-timeout", "300ms")
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
	// leader waits until every running member names the same leader,
	// other than members[exclude] (-1: any), and returns its index.
	leader := func(exclude int) int {
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
	var mu sync.Mutex
	acked := map[string]string{}
	count := func() int { mu.Lock(); defer mu.Unlock(); return len(acked) }
	rounds := 10
	if testing.Short() {
		rounds = 3
	}
	for round := 0; round < rounds; round++ {
		seed := *leaderSeed
		if seed == 0 {
			seed = uint64(time.Now().UnixNano())
		}
		t.Logf("round %d: seed %d (replay: go test ./testcluster -run TestLeaderSIGKILL -leader.seed %d)", round, seed, seed)
		rng := rand.New(rand.NewPCG(seed, 1))
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				client := &http.Client{Timeout: 20 * time.Second}
				wr := rand.New(rand.NewPCG(seed, uint64(w)+2))
				for k := 0; ; k++ {
					select {
					case <-stop:
						return
					default:
					}
					title := fmt.Sprintf("p%d w%d #%d", round, w, k)
					if id, ok := postComplaint(client, members[wr.IntN(3)].url, title); ok {
						mu.Lock()
						acked[id] = title
						mu.Unlock()
					}
				}
			}()
		}
		want := count() + 10 + rng.IntN(40)
		waitFor(t, func() bool { return count() >= want }, 60*time.Second, "acknowledged writes")
		old := leader(-1)
		members[old].proc.Kill()
		members[old].proc = nil
		leader(old)
		want = count() + 10 + rng.IntN(40)
		waitFor(t, func() bool { return count() >= want }, 60*time.Second, "writes under the new leader")
		start(members[old])
		close(stop)
		wg.Wait()
		verifyProcesses(t, members, acked)
	}
	t.Logf("%d complaints acknowledged, all on every member", len(acked))
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
	client := &http.Client{Timeout: 10 * time.Second}
	for i, m := range members {
		for id, title := range acked {
			resp, err := client.Get(m.url + "/api/v1/complaints/" + id)
			if err != nil {
				t.Fatal(err)
			}
			var c schema.Complaint
			err = json.NewDecoder(resp.Body).Decode(&c)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || err != nil || c.Title != title {
				t.Fatalf("member %d: acknowledged complaint %s (%s) answered %s, title %q", i, id, title, resp.Status, c.Title)
			}
		}
	}
}
