package wire

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lumbung/lumbung/schema"
)

// trickyChanges exercise what the columnar encoding must keep byte for
// byte: escapes, Unicode, nesting, arrays of objects, numbers in every
// form, empty containers, several origins interleaved, and an entity
// that is not derived from its body.
func trickyChanges() []*schema.Change {
	bodies := []string{
		`{"id":"3214022001-K7M2QX-001T","title":"Jalan \"desa\" rusak\nparah","tags":["a","b",""],"n":-1.5e3,"ok":true,"no":false,"x":null}`,
		`{"id":"3214022001-K7M2QX-002R","title":"Air bersih \u003c 10 L","reporter":{"name":"Siti Aminah","anonymous":false},"actions":[{"status":"verified","at":1},{"status":"closed","at":2}]}`,
		`{"values":{"penduduk_laki":1520,"penduduk_perempuan":1498,"luas_ha":312.75},"period":"2026-S1","empty":{},"none":[]}`,
		`{"id":"3214022001-K7M2QX-001T","status":"verified","note":"Sudah diteruskan ke kecamatan — terima kasih"}`,
		`{"deep":[[[1,2],[3]],{"a":{"b":{"c":["d"]}}}]}`,
	}
	origins := []schema.Origin{{Region: "32.14.02.2001", Incarnation: "K7M2QX"}, {Region: "32.14.02.2002", Incarnation: "ZZ00AA"}}
	entities := []string{"complaint/3214022001-K7M2QX-001T", "complaint/3214022001-K7M2QX-002R", "monografi/32.14.02.2001/2026-S1", "complaint/3214022001-K7M2QX-001T", "other/with \"quote\""}
	ops := []schema.Op{schema.OpComplaintCreate, schema.OpComplaintCreate, schema.OpMonografiSet, schema.OpComplaintAction, schema.OpComplaintAction}
	var out []*schema.Change
	seq := map[schema.Origin]uint64{}
	for i := 0; i < 20; i++ {
		o := origins[i%3%2]
		seq[o] += uint64(1 + i%2)
		out = append(out, &schema.Change{Origin: o, Seq: seq[o], HLC: schema.HLC{Wall: 1_780_000_000_000 + int64(i*i) - int64(i%4)*7, Logical: uint32(i % 3)},
			Actor: []string{"operator-desa", "Camat Bojong", "a\tb"}[i%3], Entity: entities[i%5], Scope: o.Region, Op: ops[i%5],
			Body: json.RawMessage(bodies[i%5])})
	}
	return out
}

func TestColumnsRoundTrip(t *testing.T) {
	for _, n := range []int{0, 1, 2, 5, 20} {
		in := &Batch{Last: 99, Changes: trickyChanges()[:n]}
		got, err := DecodeBatch(mustEncode(in))
		if err != nil {
			t.Fatalf("%d changes: %v", n, err)
		}
		if got.Last != 99 || len(got.Changes) != n {
			t.Fatalf("%d changes: got last %d and %d changes", n, got.Last, len(got.Changes))
		}
		for i := range got.Changes {
			want, have := schema.EncodeChange(in.Changes[i]), schema.EncodeChange(got.Changes[i])
			if !bytes.Equal(want, have) {
				t.Fatalf("change %d:\nwant %s\nhave %s", i, want, have)
			}
		}
	}
}

// TestColumnsSmallerThanRows: before any compression, the columns of a
// batch already take less than its rows (table-coded repeats, derived
// entities). The compressed figures are in BENCHMARKS.md.
func TestColumnsSmallerThanRows(t *testing.T) {
	changes := trickyChanges()
	var rows []byte
	for _, c := range changes {
		e := schema.EncodeChange(c)
		rows = append(binary.AppendUvarint(rows, uint64(len(e))), e...)
	}
	cols := mustEncode(&Batch{Last: 1, Changes: changes})
	if len(cols) >= len(rows) {
		t.Fatalf("columns %d bytes, rows %d", len(cols), len(rows))
	}
	t.Logf("20 changes: %d bytes as columns, %d as rows (before zstd)", len(cols), len(rows))
}

