package node

import (
	"errors"
	"fmt"
	"os"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/lumbung/lumbung/replication/wire"
	"github.com/lumbung/lumbung/version"
)

// The store format: what a data directory's state store holds and how.
// A newer binary opens a directory an older one wrote, migrating it in one
// synced batch when it must; an older binary refuses a directory a newer
// one wrote, before it writes anything (it reads the format from a
// read-only open), and says which release it needs.
//
//	1  releases before the format was recorded (issue 15): no meta/format.
//	2  meta/format; changes a newer version made are kept and indexed for
//	   folding later (meta/foldver, nu/). Migrating from 1 writes the key:
//	   a format-1 store cannot hold such changes, it refused them.
const StoreFormat = 2

// BuildInfo is what a binary is: GET /api/v1/node and lumbung version.
type BuildInfo struct {
	Release     string     `json:"release"`
	Commit      string     `json:"commit"`
	Protocol    wire.Range `json:"protocol"`
	StoreFormat int        `json:"store_format"`
}

// Build returns this binary's BuildInfo.
func Build() BuildInfo {
	return BuildInfo{Release: version.Release, Commit: version.Revision(), Protocol: wire.Supported,
		StoreFormat: StoreFormat}
}

// checkFormat reads the format of the store in opts' directory without
// writing to it, and refuses one newer than this binary's. A directory
// with no store yet passes.
func checkFormat(dir string, opts *pebble.Options) error {
	fs := opts.FS
	if fs == nil {
		fs = vfs.Default
	}
	desc, err := pebble.Peek(dir, fs)
	if errors.Is(err, os.ErrNotExist) || (err == nil && !desc.Exists) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("node: look at store %s: %w", dir, err)
	}
	ro := *opts
	ro.ReadOnly = true
	db, err := pebble.Open(dir, &ro)
	if err != nil {
		return fmt.Errorf("node: open store %s: %w", dir, err)
	}
	defer db.Close()
	f, err := readFormat(db)
	if err != nil {
		return err
	}
	if f > StoreFormat {
		return fmt.Errorf("%w: %s holds store format %d, and Lumbung %s reads formats up to %d; "+
			"run the release that wrote it, or a newer one (nothing was changed)", ErrNewerStore, dir, f, version.Release, StoreFormat)
	}
	return nil
}

// readFormat returns the store's format: 1 when it records none.
func readFormat(db *pebble.DB) (int, error) {
	v, closer, err := db.Get(keyFormat)
	if errors.Is(err, pebble.ErrNotFound) {
		return 1, nil
	}
	if err != nil {
		return 0, fmt.Errorf("node: read store format: %w", err)
	}
	defer closer.Close()
	return int(getU64(v)), nil
}

// migrate brings a store of an older format (or a new, empty one) to
// StoreFormat. Each step is one batch committed with fsync, so a crash
// leaves the store in one format or the next, never between.
func (s *Store) migrate() error {
	f, err := readFormat(s.db)
	if err != nil || f == StoreFormat {
		return err
	}
	b := s.db.NewBatch()
	defer b.Close()
	// 1 -> 2: nothing to rewrite (see StoreFormat).
	_ = b.Set(keyFormat, u64(StoreFormat), nil)
	if err := b.Commit(pebble.Sync); err != nil {
		return fmt.Errorf("node: migrate store from format %d to %d: %w", f, StoreFormat, err)
	}
	s.cfg.Logger.Info("store migrated", "from", f, "to", StoreFormat)
	return nil
}
