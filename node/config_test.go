package node

import (
	"errors"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/cockroachdb/pebble/v2/vfs/errorfs"
	"github.com/lumbung/lumbung/workday"
)

// TestSaveConfigFails saves a configuration over another on a MemFS while
// a failure is injected at the fsync, then at the rename: each time the
// error is returned and the old configuration is what loads.
func TestSaveConfigFails(t *testing.T) {
	for _, kind := range []errorfs.OpKind{errorfs.OpFileSync, errorfs.OpRename} {
		mem := vfs.NewMem()
		old := DefaultConfig(TierDesa, testDesa)
		if err := SaveConfigFS(mem, "d", old); err != nil {
			t.Fatal(err)
		}
		fs := errorfs.Wrap(mem, errorfs.InjectorFunc(func(op errorfs.Op) error {
			if op.Kind == kind {
				return errorfs.ErrInjected
			}
			return nil
		}))
		next := old
		next.HTTPAddr = "127.0.0.1:9090"
		if err := SaveConfigFS(fs, "d", next); !errors.Is(err, errorfs.ErrInjected) {
			t.Fatalf("%v: SaveConfig returned %v, want the injected error", kind, err)
		}
		got, err := LoadConfigFS(mem, "d")
		if err != nil || got != old {
			t.Fatalf("%v: after the failed save the config is %+v (%v), want %+v", kind, got, err, old)
		}
		if err := SaveConfigFS(mem, "d", next); err != nil {
			t.Fatal(err)
		}
		if got, _ := LoadConfigFS(mem, "d"); got != next {
			t.Fatalf("%v: saved %+v, loaded %+v", kind, next, got)
		}
	}
}

// TestLoadCalendar reads the holiday list through the node's filesystem:
// the built-in list without a file, the office's own with one, and a
// clear error for a list too long to be one.
func TestLoadCalendar(t *testing.T) {
	mem := vfs.NewMem()
	if err := mem.MkdirAll("d", 0o700); err != nil {
		t.Fatal(err)
	}
	cal, err := loadCalendar(mem, "d")
	if err != nil {
		t.Fatal(err)
	}
	independence := time.Date(2026, 8, 17, 10, 0, 0, 0, workday.WIB)
	if _, off := cal.Holiday(independence); !off {
		t.Fatal("the built-in list does not hold 17 August")
	}
	writeMemFile(t, mem, "d/"+HolidaysFile, "2026-08-18,Cuti kantor\n")
	if cal, err = loadCalendar(mem, "d"); err != nil {
		t.Fatal(err)
	}
	if name, off := cal.Holiday(independence.AddDate(0, 0, 1)); !off || name != "Cuti kantor" {
		t.Fatalf("the office's list: %q, %v", name, off)
	}
	if _, off := cal.Holiday(independence); off {
		t.Fatal("the office's list replaces the built-in one")
	}
	writeMemFile(t, mem, "d/"+HolidaysFile, string(make([]byte, maxHolidaysBytes+1)))
	if _, err := loadCalendar(mem, "d"); !errors.Is(err, workday.ErrHolidayList) {
		t.Fatalf("a holiday list of %d bytes: %v, want ErrHolidayList", maxHolidaysBytes+1, err)
	}
}

func writeMemFile(t *testing.T, fs vfs.FS, name, s string) {
	t.Helper()
	f, err := fs.Create(name, vfs.WriteCategoryUnspecified)
	if err == nil {
		_, err = f.Write([]byte(s))
	}
	if err == nil {
		err = f.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
}
