package node

import (
	"net"
	"testing"
	"time"

	"github.com/lumbung/lumbung/replication/cluster"
)

// TestClusterNodeClosesAtOnce opens a one-member kecamatan node and closes
// it at once, before or just after it wrote its genesis, several times on
// the same data: Close must return promptly every time, and the node must
// open again on what it left.
func TestClusterNodeClosesAtOnce(t *testing.T) {
	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	raftAddr := ln.Addr().String()
	ln.Close()
	cfg := DefaultConfig(TierKecamatan, "32.14.02")
	cfg.RaftAddr = raftAddr
	settings := cluster.LoopbackSettings()
	for i := 0; i < 5; i++ {
		n, err := Open(dir, cfg, Options{Logger: testLogger(t), Raft: &settings})
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		done := make(chan error, 1)
		go func() { done <- n.Close() }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("close %d: %v", i, err)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("close %d did not return within 20 s", i)
		}
	}
}
