package cluster

import (
	"bytes"
	"testing"
)

func TestEntryRoundTrip(t *testing.T) {
	for _, e := range []*entry{
		{wall: 0},
		{wall: 1763800000000, cmds: [][]byte{[]byte("a")}},
		{wall: -5, cmds: [][]byte{{}, bytes.Repeat([]byte("x"), 300), []byte(`{"kind":"complaint.create"}`)}},
	} {
		got, err := decodeEntry(e.encode())
		if err != nil {
			t.Fatalf("decode %+v: %v", e, err)
		}
		if got.wall != e.wall || len(got.cmds) != len(e.cmds) {
			t.Fatalf("got %+v, want %+v", got, e)
		}
		for i := range e.cmds {
			if !bytes.Equal(got.cmds[i], e.cmds[i]) {
				t.Fatalf("command %d: got %q, want %q", i, got.cmds[i], e.cmds[i])
			}
		}
	}
}

func TestEntryRefusesDamage(t *testing.T) {
	good := (&entry{wall: 7, cmds: [][]byte{[]byte("abc"), []byte("de")}}).encode()
	for i := 0; i < len(good); i++ {
		if _, err := decodeEntry(good[:i]); err == nil {
			t.Errorf("a truncation to %d bytes was accepted", i)
		}
	}
	bad := append([]byte(nil), good...)
	bad[0] = 9
	if _, err := decodeEntry(bad); err == nil {
		t.Error("an unknown version was accepted")
	}
	if _, err := decodeEntry(append(good, 0)); err == nil {
		t.Error("trailing bytes were accepted")
	}
}

// FuzzDecodeEntry feeds the entry decoder arbitrary bytes: it must return
// an error or an entry that encodes back to the same bytes, never panic.
func FuzzDecodeEntry(f *testing.F) {
	f.Add((&entry{wall: 1, cmds: [][]byte{[]byte("x")}}).encode())
	f.Add([]byte{1, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := decodeEntry(data)
		if err != nil {
			return
		}
		if again := e.encode(); !bytes.Equal(again, data) && canonical(data) {
			t.Fatalf("decoded entry encodes to %x, read from %x", again, data)
		}
	})
}

// canonical reports whether data uses minimal uvarints (only those
// round-trip byte for byte).
func canonical(data []byte) bool {
	e, err := decodeEntry(data)
	return err == nil && len(e.encode()) == len(data)
}
