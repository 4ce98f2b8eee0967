package groupcommit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/cockroachdb/pebble/v2/vfs/errorfs"
)

// counter is a test owner: a position every write moves on, saved and
// restored as a store's sequence is, and the marks made durable.
type counter struct {
	mu       sync.Mutex
	pos      uint64
	restores int
	marks    []uint64
	writes   int
}

func (o *counter) Save() uint64 { return o.pos }

func (o *counter) Restore(p uint64) {
	o.pos = p
	o.restores++
}

func (o *counter) Seal(b *pebble.Batch) uint64 {
	_ = b.Set([]byte("meta/pos"), fmt.Appendf(nil, "%d", o.pos), nil)
	return o.pos
}

func (o *counter) Durable(mark uint64, writes int, _ time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.marks = append(o.marks, mark)
	o.writes += writes
}

func open(t *testing.T, fs vfs.FS) (*pebble.DB, *Committer[uint64], *counter) {
	t.Helper()
	db, err := pebble.Open("db", &pebble.Options{FS: fs, Logger: quiet{t}})
	if err != nil {
		t.Fatal(err)
	}
	o := &counter{}
	c := New[uint64](db, Config{Logger: slog.New(slog.NewTextHandler(t.Output(), nil))}, o)
	return db, c, o
}

// quiet keeps Pebble's chatter out of the test log, but not its errors.
type quiet struct{ t testing.TB }

func (quiet) Infof(string, ...any)                {}
func (q quiet) Errorf(format string, args ...any) { q.t.Logf("pebble: "+format, args...) }
func (q quiet) Fatalf(format string, args ...any) { panic(fmt.Sprintf("pebble: "+format, args...)) }

// set is a write of key=value that moves the owner's position on.
func set(o *counter, key string) Write {
	return func(b *pebble.Batch) (any, bool, error) {
		o.pos++
		return key, true, b.Set([]byte(key), []byte("v"), nil)
	}
}

func get(t *testing.T, db *pebble.DB, key string) bool {
	t.Helper()
	_, closer, err := db.Get([]byte(key))
	if errors.Is(err, pebble.ErrNotFound) {
		return false
	}
	if err != nil {
		t.Fatal(err)
	}
	closer.Close()
	return true
}

// TestAcknowledgedIsDurable: a write answered is in the database after a
// crash (the memory filesystem drops whatever was not synced).
func TestAcknowledgedIsDurable(t *testing.T) {
	fs := vfs.NewCrashableMem()
	db, c, o := open(t, fs)
	res, err := c.Do(context.Background(), set(o, "a"))
	if err != nil || res != "a" {
		t.Fatalf("write: %v %v", res, err)
	}
	crashed := fs.CrashClone(vfs.CrashCloneCfg{UnsyncedDataPercent: 0})
	c.Close()
	_ = db.Close()
	db2, err := pebble.Open("db", &pebble.Options{FS: crashed, Logger: quiet{t}})
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if !get(t, db2, "a") {
		t.Fatal("an acknowledged write is gone after the crash")
	}
	if len(o.marks) != 1 || o.marks[0] != 1 {
		t.Fatalf("durable marks %v, want [1]", o.marks)
	}
}

// holdGroup starts a write that holds the leadership until release is
// closed, and waits until want other writes are queued behind it: they
// then all run in the next group, together.
func holdGroup(t *testing.T, c *Committer[uint64], o *counter, release chan struct{}, want int, start func()) {
	t.Helper()
	go func() {
		_, _ = c.Do(context.Background(), func(b *pebble.Batch) (any, bool, error) {
			<-release
			return nil, false, nil
		})
	}()
	deadline := time.Now().Add(10 * time.Second)
	for !c.isLeading() {
		if time.Now().After(deadline) {
			t.Fatal("no leader")
		}
		time.Sleep(time.Millisecond)
	}
	start()
	for c.queued() < want {
		if time.Now().After(deadline) {
			t.Fatalf("%d writes queued, want %d", c.queued(), want)
		}
		time.Sleep(time.Millisecond)
	}
}

func (c *Committer[S]) isLeading() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.leading
}

func (c *Committer[S]) queued() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.queue)
}

