package node

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/cockroachdb/pebble/v2"
)

// BenchmarkSerialStoreCreate, BenchmarkSerialHTTP and BenchmarkSerialBare
// measure one writer at a time: the latency of a single intake against a
// bare Pebble Sync commit of about the same bytes.
func BenchmarkSerialStoreCreate(b *testing.B) {
	n := openTestNode(b)
	for i := 0; i < b.N; i++ {
		if _, err := n.Store().CreateComplaint(context.Background(), testInput(i)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSerialBare(b *testing.B) {
	db, err := pebble.Open(b.TempDir(), &pebble.Options{Logger: pebbleLogger{testLogger(b)}})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	val := bytes.Repeat([]byte("v"), 700)
	for i := 0; i < b.N; i++ {
		batch := db.NewBatch()
		for j := 0; j < 12; j++ {
			_ = batch.Set([]byte(fmt.Sprintf("k%d/%d", j, i)), val[:16+684*btoi(j < 2)], nil)
		}
		if err := batch.Commit(pebble.Sync); err != nil {
			b.Fatal(err)
		}
		batch.Close()
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
