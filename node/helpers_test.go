package node

import (
	"log/slog"
	"testing"

	"github.com/cockroachdb/pebble/v2"
	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/schema"
)

const testDesa = schema.Code("32.14.02.2001")

// cheapPasswords makes the tests' password hashes cheap; officer's tests
// cover the real costs.
var cheapPasswords = officer.Params{Memory: 64, Time: 1, Threads: 1}

// testLogger sends a node's logs to t.Log.
func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// openTestNode opens a desa node on a fresh directory (its HTTP API is
// package httpapi's, tested there).
func openTestNode(t testing.TB) *Node {
	t.Helper()
	dir := t.TempDir()
	cfg := DefaultConfig(TierDesa, testDesa)
	if err := SaveConfig(dir, cfg); err != nil {
		t.Fatal(err)
	}
	n, err := Open(dir, cfg, Options{Logger: testLogger(t), PasswordCost: cheapPasswords})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := n.Close(); err != nil {
			t.Error(err)
		}
	})
	return n
}

// storeDigest hashes every key and value in the store: two equal digests
// mean the store is byte for byte the same.
func storeDigest(t testing.TB, s *Store) [32]byte {
	t.Helper()
	d, err := s.digest(&pebble.IterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return d
}
