package raftstore

import (
	"bytes"
	"errors"
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2"
	"github.com/hashicorp/raft"
)

func open(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func entry(i, term uint64) *raft.Log {
	return &raft.Log{Index: i, Term: term, Type: raft.LogCommand, Data: []byte{byte(i), byte(term), 7},
		Extensions: []byte("x"), AppendedAt: time.Unix(1_790_000_000, int64(i))}
}

func TestEmptyStore(t *testing.T) {
	s := open(t, t.TempDir())
	defer s.Close()
	first, _ := s.FirstIndex()
	last, _ := s.LastIndex()
	if first != 0 || last != 0 {
		t.Errorf("empty store: first %d last %d, want 0 0", first, last)
	}
	var l raft.Log
	if err := s.GetLog(1, &l); !errors.Is(err, raft.ErrLogNotFound) {
		t.Errorf("GetLog on empty store: %v, want raft.ErrLogNotFound", err)
	}
	if v, err := s.Get([]byte("CurrentTerm")); err != nil || len(v) != 0 {
		t.Errorf("Get of an unset key: %q %v", v, err)
	}
	if n, err := s.GetUint64([]byte("CurrentTerm")); err != nil || n != 0 {
		t.Errorf("GetUint64 of an unset key: %d %v", n, err)
	}
}

// TestBehavesLikeInmemStore runs the same seeded random operations on this
// store and on raft's own InmemStore, reopening ours now and then, and
// compares every answer.
func TestBehavesLikeInmemStore(t *testing.T) {
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewSource(seed))
	dir := t.TempDir()
	s := open(t, dir)
	defer func() { s.Close() }()
	model := raft.NewInmemStore()
	next, term := uint64(1), uint64(1)
	for step := 0; step < 400; step++ {
		switch op := rng.Intn(10); {
		case op < 5: // append a batch
			var batch []*raft.Log
			for i := 0; i < 1+rng.Intn(20); i++ {
				batch = append(batch, entry(next, term))
				next++
			}
			must(t, s.StoreLogs(batch), model.StoreLogs(batch))
		case op == 5: // compaction: drop a prefix
			first, _ := model.FirstIndex()
			last, _ := model.LastIndex()
			if last > first {
				hi := first + uint64(rng.Int63n(int64(last-first)))
				must(t, s.DeleteRange(first, hi), model.DeleteRange(first, hi))
			}
		case op == 6: // conflict: truncate a suffix, new term
			first, _ := model.FirstIndex()
			last, _ := model.LastIndex()
			if last > first {
				lo := first + 1 + uint64(rng.Int63n(int64(last-first)))
				must(t, s.DeleteRange(lo, last), model.DeleteRange(lo, last))
				next, term = lo, term+1
			}
		case op == 7:
			must(t, s.SetUint64([]byte("CurrentTerm"), term), model.SetUint64([]byte("CurrentTerm"), term))
			must(t, s.Set([]byte("LastVoteCand"), []byte{byte(step)}), model.Set([]byte("LastVoteCand"), []byte{byte(step)}))
		case op == 8: // restart
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			s = open(t, dir)
		}
		compare(t, step, s, model)
	}
}

func must(t *testing.T, errs ...error) {
	t.Helper()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

func compare(t *testing.T, step int, s *Store, m *raft.InmemStore) {
	t.Helper()
	f1, _ := s.FirstIndex()
	f2, _ := m.FirstIndex()
	l1, _ := s.LastIndex()
	l2, _ := m.LastIndex()
	if f1 != f2 || l1 != l2 {
		t.Fatalf("step %d: first/last %d/%d, inmem %d/%d", step, f1, l1, f2, l2)
	}
	for i := f2; i <= l2+1 && i < f2+50; i++ {
		var a, b raft.Log
		e1, e2 := s.GetLog(i, &a), m.GetLog(i, &b)
		if (e1 == nil) != (e2 == nil) {
			t.Fatalf("step %d index %d: err %v, inmem %v", step, i, e1, e2)
		}
		if e1 == nil && (a.Term != b.Term || a.Type != b.Type || !bytes.Equal(a.Data, b.Data) ||
			!bytes.Equal(a.Extensions, b.Extensions) || !a.AppendedAt.Equal(b.AppendedAt)) {
			t.Fatalf("step %d index %d: %+v, inmem %+v", step, i, a, b)
		}
	}
	v1, _ := s.GetUint64([]byte("CurrentTerm"))
	v2, _ := m.GetUint64([]byte("CurrentTerm"))
	c1, _ := s.Get([]byte("LastVoteCand"))
	c2, _ := m.Get([]byte("LastVoteCand"))
	if v1 != v2 || !bytes.Equal(c1, c2) {
		t.Fatalf("step %d: stable %d %q, inmem %d %q", step, v1, c1, v2, c2)
	}
}

func FuzzDecodeLog(f *testing.F) {
	f.Add(encodeLog(entry(3, 2)))
	f.Add(encodeLog(&raft.Log{}))
	f.Add([]byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, b []byte) {
		var l raft.Log
		if decodeLog(9, b, &l) != nil {
			return
		}
		var again raft.Log
		if err := decodeLog(9, encodeLog(&l), &again); err != nil {
			t.Fatalf("re-encoding a decoded entry: %v", err)
		}
		if again.Term != l.Term || !bytes.Equal(again.Data, l.Data) || !bytes.Equal(again.Extensions, l.Extensions) {
			t.Fatalf("round trip changed the entry: %+v vs %+v", l, again)
		}
	})
}

// TestNewerEntryRefused: an entry in a layout a newer release writes is
// refused as newer, naming both layouts, and never read as this one; a
// store holding one says so from GetLog.
func TestNewerEntryRefused(t *testing.T) {
	newer := encodeLog(entry(4, 2))
	newer[0] = codecVersion + 1
	var l raft.Log
	err := decodeLog(4, newer, &l)
	if !errors.Is(err, ErrNewer) || errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "layout 2") {
		t.Fatalf("a newer entry: %v, want ErrNewer naming its layout", err)
	}
	damaged := encodeLog(entry(4, 2))
	damaged[0] = 0
	if err := decodeLog(4, damaged, &l); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("a damaged entry: %v, want ErrCorrupt", err)
	}
	s, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.db.Set(logKey(4), newer, pebble.Sync); err != nil {
		t.Fatal(err)
	}
	if err := s.GetLog(4, &l); !errors.Is(err, ErrNewer) {
		t.Fatalf("GetLog of a newer entry: %v", err)
	}
}
