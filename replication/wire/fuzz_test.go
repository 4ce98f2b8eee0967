package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"hash/crc32"
	"io"
	"testing"
	"unicode/utf8"

	"github.com/lumbung/lumbung/schema"
)

func crcOf(b []byte) uint32 { return crc32.Checksum(b, castagnoli) }

// FuzzReader: whatever a peer sends, the reader returns frames whose CRC
// held or one of its errors; it never panics and never allocates past its
// bounds.
func FuzzReader(f *testing.F) {
	f.Add(body(f, 1, func(w *Writer) {
		_, _ = w.WriteJSON(KindHello, Hello{Version: Version})
		_, _ = w.WriteBatch(&Batch{Last: 3, Changes: testChanges(3)})
		_, _ = w.WriteJSON(KindEnd, End{Frames: 1})
	}))
	f.Add(body(f, 0, func(w *Writer) { _, _ = w.WriteJSON(KindAck, Ack{Acked: 9}) }))
	f.Add([]byte{0, 0, 0, 7, 1, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, raw []byte) {
		r := NewReader(bytes.NewReader(raw))
		for i := 0; i < 64; i++ {
			fr, err := r.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				if !errors.Is(err, ErrDamaged) && !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrDictionary) {
					t.Fatalf("unexpected error kind: %v", err)
				}
				return
			}
			if len(fr.Payload) > MaxPayloadBytes {
				t.Fatalf("payload of %d bytes", len(fr.Payload))
			}
			if fr.Kind == KindChanges {
				_, _ = DecodeBatch(fr.Payload)
			}
		}
	})
}

// FuzzDecodeBatch: a batch decodes whole or is refused with ErrMessage.
func FuzzDecodeBatch(f *testing.F) {
	f.Add(mustEncode(&Batch{Last: 5, Changes: testChanges(2)}))
	f.Add([]byte{5, 0})
	f.Fuzz(func(t *testing.T, p []byte) {
		b, err := DecodeBatch(p)
		if err != nil {
			if !errors.Is(err, ErrMessage) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		again, err := DecodeBatch(mustEncode(b))
		if err != nil || len(again.Changes) != len(b.Changes) || again.Last != b.Last {
			t.Fatalf("re-encoding changes the batch: %v", err)
		}
	})
}

// FuzzColumnsBody: any JSON body survives the columnar encoding byte for
// byte (after the canonical compaction every change gets).
func FuzzColumnsBody(f *testing.F) {
	for _, c := range trickyChanges()[:5] {
		f.Add([]byte(c.Body), c.Entity)
	}
	f.Add([]byte(` { "id" : "x\\u0041" , "a" : [ 1 , { } ] } `), "complaint/xA")
	f.Fuzz(func(t *testing.T, body []byte, entity string) {
		// Every change on a log came out of JSON, so its texts are UTF-8.
		if !json.Valid(body) || entity == "" || len(entity) > 128 || !utf8.ValidString(entity) {
			return
		}
		c := testChanges(1)[0]
		c.Body, c.Entity = body, entity
		p, err := EncodeBatch(&Batch{Last: 1, Changes: []*schema.Change{c}})
		if err != nil {
			t.Fatalf("valid JSON refused: %v", err)
		}
		got, err := DecodeBatch(p)
		if err != nil {
			t.Fatalf("does not decode: %v", err)
		}
		if want, have := schema.EncodeChange(c), schema.EncodeChange(got.Changes[0]); !bytes.Equal(want, have) {
			t.Fatalf("changed:\nwant %s\nhave %s", want, have)
		}
	})
}
