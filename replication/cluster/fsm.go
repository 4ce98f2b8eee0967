package cluster

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/raft"
)

// StateMachine is the node's state as the cluster replicates it. The
// cluster calls Apply, Snapshot and Restore from raft's one FSM goroutine,
// never concurrently with each other; Applied may be called from any
// goroutine. A Snapshot's WriteTo runs on another goroutine, concurrently
// with later Apply calls.
type StateMachine interface {
	// Apply applies the commands of the committed entry at index, in
	// order, as one atomic and durable write, and returns one result per
	// command. It must be deterministic: the same state, index, wall and
	// commands give the same new state and results on every member. A
	// command that is refused (bad input, a rule of the model) is a result
	// that says so, not an error. An index at or below Applied() is a
	// replay and must change nothing. An error means the state store can
	// no longer write; the cluster then stops the member.
	Apply(index uint64, wall int64, cmds [][]byte) ([][]byte, error)
	// Applied returns the index of the last entry whose effect is durable.
	Applied() (uint64, error)
	// Snapshot captures the state as it is now.
	Snapshot() (Snapshot, error)
	// Restore replaces the whole state with what a Snapshot wrote, durably;
	// afterwards Applied returns the snapshot's index. If it fails or the
	// process dies during it, Applied must report 0 until a Restore completes.
	Restore(r io.Reader) error
}

// Snapshot is a point-in-time state to be written out.
type Snapshot interface {
	// WriteTo writes the whole state; Restore reads it back.
	WriteTo(w io.Writer) (int64, error)
	// Release frees the snapshot.
	Release()
}

// snapshotMagic opens every snapshot this package writes, followed by the
// state's applied index (8 bytes, big-endian), then the state machine's bytes.
const snapshotMagic = "LMBSNAP1"

// fsm adapts a StateMachine to raft.FSM and tracks the last command index
// the state machine applied, so readers can wait for it.
type fsm struct {
	sm StateMachine

	mu      sync.Mutex
	applied uint64
	changed chan struct{} // closed and replaced whenever applied moves

	restores atomic.Uint64 // snapshots restored since start
}

func newFSM(sm StateMachine) (*fsm, error) {
	applied, err := sm.Applied()
	if err != nil {
		return nil, fmt.Errorf("cluster: read applied index: %w", err)
	}
	return &fsm{sm: sm, applied: applied, changed: make(chan struct{})}, nil
}

// response is what Apply returns to raft for one entry.
type response struct {
	results [][]byte
	err     error
}

// Apply implements raft.FSM.
func (f *fsm) Apply(l *raft.Log) any {
	e, err := decodeEntry(l.Data)
	if err != nil {
		// A damaged entry is refused the same way on every member.
		f.advance(l.Index)
		return &response{err: err}
	}
	results, err := f.sm.Apply(l.Index, e.wall, e.cmds)
	if err != nil {
		// The state store cannot write: carrying on would let this
		// member's state silently fall behind its log. Stop the process;
		// on restart raft replays the entry.
		panic(fmt.Sprintf("cluster: state store failed applying entry %d: %v", l.Index, err))
	}
	f.advance(l.Index)
	return &response{results: results}
}

func (f *fsm) advance(index uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if index > f.applied {
		f.applied = index
	}
	close(f.changed)
	f.changed = make(chan struct{})
}

// appliedIndex returns the last applied command index and a channel that
// is closed when it moves.
func (f *fsm) appliedIndex() (uint64, <-chan struct{}) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.applied, f.changed
}

// Snapshot implements raft.FSM.
func (f *fsm) Snapshot() (raft.FSMSnapshot, error) {
	applied, err := f.sm.Applied()
	if err != nil {
		return nil, fmt.Errorf("cluster: snapshot: %w", err)
	}
	s, err := f.sm.Snapshot()
	if err != nil {
		return nil, fmt.Errorf("cluster: snapshot: %w", err)
	}
	return &fsmSnapshot{s: s, applied: applied}, nil
}

// Restore implements raft.FSM.
func (f *fsm) Restore(rc io.ReadCloser) error {
	defer rc.Close()
	br := bufio.NewReaderSize(rc, 1<<20)
	applied, err := readSnapshotHeader(br)
	if err != nil {
		return err
	}
	if err := f.sm.Restore(br); err != nil {
		return fmt.Errorf("cluster: restore: %w", err)
	}
	f.restores.Add(1)
	f.mu.Lock()
	f.applied = applied
	close(f.changed)
	f.changed = make(chan struct{})
	f.mu.Unlock()
	return nil
}

func readSnapshotHeader(r io.Reader) (uint64, error) {
	var head [len(snapshotMagic) + 8]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return 0, fmt.Errorf("%w: header: %w", ErrBadSnapshot, err)
	}
	if string(head[:len(snapshotMagic)]) != snapshotMagic {
		return 0, fmt.Errorf("%w: not a Lumbung snapshot", ErrBadSnapshot)
	}
	return binary.BigEndian.Uint64(head[len(snapshotMagic):]), nil
}

type fsmSnapshot struct {
	s       Snapshot
	applied uint64
}

// Persist implements raft.FSMSnapshot.
func (s *fsmSnapshot) Persist(sink raft.SnapshotSink) error {
	var head [len(snapshotMagic) + 8]byte
	copy(head[:], snapshotMagic)
	binary.BigEndian.PutUint64(head[len(snapshotMagic):], s.applied)
	bw := bufio.NewWriterSize(sink, 1<<20)
	_, err := bw.Write(head[:])
	if err == nil {
		_, err = s.s.WriteTo(bw)
	}
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		_ = sink.Cancel()
		return fmt.Errorf("cluster: persist snapshot: %w", err)
	}
	return sink.Close()
}

// Release implements raft.FSMSnapshot.
func (s *fsmSnapshot) Release() { s.s.Release() }

// restoreOnStart decides whether raft must restore the newest snapshot
// when the member starts. The state store is durable on its own (every
// Apply is), so normally it is not restored: a restart costs nothing
// however large the state. It must be restored when the store is behind
// the newest snapshot: a restore was cut short, or the process died
// between raft saving an installed snapshot and the restore.
func restoreOnStart(snaps raft.SnapshotStore, sm StateMachine) (bool, error) {
	list, err := snaps.List()
	if err != nil || len(list) == 0 {
		return false, err
	}
	_, rc, err := snaps.Open(list[0].ID)
	if err != nil {
		return false, fmt.Errorf("cluster: open snapshot %s: %w", list[0].ID, err)
	}
	defer rc.Close()
	snapApplied, err := readSnapshotHeader(rc)
	if err != nil {
		return false, err
	}
	applied, err := sm.Applied()
	if err != nil {
		return false, err
	}
	return applied < snapApplied, nil
}
