package service

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestRotatingFile: lines go on appending until the next would pass
// MaxBytes; then the file moves to .1 (.1 to .2…), the oldest past Keep
// is dropped, and nothing written is lost from the files kept.
func TestRotatingFile(t *testing.T) {
	dir := t.TempDir()
	r := &RotatingFile{Path: filepath.Join(dir, "logs", "lumbung.log"), MaxBytes: 100, Keep: 2}
	var written []string
	for i := range 20 {
		line := fmt.Sprintf("line %02d %s\n", i, strings.Repeat("x", 20)) // 29 bytes: three to a file
		written = append(written, line)
		if _, err := r.Write([]byte(line)); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	var kept string
	for _, name := range []string{"lumbung.log.2", "lumbung.log.1", "lumbung.log"} {
		b, err := os.ReadFile(filepath.Join(dir, "logs", name))
		if err != nil {
			t.Fatal(err)
		}
		if len(b) > 100 {
			t.Errorf("%s: %d bytes, past MaxBytes", name, len(b))
		}
		kept += string(b)
	}
	if _, err := os.Stat(filepath.Join(dir, "logs", "lumbung.log.3")); !os.IsNotExist(err) {
		t.Errorf("a file past Keep stays: %v", err)
	}
	if want := strings.Join(written[len(written)-8:], ""); kept != want {
		t.Errorf("the files kept hold\n%s\nwant the last eight lines\n%s", kept, want)
	}
	if st, err := os.Stat(filepath.Join(dir, "logs", "lumbung.log")); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("the log is not private: %v %v", st.Mode(), err)
	}
	// Reopened, it appends to what is there.
	r = &RotatingFile{Path: filepath.Join(dir, "logs", "lumbung.log"), MaxBytes: 100, Keep: 2}
	if _, err := r.Write([]byte("z\n")); err != nil {
		t.Fatal(err)
	}
	r.Close()
	if b, _ := os.ReadFile(filepath.Join(dir, "logs", "lumbung.log")); !strings.HasSuffix(string(b), written[len(written)-1]+"z\n") {
		t.Errorf("reopened, the log was not appended to: %q", b)
	}
}

// events records what EventHandler writes, as the Windows event log
// would receive it.
type events struct {
	mu  sync.Mutex
	got []string
}

func (e *events) add(level string, eid uint32, msg string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.got = append(e.got, fmt.Sprintf("%s %d %s", level, eid, msg))
	return nil
}
func (e *events) Info(eid uint32, msg string) error    { return e.add("info", eid, msg) }
func (e *events) Warning(eid uint32, msg string) error { return e.add("warning", eid, msg) }
func (e *events) Error(eid uint32, msg string) error   { return e.add("error", eid, msg) }

// TestEventHandler: warnings and errors go to the event log, one event
// each with the record's attributes and groups, infos only to the file;
// the file (through Tee) has every line.
func TestEventHandler(t *testing.T) {
	ev := &events{}
	var file bytes.Buffer
	log := slog.New(Tee{slog.NewTextHandler(&file, nil), &EventHandler{Log: ev, Min: slog.LevelWarn}})
	log = log.With("desa", "32.14.01.2001")
	log.Info("serving", "addr", "127.0.0.1:8080")
	log.Warn("sync exchange refused", "code", "unavailable")
	log.WithGroup("store").Error("check failed", "err", "broken")
	want := []string{
		`warning 2 level=WARN msg="sync exchange refused" desa=32.14.01.2001 code=unavailable`,
		`error 3 level=ERROR msg="check failed" desa=32.14.01.2001 store.err=broken`,
	}
	if strings.Join(ev.got, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant\n%s", strings.Join(ev.got, "\n"), strings.Join(want, "\n"))
	}
	for _, line := range []string{"msg=serving", "sync exchange refused", "check failed"} {
		if !strings.Contains(file.String(), line) {
			t.Errorf("the file lacks %q:\n%s", line, file.String())
		}
	}
}

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