// TestStreamFrames: many frames in one body form one stream; each is
// decoded as it arrives, and cutting the body anywhere gives the frames
// before the cut and ErrTruncated, never a wrong payload or a hang.
func TestStreamFrames(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	var payloads [][]byte
	raw := body(t, 2, func(w *Writer) {
		for i := 0; i < 30; i++ {
			p := []byte(strings.Repeat("Jalan rusak di RT 0"+string(rune('0'+i%10))+". ", 1+rnd.IntN(400)))
			if i%7 == 3 {
				p = p[:rnd.IntN(storeBelow)] // stored frames sit between stream frames
			}
			payloads = append(payloads, p)
			if _, err := w.Write(KindChanges, p); err != nil {
				t.Fatal(err)
			}
		}
	})
	read := func(b []byte) (int, error) {
		r := NewReader(bytes.NewReader(b))
		defer r.Close()
		for i := 0; ; i++ {
			f, err := r.Next()
			if err != nil {
				return i, err
			}
			if !bytes.Equal(f.Payload, payloads[i]) {
				t.Fatalf("frame %d differs", i)
			}
		}
	}
	if n, err := read(raw); err != io.EOF || n != len(payloads) {
		t.Fatalf("whole body: %d frames, %v", n, err)
	}
	for cut := 1; cut < len(raw); cut += 1 + rnd.IntN(97) {
		if _, err := read(raw[:cut]); err != io.EOF && !errors.Is(err, ErrTruncated) {
			t.Fatalf("cut at %d: %v", cut, err)
		}
	}
}

// TestStreamLies: a compressed frame whose CRC holds but whose content
// lies about the stream is refused as damaged, without waiting. (A frame
// claiming less than it holds yields what it claims; the rest would lead
// the next frame's payload, which the batch decoder then refuses: a peer
// that lies so only spoils its own frames.)
func TestStreamLies(t *testing.T) {
	p := []byte(strings.Repeat("Lampu jalan padam sejak minggu lalu. ", 20))
	one := body(t, 2, func(w *Writer) { _, _ = w.Write(KindChanges, p) })
	reframe := func(frame []byte, dict uint16, payload []byte) []byte {
		out := make([]byte, HeaderBytes, HeaderBytes+len(payload))
		out = append(out, payload...)
		binary.BigEndian.PutUint32(out, uint32(len(out)-4))
		out[4] = frame[4]
		binary.BigEndian.PutUint16(out[5:], dict)
		binary.BigEndian.PutUint32(out[7:], crcOf(append(append([]byte{}, out[4:7]...), payload...)))
		return out
	}
	payload := one[HeaderBytes:]
	_, k := binary.Uvarint(payload)
	stream := payload[k:]
	for name, raw := range map[string][]byte{
		"claims more":      reframe(one, 2, append(binary.AppendUvarint(nil, uint64(len(p)+1)), stream...)),
		"claims too much":  reframe(one, 2, append(binary.AppendUvarint(nil, MaxPayloadBytes+1), stream...)),
		"garbage stream":   reframe(one, 2, append(binary.AppendUvarint(nil, 50), bytes.Repeat([]byte{0xAB}, 40)...)),
		"no size":          reframe(one, 2, nil),
		"switches dict":    append(bytes.Clone(one), reframe(one, 1, payload)...),
		"trailing garbage": reframe(one, 2, append(bytes.Clone(payload), 0, 0, 0)),
	} {
		r := NewReader(bytes.NewReader(raw))
		var err error
		for err == nil {
			_, err = r.Next()
		}
		r.Close()
		if !errors.Is(err, ErrDamaged) {
			t.Errorf("%s: %v, want damaged", name, err)
		}
	}
}

// TestColumnsAmplification: a small payload that names one large text
// many times is refused, instead of rebuilding to gigabytes.
func TestColumnsAmplification(t *testing.T) {
	big := json.RawMessage(`"` + strings.Repeat("a", 200<<10) + `"`)
	many := testChanges(100)
	for _, c := range many {
		c.Body = big
	}
	p := mustEncode(&Batch{Last: 100, Changes: many})
	if len(p) > MaxPayloadBytes/4 {
		t.Fatalf("the payload is %d bytes: no amplification to test", len(p))
	}
	if _, err := DecodeBatch(p); !errors.Is(err, ErrMessage) {
		t.Fatalf("%d bytes naming 20 MB: %v", len(p), err)
	}
	if _, err := DecodeBatch(mustEncode(&Batch{Last: 10, Changes: many[:10]})); err != nil {
		t.Fatalf("2 MB of changes refused: %v", err)
	}
}
