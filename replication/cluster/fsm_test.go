package cluster

import (
	"bytes"
	"io"
	"testing"

	"github.com/hashicorp/raft"
)

// memState is a StateMachine of bytes, for testing the adapter alone.
type memState struct {
	data    []byte
	applied uint64
}

func (m *memState) Apply(index uint64, wall int64, cmds [][]byte) ([][]byte, error) {
	if index <= m.applied {
		return make([][]byte, len(cmds)), nil
	}
	for _, c := range cmds {
		m.data = append(m.data, c...)
	}
	m.applied = index
	return make([][]byte, len(cmds)), nil
}
func (m *memState) Applied() (uint64, error) { return m.applied, nil }
func (m *memState) Snapshot() (Snapshot, error) {
	return memSnap(append([]byte(nil), m.data...)), nil
}
func (m *memState) Restore(r io.Reader) error {
	b, err := io.ReadAll(r)
	m.data = b
	return err
}

type memSnap []byte

func (s memSnap) WriteTo(w io.Writer) (int64, error) { n, err := w.Write(s); return int64(n), err }
func (s memSnap) Release()                           {}

// TestRestoreOnStart checks the rule that decides whether raft restores
// the newest snapshot when a member starts: only when the state store is
// behind the state the snapshot holds.
func TestRestoreOnStart(t *testing.T) {
	snaps, err := raft.NewFileSnapshotStore(t.TempDir(), 2, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	sm := &memState{}
	if got, err := restoreOnStart(snaps, sm); err != nil || got {
		t.Fatalf("no snapshot: restore=%v (%v), want false", got, err)
	}
	f, _ := newFSM(sm)
	f.Apply(&raft.Log{Index: 7, Data: (&entry{cmds: [][]byte{[]byte("abc")}}).encode()})
	fs, err := f.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	sink, err := snaps.Create(raft.SnapshotVersionMax, 9, 1, raft.Configuration{}, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := fs.Persist(sink); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		applied uint64
		want    bool
	}{{7, false}, {12, false}, {6, true}, {0, true}} {
		sm.applied = c.applied
		if got, err := restoreOnStart(snaps, sm); err != nil || got != c.want {
			t.Errorf("store at %d, snapshot of state at 7: restore=%v (%v), want %v", c.applied, got, err, c.want)
		}
	}
	// The snapshot restores what was applied, and its index.
	_, rc, _ := snaps.Open(mustList(t, snaps)[0].ID)
	other := &memState{}
	of, _ := newFSM(other)
	if err := of.Restore(rc); err != nil {
		t.Fatal(err)
	}
	if idx, _ := of.appliedIndex(); idx != 7 || !bytes.Equal(other.data, []byte("abc")) {
		t.Fatalf("restored %q at %d, want \"abc\" at 7", other.data, idx)
	}
	if err := of.Restore(io.NopCloser(bytes.NewReader([]byte("garbage!garbage!")))); err == nil {
		t.Fatal("a stream that is not a snapshot was restored")
	}
}

func mustList(t *testing.T, s raft.SnapshotStore) []*raft.SnapshotMeta {
	l, err := s.List()
	if err != nil || len(l) == 0 {
		t.Fatalf("list snapshots: %v %v", l, err)
	}
	return l
}
