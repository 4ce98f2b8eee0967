package node

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2"
)

func BenchmarkStoreCreate(b *testing.B) {
	n := openTestNode(b)
	b.SetParallelism(8)
	var i atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := n.Store().CreateComplaint(context.Background(), testInput(int(i.Add(1)))); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkBareSyncCommit commits a batch of about one complaint write's
// size with Sync, from parallel goroutines: the floor for the above.
func BenchmarkBareSyncCommit(b *testing.B) {
	db, err := pebble.Open(b.TempDir(), &pebble.Options{Logger: pebbleLogger{testLogger(b)}})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	val := bytes.Repeat([]byte("v"), 700)
	var i atomic.Int64
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			k := i.Add(1)
			batch := db.NewBatch()
			for j := 0; j < 12; j++ {
				v := val[:16]
				if j < 2 {
					v = val
				}
				_ = batch.Set([]byte(fmt.Sprintf("k%d/%d", j, k)), v, nil)
			}
			if err := batch.Commit(pebble.Sync); err != nil {
				b.Error(err)
			}
			batch.Close()
		}
	})
}

// BenchmarkIntakeSealing takes complaints at a desa, 16 writers, with
// the reporter "sealed" (an office with its key, whose kecamatan and
// kabupaten published theirs: an ordinary reporter is sealed to all
// three, an anonymous one to the desa) beside "clear" (the same work at
// an office with no key, as before identity keys). Beside ns/op it
// reports each complaint's p50 latency.
func BenchmarkIntakeSealing(b *testing.B) {
	for _, anonymous := range []bool{false, true} {
		for _, sealed := range []bool{true, false} {
			name := map[bool]string{true: "anonymous", false: "ordinary"}[anonymous] + "/" +
				map[bool]string{true: "sealed", false: "clear"}[sealed]
			b.Run(name, func(b *testing.B) {
				s := office(b, testDesa)
				if !sealed {
					cfg := DefaultStoreConfig(b.TempDir(), testDesa)
					cfg.Logger = testLogger(b)
					var err error
					if s, err = OpenStore(cfg); err != nil {
						b.Fatal(err)
					}
					b.Cleanup(func() { _ = s.Close() })
				} else {
					ship(b, office(b, testKec), officeKeys, s)
					ship(b, office(b, testKab), officeKeys, s)
				}
				var mu sync.Mutex
				var took []time.Duration
				b.SetParallelism(8)
				var i atomic.Int64
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					var mine []time.Duration
					for pb.Next() {
						in := testInput(int(i.Add(1)))
						in.Reporter = planted
						in.Reporter.Anonymous = anonymous
						t0 := time.Now()
						if _, err := s.CreateComplaint(context.Background(), in); err != nil {
							b.Error(err)
							return
						}
						mine = append(mine, time.Since(t0))
					}
					mu.Lock()
					took = append(took, mine...)
					mu.Unlock()
				})
				b.StopTimer()
				slices.Sort(took)
				if len(took) > 0 {
					b.ReportMetric(float64(took[len(took)/2].Microseconds()), "p50-µs")
				}
			})
		}
	}
}
