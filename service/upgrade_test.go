package service

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fileManager is a Manager whose "service" reads the installed binary's
// bytes when it starts: a binary that says "broken" never becomes ready.
type fileManager struct {
	binary  string
	running string // the bytes of the binary that runs, "" when stopped
	starts  int
}

func (m *fileManager) Start(context.Context) error {
	b, err := os.ReadFile(m.binary)
	m.running, m.starts = string(b), m.starts+1
	return err
}

func (m *fileManager) Stop(context.Context) error { m.running = ""; return nil }

func (m *fileManager) ready(context.Context) error {
	if m.running == "" || strings.Contains(m.running, "broken") {
		return errors.New("not ready")
	}
	return nil
}

// TestUpgradeSteps: a good release replaces the binary and the copy of
// the data goes; a release that does not become ready is rolled back:
// the previous binary and the data as it was (a store the new release
// had migrated) come back, and the previous release runs.
func TestUpgradeSteps(t *testing.T) {
	dir := t.TempDir()
	bin, data := filepath.Join(dir, "lumbung"), filepath.Join(dir, "data")
	write := func(path, s string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(bin, "release 1")
	write(filepath.Join(data, "state", "000001.sst"), "format 1")
	write(filepath.Join(dir, "good"), "release 2")
	write(filepath.Join(dir, "bad"), "release 3, broken")
	m := &fileManager{binary: bin}
	_ = m.Start(t.Context())

	u := &Upgrade{Binary: bin, New: filepath.Join(dir, "good"), DataDir: data, Manager: m, Ready: m.ready,
		Wait: time.Second, Poll: time.Millisecond}
	if err := u.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	if m.running != "release 2" {
		t.Fatalf("after the upgrade %q runs", m.running)
	}
	if _, err := os.Stat(data + ".before-upgrade"); !os.IsNotExist(err) {
		t.Errorf("the copy of the data stays: %v", err)
	}

	// The bad release migrates the store as it starts, then fails.
	bad := &migrating{fileManager: m, data: data}
	u = &Upgrade{Binary: bin, New: filepath.Join(dir, "bad"), DataDir: data, Manager: bad, Ready: m.ready,
		Wait: 50 * time.Millisecond, Poll: time.Millisecond}
	err := u.Run(t.Context())
	if !errors.Is(err, ErrRolledBack) {
		t.Fatalf("a release that is never ready: %v", err)
	}
	if m.running != "release 2" {
		t.Errorf("after the rollback %q runs", m.running)
	}
	if b, _ := os.ReadFile(filepath.Join(data, "state", "000001.sst")); string(b) != "format 1" {
		t.Errorf("after the rollback the store holds %q, want the data as it was", b)
	}
	if _, err := os.Stat(filepath.Join(data, "state", "MIGRATED")); !os.IsNotExist(err) {
		t.Errorf("the bad release's migration stays: %v", err)
	}
	if b, _ := os.ReadFile(bin + ".previous"); string(b) != "release 2" {
		t.Errorf("the previous binary kept is %q", b)
	}
}

// TestUpgradeAfterCutRollback: a power cut in the middle of a rollback
// left the data only in the copy (the failed release's aside, the data
// directory not yet back). The next upgrade puts the copy back in place
// before it copies anything, so the data the previous release
// acknowledged is what the service runs on, and nothing is lost.
func TestUpgradeAfterCutRollback(t *testing.T) {
	dir := t.TempDir()
	bin, data := filepath.Join(dir, "lumbung"), filepath.Join(dir, "data")
	for path, text := range map[string]string{bin: "release 1", filepath.Join(dir, "good"): "release 2",
		filepath.Join(data+".before-upgrade", "state", "000001.sst"): "acknowledged",
		filepath.Join(data+".failed-upgrade", "state", "000001.sst"): "migrated by a failed release"} {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	m := &fileManager{binary: bin}
	u := &Upgrade{Binary: bin, New: filepath.Join(dir, "good"), DataDir: data, Manager: m, Ready: m.ready,
		Wait: time.Second, Poll: time.Millisecond}
	if err := u.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(data, "state", "000001.sst")); string(b) != "acknowledged" {
		t.Errorf("the data runs with %q, want what was acknowledged", b)
	}
	for _, gone := range []string{data + ".before-upgrade", data + ".failed-upgrade"} {
		if _, err := os.Stat(gone); !os.IsNotExist(err) {
			t.Errorf("%s stays: %v", gone, err)
		}
	}
}

// migrating starts the binary and, for a broken one, writes to the data
// as a migration would.
type migrating struct {
	*fileManager
	data string
}

func (m *migrating) Start(ctx context.Context) error {
	if err := m.fileManager.Start(ctx); err != nil {
		return err
	}
	if strings.Contains(m.running, "broken") {
		_ = os.WriteFile(filepath.Join(m.data, "state", "000001.sst"), []byte("format 2"), 0o600)
		_ = os.WriteFile(filepath.Join(m.data, "state", "MIGRATED"), nil, 0o600)
	}
	return nil
}
