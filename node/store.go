package node

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/bloom"
	"github.com/cockroachdb/pebble/v2/sstable"
	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/lumbung/lumbung/internal/groupcommit"
	"github.com/lumbung/lumbung/schema"
)

// StoreConfig says how to open a node's state store.
type StoreConfig struct {
	// Dir is the Pebble directory.
	Dir string
	// Region is the node's own region: the Region of every change it writes.
	Region schema.Code
	// FS is the filesystem; nil means the operating system's. Tests use
	// vfs.NewMem or an error-injecting FS.
	FS vfs.FS
	// CacheBytes is Pebble's block cache. Pebble allocates it outside the
	// Go heap, so it counts in RSS: 8 MiB keeps a desa laptop with 4 GB
	// comfortable and still holds the hot indexes.
	CacheBytes int64
	// MemTableBytes is the size of one memtable. Pebble reserves it up
	// front but the pages count in RSS only as they fill; 16 MiB keeps
	// flushes and compactions rare under a burst of intake.
	MemTableBytes uint64
	// MaxGroup bounds how many writes share one fsync.
	MaxGroup int
	// NoSync commits groups without waiting for fsync. Only a cluster
	// member's store sets it: there raft's log, fsynced on a quorum, is the
	// durable record, a write is acknowledged once committed there, and
	// entries the store lost in a crash are replayed from the log. The
	// store is synced before every raft snapshot (syncWAL), so the log is
	// never compacted past what the store holds on disk.
	NoSync bool
	// Now reads the wall clock; tests inject a fake one.
	Now func() time.Time
	// Logger receives the store's and Pebble's messages.
	Logger *slog.Logger
	// private says the caller made Dir private already (Open, which makes
	// the whole data directory so): OpenStore does not walk it again.
	private bool
	// plainTables writes tables uncompressed, so a test can look for
	// bytes in the files themselves.
	plainTables bool
}

// DefaultStoreConfig returns the settings for a 4 GB desa laptop.
func DefaultStoreConfig(dir string, region schema.Code) StoreConfig {
	return StoreConfig{Dir: dir, Region: region, CacheBytes: 8 << 20, MemTableBytes: 16 << 20,
		MaxGroup: 256, Now: time.Now, Logger: slog.Default()}
}

// Store is a node's state: the Pebble database holding changes, the log,
// materialised entities and indexes. Reads may run on any goroutine;
// writes go through do, which runs them one at a time, in groups that
// each commit with one fsync (package groupcommit).
type Store struct {
	cfg    StoreConfig
	db     *pebble.DB
	origin atomic.Pointer[schema.Origin] // changed only by a write (cluster genesis, restore)

	// Owned by the current group leader (see do): the writer state.
	clock *schema.Clock
	seq   uint64
	pos   uint64
	// authDirty is set when the group being built writes an account or a
	// session; authGen moves on once such a group is durable, so the
	// node's cache of sessions knows to read them again.
	authDirty bool
	authGen   atomic.Uint64
	// keysDirty and keysGen do the same for the identity keys an intake
	// seals to (the office's, and those published from above).
	keysDirty bool
	keysGen   atomic.Uint64
	// onKeys, if set, is called (without blocking) when a write of a key
	// is durable and when the office's key is unlocked.
	onKeys      atomic.Pointer[func()]
	hasOfficers atomic.Bool // the store holds an account (HasOfficers)

	durable atomic.Uint64 // last log position whose commit returned from fsync
	gc      *groupcommit.Committer[writerState]
	regions atomic.Int64 // entries in the imported region list
	genesis atomic.Bool  // the store holds a cluster genesis (keyGenesis)

	// changed is closed and replaced each time the log grows (Changed).
	changedMu sync.Mutex
	changed   chan struct{}
	// clockFix is added to the wall clock local changes are stamped with:
	// the correction learned from the upstream (ObserveSkew).
	clockFix   atomic.Int64
	clockReset atomic.Bool
	// futureChanges counts received changes stamped too far ahead.
	futureChanges atomic.Int64

	closeOnce sync.Once
	onCommit  func(writes int, d time.Duration)

	// The monografi aggregates (see MonografiAggregate): aggGen moves on
	// whenever the region list or the whole store is replaced, which makes
	// the aggregates start again from scratch.
	aggGen atomic.Uint64
	aggMu  sync.Mutex
	aggs   map[aggKey]*periodAgg

	catMu sync.Mutex
	cats  catMemo

	// keys is the office's identity key in memory (keyring.go).
	keys keyring
}

