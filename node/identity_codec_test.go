package node

import (
	"reflect"
	"testing"

	"github.com/lumbung/lumbung/schema"
)

// TestIdentityCodec: an identity reads back as it was written, digits
// packed two to a byte, and the JSON an older release sealed still reads.
func TestIdentityCodec(t *testing.T) {
	for _, r := range []schema.Reporter{
		{Name: "Sukmawati Tertanam", NIK: "3214024505800077", Phone: "081377770077"},
		{Name: "Asep", Phone: "+62 812-2345-6789"},
		{NIK: "321402450580007"},
		{},
	} {
		b := encodeIdentity(r)
		got, err := decodeIdentity(b)
		if err != nil || !reflect.DeepEqual(got, r) {
			t.Errorf("%+v read back as %+v, %v", r, got, err)
		}
	}
	if b := encodeIdentity(planted); len(b) > 1+1+len(planted.Name)+1+8+1+6 {
		t.Errorf("an identity of %d bytes: digits not packed", len(b))
	}
	if got, err := decodeIdentity([]byte(`{"name":"Asep","nik":"3214021203780001"}`)); err != nil || got.Name != "Asep" {
		t.Errorf("an older identity in JSON: %+v %v", got, err)
	}
}

// FuzzDecodeIdentity: an identity opened from a peer's sealed value never
// panics the reader, and what reads writes back the same.
func FuzzDecodeIdentity(f *testing.F) {
	f.Add(encodeIdentity(planted))
	f.Add([]byte(`{"name":"x"}`))
	f.Add([]byte{1, 3, 0x12})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decodeIdentity(b)
		if err != nil || (len(b) > 0 && b[0] == '{') {
			return
		}
		if again, err := decodeIdentity(encodeIdentity(r)); err != nil || !reflect.DeepEqual(again, r) {
			t.Fatalf("%+v does not read back: %+v %v", r, again, err)
		}
	})
}
