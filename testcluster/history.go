package testcluster

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/lumbung/lumbung/client"
	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/schema"
)

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

// History records what clients of one cluster saw: writes of a register
// (a desa's penduduk.kk figure) and consistent reads of it, sent to any
// member, while faults happen around them. Stop ends the clients; Check
// then asks porcupine whether the history is linearizable.
type History struct {
	mu   sync.Mutex
	ops  []porcupine.Operation
	stop chan struct{}
	wg   sync.WaitGroup
}

// Record starts clients goroutines that write and read keys (desa codes
// no desa node writes) on random members of c, pausing pause between
// operations, until Stop. next numbers the written values, so that every
// write of a run is distinct.
func Record(c *Cluster, keys []string, clients int, seed uint64, pause time.Duration, next *atomic.Int64) *History {
	h := &History{stop: make(chan struct{})}
	start := time.Now()
	now := func() int64 { return int64(time.Since(start)) }
	for cl := 0; cl < clients; cl++ {
		h.wg.Add(1)
		go func() {
			defer h.wg.Done()
			r := rand.New(rand.NewPCG(seed, uint64(cl)))
			hc := operator()
			hc.Timeout = 5 * time.Second
			defer hc.CloseIdleConnections()
			for {
				select {
				case <-h.stop:
					return
				case <-time.After(pause):
				}
				if op, ok := registerOp(hc, c.Members[r.IntN(len(c.Members))], r, keys, cl, now, next); ok {
					h.mu.Lock()
					h.ops = append(h.ops, op)
					h.mu.Unlock()
				}
			}
		}()
	}
	return h
}

// registerOp takes one operation and reports whether it belongs in the
// history (a refused write or a failed read did not happen).
func registerOp(hc *http.Client, m *Member, r *rand.Rand, keys []string, cl int, now func() int64,
	next *atomic.Int64) (porcupine.Operation, bool) {
	in := regOp{Key: keys[r.IntN(len(keys))], Write: r.IntN(2) == 0}
	op := porcupine.Operation{ClientId: cl, Call: now()}
	c, err := client.New(m.URL, client.Options{HTTP: hc})
	if err != nil {
		return op, false
	}
	if !in.Write {
		doc, err := c.Consistent().Monografi(context.Background(), schema.Code(in.Key), registerPeriod)
		v := 0
		if err == nil {
			v = int(doc.Values["penduduk.kk"])
		}
		op.Input, op.Output, op.Return = in, v, now()
		return op, err == nil
	}
	in.Value = int(next.Add(1))
	op.Input = in
	_, err = c.SetMonografi(context.Background(), schema.Code(in.Key), registerPeriod, "",
		map[string]float64{"penduduk.kk": float64(in.Value)})
	var refused *client.Error
	switch {
	case err == nil:
		op.Return = now()
	case errors.As(err, &refused) && refused.Status < 500:
		return op, false // refused: it did not happen
	default:
		op.Return = math.MaxInt64 // may or may not have happened
	}
	return op, true
}

// registerPeriod is the period whose documents hold the registers.
const registerPeriod = monografi.Period("2026-S1")

// Stop ends the clients and returns the history.
func (h *History) Stop() []porcupine.Operation {
	close(h.stop)
	h.wg.Wait()
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.ops
}

// CheckLinearizable asks porcupine whether ops are linearizable (within
// 30 s). When they are not, it writes the visualisation to a file named
// after name and returns an error naming it.
func CheckLinearizable(ops []porcupine.Operation, name string) error {
	res, info := porcupine.CheckOperationsVerbose(registerModel, ops, 30*time.Second)
	switch res {
	case porcupine.Ok:
		return nil
	case porcupine.Unknown:
		return fmt.Errorf("porcupine could not decide on %d operations within 30 s", len(ops))
	}
	path := filepath.Join(os.TempDir(), "lumbung-linearizability-"+name+".html")
	if err := porcupine.VisualizePath(registerModel, info, path); err != nil {
		return fmt.Errorf("history of %d operations is not linearizable (and its visualisation failed: %w)", len(ops), err)
	}
	return fmt.Errorf("history of %d operations is not linearizable; visualisation in %s", len(ops), path)
}
