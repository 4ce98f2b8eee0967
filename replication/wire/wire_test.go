package wire

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"

	"github.com/lumbung/lumbung/schema"
)

func testChanges(n int) []*schema.Change {
	var out []*schema.Change
	for i := 1; i <= n; i++ {
		out = append(out, &schema.Change{Origin: schema.Origin{Region: "32.14.02.2001", Incarnation: "K7M2QX"},
			Seq: uint64(i), HLC: schema.HLC{Wall: 1_780_000_000_000 + int64(i)}, Actor: "operator-desa",
			Entity: "complaint/3214022001-K7M2QX-00AZ", Scope: "32.14.02.2001", Op: schema.OpComplaintCreate,
			Body: []byte(`{"title":"Jalan desa rusak berlubang","n":` + string(rune('0'+i%10)) + `}`)})
	}
	return out
}

func body(t testing.TB, dict uint16, frames ...func(w *Writer)) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, dict)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range frames {
		f(w)
	}
	return buf.Bytes()
}

func TestRoundTrip(t *testing.T) {
	for _, dict := range append([]uint16{0}, Dictionaries()...) {
		b := &Batch{Last: 42, Changes: testChanges(5)}
		raw := body(t, dict, func(w *Writer) {
			_, _ = w.WriteJSON(KindHello, Hello{Version: Version, From: 7})
			_, _ = w.WriteBatch(b)
			_, _ = w.WriteJSON(KindEnd, End{Frames: 1})
		})
		r := NewReader(bytes.NewReader(raw))
		var h Hello
		f, err := r.Next()
		if err != nil || f.Kind != KindHello || f.JSON(&h) != nil || h.From != 7 {
			t.Fatalf("dict %d: hello: %v %v %+v", dict, err, f.Kind, h)
		}
		f, err = r.Next()
		if err != nil || f.Kind != KindChanges {
			t.Fatalf("dict %d: changes: %v", dict, err)
		}
		got, err := DecodeBatch(f.Payload)
		if err != nil || got.Last != 42 || len(got.Changes) != 5 || !bytes.Equal(schema.EncodeChange(got.Changes[4]), schema.EncodeChange(b.Changes[4])) {
			t.Fatalf("dict %d: batch: %v %+v", dict, err, got)
		}
		if f, err = r.Next(); err != nil || f.Kind != KindEnd {
			t.Fatalf("dict %d: end: %v", dict, err)
		}
		if _, err := r.Next(); err != io.EOF {
			t.Fatalf("dict %d: after the end: %v", dict, err)
		}
		if r.Bytes != int64(len(raw)) {
			t.Fatalf("dict %d: counted %d of %d bytes", dict, r.Bytes, len(raw))
		}
	}
}

// TestRefusals: every way a body can be damaged is told apart, and no
// damaged frame is ever returned.
func TestRefusals(t *testing.T) {
	good := body(t, 1, func(w *Writer) { _, _ = w.WriteBatch(&Batch{Last: 1, Changes: testChanges(3)}) })
	flip := bytes.Clone(good)
	flip[len(flip)-3] ^= 0x40
	badDict := bytes.Clone(good)
	binary.BigEndian.PutUint16(badDict[5:], 999)
	huge := bytes.Clone(good)
	binary.BigEndian.PutUint32(huge, MaxFrameBytes+100)
	for name, tc := range map[string]struct {
		raw  []byte
		want error
	}{
		"bad crc":            {flip, ErrDamaged},
		"unknown dictionary": {badDict, ErrDamaged}, // the CRC covers the dictionary id
		"oversized frame":    {huge, ErrDamaged},
		"cut in the header":  {good[:6], ErrTruncated},
		"cut in the payload": {good[:len(good)-1], ErrTruncated},
		"garbage":            {[]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), ErrDamaged},
	} {
		_, err := NewReader(bytes.NewReader(tc.raw)).Next()
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", name, err, tc.want)
		}
	}
	// A frame whose CRC holds but names a dictionary this build lacks.
	fixed := bytes.Clone(badDict)
	crcOver := append(append([]byte{}, fixed[4:7]...), fixed[HeaderBytes:]...)
	binary.BigEndian.PutUint32(fixed[7:], crcOf(crcOver))
	if _, err := NewReader(bytes.NewReader(fixed)).Next(); !errors.Is(err, ErrDictionary) {
		t.Errorf("unknown dictionary with a good crc: %v", err)
	}
}

// TestBatchRefusals: a batch with a malformed change is refused whole.
func TestBatchRefusals(t *testing.T) {
	cs := testChanges(2)
	cs[1].Seq = 0
	for name, p := range map[string][]byte{
		"bad change": mustEncode(&Batch{Last: 1, Changes: cs}),
		"count lies": {1, 200, 3, 'a'},
		"trailing":   append(mustEncode(&Batch{Last: 1, Changes: testChanges(1)}), 0),
		"empty":      nil,
	} {
		if _, err := DecodeBatch(p); !errors.Is(err, ErrMessage) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func mustEncode(b *Batch) []byte {
	p, err := EncodeBatch(b)
	if err != nil {
		panic(err)
	}
	return p
}

func TestHelloRange(t *testing.T) {
	for _, tc := range []struct {
		speaks int
		r      Range
	}{{3, Range{2, 3}}, {2, Range{2, 3}}, {3, Range{3, 3}}, {4, Range{2, 5}}} {
		h := Hello{Version: tc.speaks}
		h.SetRange(tc.r)
		if got := h.Range(); got != tc.r {
			t.Errorf("speaking %d in %s: the Hello says %s", tc.speaks, tc.r, got)
		}
	}
	if h := (Hello{Version: 2}); h.Range() != (Range{2, 2}) {
		t.Errorf("a version-2 Hello: %s", h.Range())
	}
}
