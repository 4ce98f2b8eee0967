package schema_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/lumbung/lumbung/schema"
)

// FuzzDecodeChange: DecodeChange never panics, and what it accepts
// re-encodes to bytes that decode to the same change and encode to
// themselves, so a change can be passed on up the tiers unchanged.
func FuzzDecodeChange(f *testing.F) {
	create := newChange(f, desaOrigin, 1, schema.HLC{Wall: baseWall}, "siti", "C1",
		schema.OpComplaintCreate, mustJSON(f, createBody("C1")))
	monografi := &schema.Change{Origin: kecOrigin, Seq: 3, HLC: schema.HLC{Wall: baseWall, Logical: 9},
		Entity: "monografi/32.14.02/2026-S1", Scope: "32.14.02", Op: schema.OpMonografiSubmit, Body: json.RawMessage(`{}`)}
	for _, c := range []*schema.Change{sampleChange(), create, monografi} {
		f.Add(schema.EncodeChange(c))
	}
	f.Add(bytes.Replace(schema.EncodeChange(sampleChange()), []byte(`"seq":7`), []byte(`"seq":0`), 1))
	f.Add([]byte(`{"origin":{"region":"32.14","inc":"KAB001"},"seq":1,"hlc":{"w":1},"entity":"e","scope":"32",` +
		`"op":"complaint.action","body":{"note":"<\u2028>","x":[1e400,-0.0,"\ud800"]}}`))
	f.Add([]byte(`{"SEQ":1,"seq":2}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		d1, err := schema.DecodeChange(b)
		if err != nil {
			return
		}
		enc := schema.EncodeChange(d1)
		d2, err := schema.DecodeChange(enc)
		if err != nil {
			t.Fatalf("%q decodes, but its encoding %q does not: %v", b, enc, err)
		}
		if d1.ID() != d2.ID() || d1.HLC != d2.HLC || d1.Actor != d2.Actor || d1.Entity != d2.Entity ||
			d1.Scope != d2.Scope || d1.Op != d2.Op || !sameBody(d1.Body, d2.Body) {
			t.Fatalf("round trip changed the change:\n%+v\n%+v", d1, d2)
		}
		if again := schema.EncodeChange(d2); !bytes.Equal(again, enc) {
			t.Fatalf("encoding is not a fixed point:\n%s\n%s", enc, again)
		}
	})
}

// FuzzParseCode: ParseCode never panics, and what it accepts is valid, has
// a level, reparses to itself, and lies inside each of its parents.
func FuzzParseCode(f *testing.F) {
	for _, s := range []string{"32", "32.14", "32.71", "32.14.02", "32.14.02.2001", "51.03.01.3012",
		"32.70", "32.14.2", "32-14", "00.01", "32.14.02.4001", "32.14.02.2001.1", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := schema.ParseCode(s)
		if err != nil {
			if c != "" || schema.Code(s).Valid() {
				t.Fatalf("ParseCode(%q) = %q, %v, but Valid() says otherwise", s, c, err)
			}
			return
		}
		if string(c) != s || !c.Valid() || c.Level() == schema.LevelInvalid {
			t.Fatalf("ParseCode(%q) = %q, level %v", s, c, c.Level())
		}
		if (c.Kind() != schema.NotDesa) != (c.Level() == schema.LevelDesa) {
			t.Fatalf("Code(%q): level %v, kind %v", c, c.Level(), c.Kind())
		}
		for p := c.Parent(); p != ""; p = p.Parent() {
			if !p.Valid() || !p.Contains(c) || c.Contains(p) {
				t.Fatalf("Code(%q): parent %q", c, p)
			}
		}
		if strings.Contains(c.Compact(), ".") || len(c.Compact()) != len(c)-int(c.Level())+1 {
			t.Fatalf("Code(%q).Compact() = %q", c, c.Compact())
		}
	})
}

// FuzzParseTrackingNumber: ParseTrackingNumber never panics, and what it
// accepts is already normal: parsing it again gives it back.
func FuzzParseTrackingNumber(f *testing.F) {
	for _, seq := range []uint64{0, 1, 42, 1 << 40} {
		tn := schema.TrackingNumber(desaOrigin, seq)
		f.Add(tn)
		f.Add(strings.ToLower(tn))
	}
	f.Add("3214022001-DESA01-00Z")
	f.Add("ıſ-ǅ")
	f.Fuzz(func(t *testing.T, s string) {
		n, err := schema.ParseTrackingNumber(s)
		if err != nil {
			return
		}
		again, err := schema.ParseTrackingNumber(n)
		if err != nil || again != n {
			t.Fatalf("ParseTrackingNumber(%q) = %q, which parses to %q, %v", s, n, again, err)
		}
	})
}

// FuzzComplaintInput: whatever JSON an API client sends, decoding it into
// a ComplaintInput and validating it never panics, and a refusal names
// fields in both languages.
func FuzzComplaintInput(f *testing.F) {
	in := validInput()
	f.Add([]byte(mustJSON(f, in)))
	in.Reporter = schema.Reporter{Anonymous: true}
	in.Location.Lat = nil
	f.Add([]byte(mustJSON(f, in)))
	f.Add([]byte(`{"region":"32.14.02","channel":"x","title":"\u0000\u0000","location":{"lat":1e308,"rt":"-1"},` +
		`"reporter":{"nik":"ﾠ","phone":"+"}}`))
	f.Add([]byte("{\"title\":\"\xff\xfe\",\"reporter\":{\"phone\":\"+62\"}}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		var in schema.ComplaintInput
		if json.Unmarshal(b, &in) != nil {
			return
		}
		err := in.Validate(nil)
		if err == nil {
			return
		}
		v, ok := err.(*schema.ValidationError)
		if !ok || len(v.Fields) == 0 {
			t.Fatalf("Validate: %v is not a ValidationError with fields", err)
		}
		for field, m := range v.Fields {
			if m.ID == "" || m.EN == "" {
				t.Fatalf("field %s: message %+v lacks a language", field, m)
			}
		}
	})
}
