package node

import (
	"bytes"
	"context"
	"fmt"
	"sync/atomic"
	"testing"

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

// BenchmarkStoreCreateAnonymous takes anonymous complaints as
// BenchmarkStoreCreate takes complaints: "sealed" in an office with its
// identity key (each reporter sealed under the run's epoch, the first one
// also sealing the epoch's key), beside "clear", the same work in an
// office with no key (as before identity keys).
func BenchmarkStoreCreateAnonymous(b *testing.B) {
	for _, sealed := range []bool{true, false} {
		name := map[bool]string{true: "sealed", false: "clear"}[sealed]
		b.Run(name, func(b *testing.B) {
			n := openTestNode(b)
			if sealed {
				if _, _, err := n.AddFirstAdmin(context.Background()); err != nil {
					b.Fatal(err)
				}
			}
			b.SetParallelism(8)
			var i atomic.Int64
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					in := testInput(int(i.Add(1)))
					in.Reporter.Anonymous, in.Reporter.Phone = true, "081299990022"
					if _, err := n.Store().CreateComplaint(context.Background(), in); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