// TestPoisonedWriteDropped: in one group, a write that fails after
// writing is refused and leaves nothing; the owner's state is put back
// and the others run again and commit; a write that fails before writing
// costs no rebuild.
func TestPoisonedWriteDropped(t *testing.T) {
	db, c, o := open(t, vfs.NewMem())
	defer db.Close()
	defer c.Close()
	release := make(chan struct{})
	var wg sync.WaitGroup
	errs := make([]error, 4)
	var runs [4]atomic.Int32
	writes := []Write{
		func(b *pebble.Batch) (any, bool, error) { runs[0].Add(1); return set(o, "ok1")(b) },
		func(b *pebble.Batch) (any, bool, error) {
			runs[1].Add(1)
			o.pos++
			_ = b.Set([]byte("poison"), []byte("half"), nil)
			return nil, true, errors.New("checked too late")
		},
		func(b *pebble.Batch) (any, bool, error) {
			runs[2].Add(1)
			return nil, false, errors.New("refused before writing")
		},
		func(b *pebble.Batch) (any, bool, error) { runs[3].Add(1); return set(o, "ok2")(b) },
	}
	holdGroup(t, c, o, release, len(writes), func() {
		for i, w := range writes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = c.Do(context.Background(), w)
			}()
			for c.queued() < i+1 { // queue them in order
				time.Sleep(time.Millisecond)
			}
		}
	})
	close(release)
	wg.Wait()
	if errs[0] != nil || errs[3] != nil || errs[1] == nil || errs[2] == nil {
		t.Fatalf("answers %v", errs)
	}
	if get(t, db, "poison") || !get(t, db, "ok1") || !get(t, db, "ok2") {
		t.Fatal("the poisoned write left something, or a good one is missing")
	}
	if o.pos != 2 || o.restores != 1 {
		t.Fatalf("owner at %d after %d restores, want 2 after 1", o.pos, o.restores)
	}
	if runs[0].Load() != 2 || runs[1].Load() != 1 || runs[3].Load() != 1 {
		t.Fatalf("runs %d %d %d %d: the write before the poisoned one runs again, the others once",
			runs[0].Load(), runs[1].Load(), runs[2].Load(), runs[3].Load())
	}
}

// TestDurableInOrder: writes from many goroutines are each answered once,
// and the marks made durable only grow, ending at the last position.
func TestDurableInOrder(t *testing.T) {
	db, c, o := open(t, vfs.NewMem())
	defer db.Close()
	const n = 400
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Do(context.Background(), set(o, fmt.Sprintf("k%03d", i))); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	c.Close()
	o.mu.Lock()
	defer o.mu.Unlock()
	for i := 1; i < len(o.marks); i++ {
		if o.marks[i] <= o.marks[i-1] {
			t.Fatalf("mark %d after %d", o.marks[i], o.marks[i-1])
		}
	}
	if o.writes != n || o.marks[len(o.marks)-1] != n {
		t.Fatalf("%d writes durable, last mark %d; want %d", o.writes, o.marks[len(o.marks)-1], n)
	}
	t.Logf("%d writes in %d groups", n, len(o.marks))
}

// TestFailedSyncStopsWrites: once a group's fsync fails, its writes are
// refused, the owner's state stays where the last durable group left it,
// and every later write is refused until the database is opened again.
func TestFailedSyncStopsWrites(t *testing.T) {
	var failing atomic.Bool
	fs := errorfs.Wrap(vfs.NewMem(), errorfs.InjectorFunc(func(op errorfs.Op) error {
		sync := op.Kind == errorfs.OpFileSync || op.Kind == errorfs.OpFileSyncData || op.Kind == errorfs.OpFileSyncTo
		if failing.Load() && sync {
			return errorfs.ErrInjected
		}
		return nil
	}))
	db, c, o := open(t, fs)
	if _, err := c.Do(context.Background(), set(o, "before")); err != nil {
		t.Fatal(err)
	}
	failing.Store(true)
	if _, err := c.Do(context.Background(), set(o, "lost")); !errors.Is(err, ErrFailed) {
		t.Fatalf("write during a failing fsync: %v, want ErrFailed", err)
	}
	if _, err := c.Do(context.Background(), set(o, "after")); !errors.Is(err, ErrFailed) || !errors.Is(c.Err(), ErrFailed) {
		t.Fatalf("write after a failed fsync: %v (Err %v), want ErrFailed", err, c.Err())
	}
	if len(o.marks) != 1 {
		t.Fatalf("marks %v: only the first group is durable", o.marks)
	}
	c.Close()
	_ = db.Close()
}

// TestCloseWaitsForWrites: Close returns once every write in flight is
// answered; a write after it is refused with ErrClosed.
func TestCloseWaitsForWrites(t *testing.T) {
	db, c, o := open(t, vfs.NewMem())
	defer db.Close()
	var answered atomic.Int32
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Do(context.Background(), set(o, fmt.Sprintf("k%d", i)))
			if err == nil || errors.Is(err, ErrClosed) {
				answered.Add(1)
			}
		}()
	}
	c.Close()
	if _, err := c.Do(context.Background(), set(o, "late")); !errors.Is(err, ErrClosed) {
		t.Fatalf("write after Close: %v", err)
	}
	wg.Wait()
	if answered.Load() != 50 {
		t.Fatalf("%d of 50 writes answered", answered.Load())
	}
	if o.writes+0 > 50 {
		t.Fatalf("%d writes durable", o.writes)
	}
}
