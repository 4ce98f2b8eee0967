package testcluster

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
)

var linSeed = flag.Uint64("lin.seed", 0, "replay one seed of TestLinearizable (0: 20 fresh seeds)")

// regOp is one operation on a register: the penduduk.kk figure of one
// desa's monografi, written with PUT and read with ?consistent=true.
type regOp struct {
	Key   string
	Write bool
	Value int
}

var registerModel = porcupine.Model{
	Partition: func(history []porcupine.Operation) [][]porcupine.Operation {
		by := map[string][]porcupine.Operation{}
		for _, op := range history {
			k := op.Input.(regOp).Key
			by[k] = append(by[k], op)
		}
		var out [][]porcupine.Operation
		for _, ops := range by {
			out = append(out, ops)
		}
		return out
	},
	Init: func() any { return 0 },
	Step: func(state, input, output any) (bool, any) {
		in := input.(regOp)
		if in.Write {
			return true, in.Value
		}
		return output.(int) == state.(int), state
	},
	DescribeOperation: func(input, output any) string {
		in := input.(regOp)
		if in.Write {
			return fmt.Sprintf("set %s = %d", in.Key, in.Value)
		}
		return fmt.Sprintf("get %s -> %v", in.Key, output)
	},
}

// TestLinearizable records client histories of writes and consistent
// reads on three registers, sent to every member, while the leader is
// killed and restarted or partitioned away from the others, and checks
// each history with porcupine. 20 seeded runs share one cluster, each on
// registers of its own. A failing run writes its history visualisation
// to a file and prints the seed.
func TestLinearizable(t *testing.T) {
	c := NewCluster(t, 3, ClusterOptions{})
	seeds := make([]uint64, 20)
	for i := range seeds {
		seeds[i] = uint64(time.Now().UnixNano()) + uint64(i)
	}
	if *linSeed != 0 {
		seeds = []uint64{*linSeed}
	}
	for run, seed := range seeds {
		ops := linearizableRun(t, c, run, seed)
		res, info := porcupine.CheckOperationsVerbose(registerModel, ops, 30*time.Second)
		if res != porcupine.Ok {
			path := filepath.Join(os.TempDir(), fmt.Sprintf("lumbung-linearizability-%d.html", seed))
			if err := porcupine.VisualizePath(registerModel, info, path); err != nil {
				t.Log(err)
			}
			t.Fatalf("run %d: history of %d operations is %v; seed %d (replay: go test ./testcluster -run TestLinearizable -lin.seed %d); visualisation in %s",
				run, len(ops), res, seed, seed, path)
		}
	}
}

// linearizableRun runs 6 clients against the cluster for one seeded
// schedule of faults, heals everything, and returns the history.
func linearizableRun(t *testing.T, c *Cluster, run int, seed uint64) []porcupine.Operation {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 7))
	keys := make([]string, 3)
	for i := range keys {
		keys[i] = fmt.Sprintf("32.14.02.%04d", 2001+run*3+i)
	}
	var (
		mu    sync.Mutex
		ops   []porcupine.Operation
		next  atomic.Int64
		stop  = make(chan struct{})
		wg    sync.WaitGroup
		start = time.Now()
	)
	now := func() int64 { return int64(time.Since(start)) }
	for cl := 0; cl < 6; cl++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(seed, uint64(cl)))
			client := &http.Client{Timeout: 5 * time.Second}
			for {
				select {
				case <-stop:
					return
				default:
				}
				m := c.Members[r.IntN(len(c.Members))]
				in := regOp{Key: keys[r.IntN(len(keys))], Write: r.IntN(2) == 0}
				op := porcupine.Operation{ClientId: cl, Input: in, Call: now()}
				if in.Write {
					in.Value = int(next.Add(1))
					op.Input = in
					status := put(client, m.URL+"/api/v1/monografi/"+in.Key+"/2026-S1",
						fmt.Sprintf(`{"values":{"penduduk.kk":%d}}`, in.Value))
					switch {
					case status == http.StatusOK:
						op.Return = now()
					case status >= 400 && status < 500:
						continue // refused: it did not happen
					default:
						op.Return = math.MaxInt64 // may or may not have happened
					}
				} else {
					v, ok := consistentRead(client, m.URL, in.Key)
					if !ok {
						continue
					}
					op.Output, op.Return = v, now()
				}
				mu.Lock()
				ops = append(ops, op)
				mu.Unlock()
			}
		}()
	}
	for step := 0; step < 3; step++ {
		time.Sleep(time.Duration(100+rng.IntN(200)) * time.Millisecond) // let the clients run between faults
		leader := c.Leader(t)
		if rng.IntN(2) == 0 {
			if err := c.Members[leader].Stop(); err != nil {
				t.Fatal(err)
			}
			c.Leader(t)
			if err := c.Members[leader].Start(); err != nil {
				t.Fatal(err)
			}
		} else {
			c.Partition(leader)
			time.Sleep(time.Duration(200+rng.IntN(400)) * time.Millisecond) // hold the partition a while
			c.Heal()
		}
	}
	c.Leader(t)
	close(stop)
	wg.Wait()
	t.Logf("run %d: seed %d, %d operations", run, seed, len(ops))
	return ops
}

func consistentRead(client *http.Client, url, key string) (int, bool) {
	resp, err := client.Get(url + "/api/v1/monografi/" + key + "/2026-S1?consistent=true")
	if err != nil {
		return 0, false
	}
	defer resp.Body.Close()
	var doc struct {
		Values map[string]float64 `json:"values"`
	}
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&doc) != nil {
		return 0, false
	}
	return int(doc.Values["penduduk.kk"]), true
}
