package raftstore

import (
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/hashicorp/raft"
)

// Keys: "l" + 8-byte big-endian index for log entries, "s" + key for the
// stable store.
const (
	prefixLog    = 'l'
	prefixStable = 's'
)

// Options tune the store.
type Options struct {
	// FS is the filesystem; nil means the operating system's.
	FS vfs.FS
	// CacheBytes is Pebble's block cache (outside the Go heap). Raft
	// reads recent entries, mostly from the memtable: 4 MiB is plenty.
	CacheBytes int64
}

// Store is a raft.LogStore and raft.StableStore on Pebble.
type Store struct {
	db          *pebble.DB
	mu          sync.Mutex // serialises writes and guards first, last
	first, last uint64
}

var (
	_ raft.LogStore    = (*Store)(nil)
	_ raft.StableStore = (*Store)(nil)
)

// Open opens (or creates) the store in dir and reads its first and last
// index back from the keys.
func Open(dir string, opts Options) (*Store, error) {
	if opts.CacheBytes <= 0 {
		opts.CacheBytes = 4 << 20
	}
	cache := pebble.NewCache(opts.CacheBytes)
	defer cache.Unref()
	db, err := pebble.Open(dir, &pebble.Options{Cache: cache, FS: opts.FS, MemTableSize: 8 << 20, Logger: quiet{}})
	if err != nil {
		return nil, fmt.Errorf("raftstore: open %s: %w", dir, err)
	}
	s := &Store{db: db}
	if err := s.loadBounds(); err != nil {
		_ = db.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

func logKey(i uint64) []byte {
	return binary.BigEndian.AppendUint64([]byte{prefixLog}, i)
}

func (s *Store) loadBounds() error {
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: []byte{prefixLog}, UpperBound: []byte{prefixLog + 1}})
	if err != nil {
		return fmt.Errorf("raftstore: scan: %w", err)
	}
	defer it.Close()
	s.first, s.last = 0, 0
	if it.First() {
		s.first = binary.BigEndian.Uint64(it.Key()[1:])
	}
	if it.Last() {
		s.last = binary.BigEndian.Uint64(it.Key()[1:])
	}
	return it.Error()
}

// FirstIndex returns the first index held, 0 when empty.
func (s *Store) FirstIndex() (uint64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.first, nil
}

// LastIndex returns the last index held, 0 when empty.
func (s *Store) LastIndex() (uint64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last, nil
}

// GetLog reads the entry at index into l, or returns raft.ErrLogNotFound.
func (s *Store) GetLog(index uint64, l *raft.Log) error {
	v, closer, err := s.db.Get(logKey(index))
	if errors.Is(err, pebble.ErrNotFound) {
		return raft.ErrLogNotFound
	}
	if err != nil {
		return fmt.Errorf("raftstore: get %d: %w", index, err)
	}
	defer closer.Close()
	return decodeLog(index, v, l)
}

// StoreLog stores one entry durably.
func (s *Store) StoreLog(l *raft.Log) error { return s.StoreLogs([]*raft.Log{l}) }

// StoreLogs stores entries in one batch committed with fsync: all or none.
func (s *Store) StoreLogs(logs []*raft.Log) error {
	if len(logs) == 0 {
		return nil
	}
	b := s.db.NewBatch()
	defer b.Close()
	lo, hi := logs[0].Index, logs[0].Index
	for _, l := range logs {
		if err := b.Set(logKey(l.Index), encodeLog(l), nil); err != nil {
			return fmt.Errorf("raftstore: store %d: %w", l.Index, err)
		}
		lo, hi = min(lo, l.Index), max(hi, l.Index)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := b.Commit(pebble.Sync); err != nil {
		return fmt.Errorf("raftstore: commit logs %d-%d: %w", lo, hi, err)
	}
	if s.first == 0 || lo < s.first {
		s.first = lo
	}
	s.last = max(s.last, hi)
	return nil
}

// DeleteRange deletes the entries from lo to hi inclusive, durably.
func (s *Store) DeleteRange(lo, hi uint64) error {
	if lo > hi {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	end := logKey(hi + 1)
	if hi == ^uint64(0) {
		end = []byte{prefixLog + 1}
	}
	if err := s.db.DeleteRange(logKey(lo), end, pebble.Sync); err != nil {
		return fmt.Errorf("raftstore: delete %d-%d: %w", lo, hi, err)
	}
	return s.loadBounds()
}

// Set stores a stable value durably.
func (s *Store) Set(key, val []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.db.Set(append([]byte{prefixStable}, key...), val, pebble.Sync); err != nil {
		return fmt.Errorf("raftstore: set %q: %w", key, err)
	}
	return nil
}

// Get returns a stable value, or an empty slice when the key is not set.
func (s *Store) Get(key []byte) ([]byte, error) {
	v, closer, err := s.db.Get(append([]byte{prefixStable}, key...))
	if errors.Is(err, pebble.ErrNotFound) {
		return []byte{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("raftstore: get %q: %w", key, err)
	}
	defer closer.Close()
	return append([]byte{}, v...), nil
}

// SetUint64 stores a stable number durably.
func (s *Store) SetUint64(key []byte, val uint64) error {
	return s.Set(key, binary.BigEndian.AppendUint64(nil, val))
}

// GetUint64 returns a stable number, 0 when the key is not set.
func (s *Store) GetUint64(key []byte) (uint64, error) {
	v, err := s.Get(key)
	if err != nil || len(v) == 0 {
		return 0, err
	}
	if len(v) != 8 {
		return 0, fmt.Errorf("%w: stable key %q holds %d bytes, not a number", ErrCorrupt, key, len(v))
	}
	return binary.BigEndian.Uint64(v), nil
}

// quiet drops Pebble's informational messages and logs its errors.
type quiet struct{}

func (quiet) Infof(string, ...any) {}
func (quiet) Errorf(f string, args ...any) {
	slog.Error(fmt.Sprintf(f, args...), "component", "raftstore")
}
func (quiet) Fatalf(f string, args ...any) { panic(fmt.Sprintf(f, args...)) }
