package raftstore

import (
	"bufio"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/hashicorp/raft"
)

// TestCrashKeepsStoredLogs runs a writer in a child process (this test
// binary, re-executed), kills it with SIGKILL after a random number of
// acknowledged StoreLogs calls, reopens the store and checks that every
// acknowledged entry and term is there. Ten rounds on the same directory.
func TestCrashKeepsStoredLogs(t *testing.T) {
	if os.Getenv("RAFTSTORE_CRASH_CHILD") != "" {
		crashChild(os.Getenv("RAFTSTORE_CRASH_CHILD"))
		return
	}
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewSource(seed))
	dir := t.TempDir()
	var acked uint64
	for round := 0; round < 10; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashKeepsStoredLogs$")
		cmd.Env = append(os.Environ(), "RAFTSTORE_CRASH_CHILD="+dir)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		target := 5 + rng.Intn(60)
		sc := bufio.NewScanner(out)
		for n := 0; n < target && sc.Scan(); n++ {
			i, err := strconv.ParseUint(sc.Text(), 10, 64)
			if err != nil {
				continue // the test framework's own output
			}
			acked = max(acked, i)
		}
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		s := open(t, dir)
		last, _ := s.LastIndex()
		if last < acked {
			t.Fatalf("round %d: last index %d, but %d was acknowledged", round, last, acked)
		}
		first, _ := s.FirstIndex()
		for i := first; i <= acked; i++ {
			var l raft.Log
			if err := s.GetLog(i, &l); err != nil {
				t.Fatalf("round %d: acknowledged entry %d: %v", round, i, err)
			}
			if l.Term != i {
				t.Fatalf("round %d: entry %d has term %d", round, i, l.Term)
			}
		}
		if term, _ := s.GetUint64([]byte("CurrentTerm")); term < acked {
			t.Fatalf("round %d: CurrentTerm %d below acknowledged %d", round, term, acked)
		}
		s.Close()
	}
	t.Logf("10 kills, %d entries acknowledged and kept", acked)
}

// crashChild appends entries (term = index) and the matching CurrentTerm,
// printing each index once both calls returned, until it is killed.
func crashChild(dir string) {
	s, err := Open(dir, Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	next, _ := s.LastIndex()
	for {
		next++
		var batch []*raft.Log
		for i := next; i < next+3; i++ {
			batch = append(batch, &raft.Log{Index: i, Term: i, Type: raft.LogCommand, Data: make([]byte, 200)})
		}
		next += 2
		if s.StoreLogs(batch) != nil || s.SetUint64([]byte("CurrentTerm"), next) != nil {
			os.Exit(3)
		}
		fmt.Println(next)
	}
}
