package atomicfile

import (
	"errors"
	"io"
	"os"
	"runtime"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/cockroachdb/pebble/v2/vfs/errorfs"
)

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

func readFile(t *testing.T, fs vfs.FS, name string) string {
	t.Helper()
	f, err := fs.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// onlyFile fails if dir holds anything but want.
func onlyFile(t *testing.T, fs vfs.FS, dir, want string) {
	t.Helper()
	names, err := fs.List(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != 1 || names[0] != want {
		t.Fatalf("%s holds %q, want only %s", dir, names, want)
	}
}

// TestWrite replaces a file on vfs.NewMem and checks it holds the new
// content, with its size returned and no temporary file left.
func TestWrite(t *testing.T) {
	fs := vfs.NewMem()
	if err := fs.MkdirAll("d", 0o700); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"old", "new content"} {
		n, err := Write(fs, "d/f.json", writeString(s))
		if err != nil || n != int64(len(s)) {
			t.Fatalf("write %q: %d, %v", s, n, err)
		}
		if got := readFile(t, fs, "d/f.json"); got != s {
			t.Fatalf("read back %q, want %q", got, s)
		}
		onlyFile(t, fs, "d", "f.json")
	}
}

// TestWriteFails injects a failure at each step of a replacement: the
// error is returned, the old file is intact (unless only the directory
// sync failed, after the rename) and no temporary file is left.
func TestWriteFails(t *testing.T) {
	failed := errors.New("the writer failed")
	for _, tc := range []struct {
		name    string
		fail    func(op errorfs.Op) bool
		write   func(io.Writer) error
		renamed bool
	}{
		{name: "create", fail: func(op errorfs.Op) bool { return op.Kind == errorfs.OpCreate }},
		{name: "write", fail: func(op errorfs.Op) bool { return op.Kind == errorfs.OpFileWrite }},
		{name: "writer", fail: func(errorfs.Op) bool { return false }, write: func(io.Writer) error { return failed }},
		{name: "file sync", fail: func(op errorfs.Op) bool { return op.Kind == errorfs.OpFileSync && op.Path != "d" }},
		{name: "rename", fail: func(op errorfs.Op) bool { return op.Kind == errorfs.OpRename }},
		{name: "directory sync", fail: func(op errorfs.Op) bool { return op.Kind == errorfs.OpFileSync && op.Path == "d" },
			renamed: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := vfs.NewMem()
			if err := mem.MkdirAll("d", 0o700); err != nil {
				t.Fatal(err)
			}
			if _, err := Write(mem, "d/f.json", writeString("old")); err != nil {
				t.Fatal(err)
			}
			fs := errorfs.Wrap(mem, errorfs.InjectorFunc(func(op errorfs.Op) error {
				if tc.fail(op) {
					return errorfs.ErrInjected
				}
				return nil
			}))
			write := tc.write
			if write == nil {
				write = writeString("new")
			}
			_, err := Write(fs, "d/f.json", write)
			if !errors.Is(err, errorfs.ErrInjected) && !errors.Is(err, failed) {
				t.Fatalf("Write: %v, want the injected error", err)
			}
			want := "old"
			if tc.renamed {
				want = "new"
			}
			if got := readFile(t, mem, "d/f.json"); got != want {
				t.Fatalf("after a failed %s the file holds %q, want %q", tc.name, got, want)
			}
			onlyFile(t, mem, "d", "f.json")
		})
	}
}

// TestWriteSurvivesCrash replaces a file and crashes at once: the new
// content is there, because the rename was made durable by syncing the
// directory.
func TestWriteSurvivesCrash(t *testing.T) {
	fs := vfs.NewCrashableMem()
	if err := fs.MkdirAll("d", 0o700); err != nil {
		t.Fatal(err)
	}
	if d, err := fs.OpenDir("/"); err != nil || d.Sync() != nil || d.Close() != nil {
		t.Fatal("sync root", err)
	}
	if _, err := Write(fs, "d/f.json", writeString("new")); err != nil {
		t.Fatal(err)
	}
	crashed := fs.CrashClone(vfs.CrashCloneCfg{})
	if got := readFile(t, crashed, "d/f.json"); got != "new" {
		t.Fatalf("after a crash: %q, want new", got)
	}
}

// TestWriteOwnerOnly checks a file on the operating system's filesystem
// is readable by its owner only, as configurations and backups hold
// enrolment tokens.
func TestWriteOwnerOnly(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix modes")
	}
	path := t.TempDir() + "/f.json"
	if _, err := Write(vfs.Default, path, writeString("secret")); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, want 0600", st.Mode().Perm())
	}
	if b, _ := os.ReadFile(path); string(b) != "secret" {
		t.Fatalf("read back %q", b)
	}
}
