package cluster

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// countingState is a memState that counts entries and commands.
type countingState struct {
	memState
	mu       sync.Mutex
	entries  atomic.Int64
	commands atomic.Int64
}

func (c *countingState) Apply(index uint64, wall int64, cmds [][]byte) ([][]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries.Add(1)
	c.commands.Add(int64(len(cmds)))
	out, err := c.memState.Apply(index, wall, cmds)
	for i := range out {
		out[i] = append([]byte("ok:"), cmds[i]...)
	}
	return out, err
}

func (c *countingState) Applied() (uint64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.applied, nil
}

func loopbackAddr(t testing.TB) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestProposalsAreGrouped proposes 400 commands from 64 goroutines to a
// one-member cluster over real TCP: each gets its own result, and they
// travel in far fewer raft entries than commands (group commit).
func TestProposalsAreGrouped(t *testing.T) {
	c, sm := oneMember(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	var failed atomic.Value
	for g := 0; g < 64; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 400/64+1; i++ {
				cmd := fmt.Sprintf("g%d-%d;", g, i)
				res, err := c.Propose(ctx, []byte(cmd))
				if err == nil && string(res.Data) != "ok:"+cmd {
					err = fmt.Errorf("command %q answered %q", cmd, res.Data)
				}
				if err != nil {
					failed.CompareAndSwap(nil, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		t.Fatal(err)
	}
	entries, commands := sm.entries.Load(), sm.commands.Load()
	if commands != 64*(400/64+1) {
		t.Fatalf("%d commands applied, want %d", commands, 64*(400/64+1))
	}
	// Ungrouped, every command is an entry. Grouping gives 3–5 commands
	// per entry here depending on the machine's load; at least 2 on
	// average says it works without failing on a busy machine.
	if entries*2 > commands {
		t.Fatalf("%d commands took %d raft entries: proposals were not grouped", commands, entries)
	}
	t.Logf("%d commands in %d raft entries (%.1f per entry)", commands, entries, float64(commands)/float64(entries))
}

// TestReadIndexesShareBarriers: 64 concurrent readers each get an index
// no older than the last write committed before they asked, and they
// share raft barrier entries: far fewer than one per read.
func TestReadIndexesShareBarriers(t *testing.T) {
	c, sm := oneMember(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	before := c.raft.LastIndex()
	const readers, reads = 64, 10
	var wg sync.WaitGroup
	var failed atomic.Value
	for g := 0; g < readers; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < reads; i++ {
				res, err := c.Propose(ctx, []byte(fmt.Sprintf("w%d-%d;", g, i)))
				if err != nil {
					failed.CompareAndSwap(nil, err)
					return
				}
				idx, err := c.ReadIndex(ctx)
				if err == nil && idx < res.Index {
					err = fmt.Errorf("read index %d is older than the write committed at %d", idx, res.Index)
				}
				if err != nil {
					failed.CompareAndSwap(nil, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		t.Fatal(err)
	}
	barriers := c.raft.LastIndex() - before - uint64(sm.entries.Load())
	if barriers*2 > readers*reads {
		t.Fatalf("%d reads took %d barrier entries: they were not shared", readers*reads, barriers)
	}
	t.Logf("%d reads in %d barrier entries", readers*reads, barriers)
}

// oneMember opens a one-member cluster over real TCP and waits for it to
// lead; it closes at the test's end.
func oneMember(t *testing.T) (*Cluster, *countingState) {
	t.Helper()
	sm := &countingState{}
	c, err := Open(Config{ID: "http://127.0.0.1:1", RaftAddr: loopbackAddr(t), Dir: t.TempDir(), Bootstrap: true, MemberKey: NewMemberKey(),
		Settings: LoopbackSettings(), Logger: slog.New(slog.DiscardHandler)}, sm)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := c.WaitLeader(ctx); err != nil {
		t.Fatal(err)
	}
	return c, sm
}

// TestProposeBodyBounded: a proposal larger than MaxEntryBytes, even from
// a member, is refused before raft sees it (the review fsynced 5 MB of
// junk into a raft log with 20 requests); the log does not grow.
func TestProposeBodyBounded(t *testing.T) {
	c, sm := oneMember(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := c.Propose(ctx, []byte("first;")); err != nil {
		t.Fatal(err)
	}
	before := c.raft.LastIndex()
	big := make([]byte, c.cfg.Settings.MaxEntryBytes+1)
	_, _, err := c.post(ctx, c.cfg.RaftAddr, PathPropose, "application/octet-stream", big)
	if err == nil || !strings.Contains(err.Error(), "413") {
		t.Fatalf("a proposal of %d bytes: %v, want 413", len(big), err)
	}
	if c.raft.LastIndex() != before || sm.commands.Load() != 1 {
		t.Fatalf("the log grew to %d from %d, %d commands applied", c.raft.LastIndex(), before, sm.commands.Load())
	}
}