// OpenStore opens (or creates) the store in cfg.Dir. A new store gets a
// new random incarnation.
func OpenStore(cfg StoreConfig) (*Store, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MaxGroup <= 0 {
		cfg.MaxGroup = 256
	}
	if !cfg.Region.Valid() {
		return nil, fmt.Errorf("node: store region %q: %w", cfg.Region, schema.ErrInvalid)
	}
	if cfg.FS == nil && !cfg.private {
		if err := KeepPrivate(cfg.Dir); err != nil {
			return nil, err
		}
	}
	cache := pebble.NewCache(cfg.CacheBytes)
	defer cache.Unref()
	opts := &pebble.Options{
		Cache:                       cache,
		MemTableSize:                cfg.MemTableBytes,
		MemTableStopWritesThreshold: 4,
		// Let L0 grow a little before compacting: a burst of intake then
		// costs fewer, larger compactions (about 10% more throughput).
		L0CompactionThreshold: 8,
		L0StopWritesThreshold: 32,
		LBaseMaxBytes:         256 << 20,
		MaxOpenFiles:          256,
		FS:                    cfg.FS,
		Logger:                pebbleLogger{cfg.Logger},
	}
	// Bloom filters let a point lookup (dedupe of a change, a state read)
	// skip the tables that cannot hold the key.
	for i := range opts.Levels {
		opts.Levels[i].FilterPolicy = bloom.FilterPolicy(10)
		if cfg.plainTables {
			opts.Levels[i].Compression = func() *sstable.CompressionProfile { return sstable.NoCompression }
		}
	}
	if err := checkFormat(cfg.Dir, opts); err != nil {
		return nil, err
	}
	db, err := pebble.Open(cfg.Dir, opts)
	if err != nil {
		return nil, fmt.Errorf("node: open store %s: %w", cfg.Dir, err)
	}
	s := &Store{cfg: cfg, db: db}
	s.gc = groupcommit.New(db, groupcommit.Config{MaxGroup: cfg.MaxGroup, NoSync: cfg.NoSync, Logger: cfg.Logger},
		committer{s})
	if err := s.migrate(); err != nil {
		_ = db.Close()
		return nil, err
	}
	if err := s.load(); err != nil {
		_ = db.Close()
		return nil, err
	}
	if err := s.refold(); err != nil {
		_ = s.Close()
		return nil, err
	}
	return s, nil
}

// load reads the node's metadata, making an incarnation for a new store.
func (s *Store) load() error {
	inc, _, err := s.get(keyIncarnation)
	if err != nil {
		return err
	}
	if inc == nil {
		if err := s.setIncarnation(NewIncarnation()); err != nil {
			return err
		}
		inc, _, _ = s.get(keyIncarnation)
	}
	s.origin.Store(&schema.Origin{Region: s.cfg.Region, Incarnation: string(inc)})
	seq, _, err := s.get(keySeq)
	if err != nil {
		return err
	}
	pos, _, err := s.get(keyPos)
	if err != nil {
		return err
	}
	clk, _, err := s.get(keyClock)
	if err != nil {
		return err
	}
	var last schema.HLC
	if len(clk) == 12 {
		last = schema.HLC{Wall: int64(binary.BigEndian.Uint64(clk)), Logical: binary.BigEndian.Uint32(clk[8:])}
	}
	s.seq, s.pos, s.clock = getU64(seq), getU64(pos), schema.NewClock(last)
	_, gen, err := s.get(keyGenesis)
	if err != nil {
		return err
	}
	s.genesis.Store(gen)
	s.durable.Store(s.pos)
	if err := s.loadClockFix(); err != nil {
		return err
	}
	s.forgetCatalogues()
	if err := s.countOfficers(); err != nil {
		return err
	}
	return s.countRegions()
}

