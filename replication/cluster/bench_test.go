package cluster

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"
)

// threeMembers opens a 3-member cluster over loopback, raft over mutual
// TLS or, when plain, over plain TCP (to measure what TLS costs), and
// returns its leader.
func threeMembers(tb testing.TB, plain bool) *Cluster {
	tb.Helper()
	key := NewMemberKey()
	open := func(i int, bootstrap bool) *Cluster {
		c, err := Open(Config{ID: fmt.Sprintf("http://127.0.0.1:%d", 10+i), RaftAddr: loopbackAddr(tb), Dir: tb.TempDir(),
			Bootstrap: bootstrap, MemberKey: key, Settings: LoopbackSettings(), Logger: slog.New(slog.DiscardHandler),
			plainRaft: plain}, &countingState{})
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { _ = c.Close() })
		return c
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	leader := open(0, true)
	if _, err := leader.WaitLeader(ctx); err != nil {
		tb.Fatal(err)
	}
	for i := 1; i < 3; i++ {
		m := open(i, false)
		if err := leader.Join(ctx, m.cfg.ID, m.cfg.RaftAddr); err != nil {
			tb.Fatal(err)
		}
	}
	return leader
}

// BenchmarkReplicatedPropose proposes 300-byte commands from 64
// goroutines at the leader of a 3-member cluster, each answered once a
// quorum committed it: raft over mutual TLS beside the same over plain
// TCP, in the same run (BENCHMARKS.md, "Cluster members over TLS").
func BenchmarkReplicatedPropose(b *testing.B) {
	for _, mode := range []struct {
		name  string
		plain bool
	}{{"mTLS", false}, {"plain", true}} {
		b.Run(mode.name, func(b *testing.B) {
			leader := threeMembers(b, mode.plain)
			cmd := make([]byte, 300)
			ctx := context.Background()
			b.SetParallelism(32) // 64 proposers on 2 cores
			b.ResetTimer()
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := leader.Propose(ctx, cmd); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "proposals/s")
		})
	}
}
