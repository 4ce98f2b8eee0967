package service

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
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