// setIncarnation gives the store a new identity and restarts its
// sequence: used at creation and after a restore from backup.
func (s *Store) setIncarnation(inc string) error {
	b := s.db.NewBatch()
	defer b.Close()
	_ = b.Set(keyIncarnation, []byte(inc), nil)
	_ = b.Set(keySeq, u64(0), nil)
	if err := b.Commit(pebble.Sync); err != nil {
		return fmt.Errorf("node: write incarnation: %w", err)
	}
	return nil
}

// NewIncarnation returns six random Crockford base-32 characters (30 bits).
func NewIncarnation() string {
	var b [4]byte
	if _, err := io.ReadFull(rand.Reader, b[:]); err != nil {
		panic("node: no randomness: " + err.Error())
	}
	n := binary.BigEndian.Uint32(b[:]) >> 2
	const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	out := make([]byte, 6)
	for i := 5; i >= 0; i-- {
		out[i] = alphabet[n%32]
		n /= 32
	}
	return string(out)
}

// syncWAL makes every write committed so far durable.
func (s *Store) syncWAL() error {
	if err := s.db.LogData([]byte("sync"), pebble.Sync); err != nil {
		return fmt.Errorf("node: sync: %w", err)
	}
	return nil
}

// Origin returns the identity the store writes its changes under.
func (s *Store) Origin() schema.Origin { return *s.origin.Load() }

// DurablePos returns the last log position known to be on disk. A reader
// may see later positions (Pebble makes a batch visible before its fsync
// returns); nothing past DurablePos may be acknowledged to a peer.
func (s *Store) DurablePos() uint64 { return s.durable.Load() }

// Err returns the error that stopped the store's writes, or nil.
func (s *Store) Err() error { return s.gc.Err() }

// Close refuses new writes, waits for the writes in flight, and closes Pebble.
func (s *Store) Close() error {
	var err error
	s.closeOnce.Do(func() {
		s.gc.Close() // the last group's fsync has returned
		err = s.db.Close()
	})
	return err
}

// get reads a key from the committed state; a missing key is (nil, false, nil).
func (s *Store) get(key []byte) ([]byte, bool, error) {
	return getFrom(s.db, key)
}

type reader interface {
	Get(key []byte) ([]byte, io.Closer, error)
}

func getFrom(r reader, key []byte) ([]byte, bool, error) {
	v, closer, err := r.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("node: read %q: %w", key, err)
	}
	out := append([]byte(nil), v...)
	_ = closer.Close()
	return out, true, nil
}

// getJSON reads a key and decodes it into v; found is false when absent.
func (s *Store) getJSON(key []byte, v any) (bool, error) { return getJSONFrom(s.db, key, v) }

// getJSONFrom reads and decodes the JSON value at key, if there is one.
func getJSONFrom(r reader, key []byte, v any) (bool, error) {
	b, ok, err := getFrom(r, key)
	if err != nil || !ok {
		return false, err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return false, fmt.Errorf("node: decode %q: %w", key, err)
	}
	return true, nil
}

type pebbleLogger struct{ l *slog.Logger }

func (p pebbleLogger) Infof(format string, args ...any) {
	p.l.Debug(fmt.Sprintf(format, args...), "component", "pebble")
}

func (p pebbleLogger) Errorf(format string, args ...any) {
	p.l.Error(fmt.Sprintf(format, args...), "component", "pebble")
}

func (p pebbleLogger) Fatalf(format string, args ...any) {
	p.l.Error(fmt.Sprintf(format, args...), "component", "pebble")
	panic(fmt.Sprintf(format, args...))
}
