package schema_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/lumbung/lumbung/schema"
)

// sampleChange is a verification sent up from the kecamatan.
func sampleChange() *schema.Change {
	return &schema.Change{
		Origin: kecOrigin, Seq: 7, HLC: schema.HLC{Wall: baseWall + 2000, Logical: 3}, Actor: "budi",
		Entity: "complaint/C1", Scope: "32.14.02.2001", Op: schema.OpComplaintAction,
		Body: json.RawMessage("{ \"action\" : \"verify\",\n  \"note\": \"<ok>\" }"),
	}
}

func TestEncodeChangeCanonical(t *testing.T) {
	got := string(schema.EncodeChange(sampleChange()))
	want := `{"origin":{"region":"32.14.02","inc":"KEC001"},"seq":7,"hlc":{"w":1767571202000,"l":3},` +
		`"actor":"budi","entity":"complaint/C1","scope":"32.14.02.2001","op":"complaint.action",` +
		`"body":{"action":"verify","note":"\u003cok\u003e"}}`
	if got != want {
		t.Errorf("EncodeChange =\n%s\nwant\n%s", got, want)
	}
}

func TestChangeRoundTrip(t *testing.T) {
	for _, c := range []*schema.Change{
		sampleChange(),
		{Origin: desaOrigin, Seq: 1, HLC: schema.HLC{Wall: 1}, Entity: "complaint/x", Scope: "32.14.02.2001",
			Op: schema.OpComplaintCreate, Body: json.RawMessage(`null`)},
		{Origin: kabOrigin, Seq: 1 << 62, HLC: schema.HLC{Wall: 1 << 50, Logical: 1<<32 - 1}, Actor: "rina ✓",
			Entity: "monografi/32.14.02.2001/2026-S1", Scope: "32.14.02.2001", Op: schema.OpMonografiSet,
			Body: json.RawMessage(`{"values":{"penduduk.jumlah":4021}}`)},
	} {
		enc := schema.EncodeChange(c)
		d, err := schema.DecodeChange(enc)
		if err != nil {
			t.Fatalf("DecodeChange(%s): %v", enc, err)
		}
		if d.ID() != c.ID() || d.HLC != c.HLC || d.Actor != c.Actor || d.Entity != c.Entity ||
			d.Scope != c.Scope || d.Op != c.Op || !sameBody(d.Body, c.Body) {
			t.Errorf("round trip of %s gave %+v", enc, d)
		}
		if again := schema.EncodeChange(d); string(again) != string(enc) {
			t.Errorf("encoding is not stable:\n%s\n%s", enc, again)
		}
	}
}

// edited returns the sample change's encoding after edit changes its
// generic JSON form.
func edited(t *testing.T, edit func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(schema.EncodeChange(sampleChange()), &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	return mustJSON(t, m)
}

func TestDecodeChangeRejects(t *testing.T) {
	origin := func(m map[string]any) map[string]any { return m["origin"].(map[string]any) }
	hlc := func(m map[string]any) map[string]any { return m["hlc"].(map[string]any) }
	good := string(schema.EncodeChange(sampleChange()))
	for name, b := range map[string][]byte{
		"empty":                 nil,
		"not an object":         []byte(`[1,2]`),
		"null":                  []byte(`null`),
		"truncated":             []byte(good[:len(good)-1]),
		"trailing garbage":      []byte(good + "x"),
		"two changes":           []byte(good + good),
		"seq 0":                 edited(t, func(m map[string]any) { m["seq"] = 0 }),
		"no seq":                edited(t, func(m map[string]any) { delete(m, "seq") }),
		"negative seq":          edited(t, func(m map[string]any) { m["seq"] = -1 }),
		"fractional seq":        edited(t, func(m map[string]any) { m["seq"] = 1.5 }),
		"seq as a string":       edited(t, func(m map[string]any) { m["seq"] = "7" }),
		"bad region":            edited(t, func(m map[string]any) { origin(m)["region"] = "32.70" }),
		"no region":             edited(t, func(m map[string]any) { delete(origin(m), "region") }),
		"lower-case inc":        edited(t, func(m map[string]any) { origin(m)["inc"] = "kec001" }),
		"inc with U":            edited(t, func(m map[string]any) { origin(m)["inc"] = "KECU01" }),
		"short inc":             edited(t, func(m map[string]any) { origin(m)["inc"] = "KEC01" }),
		"clock at zero":         edited(t, func(m map[string]any) { hlc(m)["w"] = 0 }),
		"clock before 1970":     edited(t, func(m map[string]any) { hlc(m)["w"] = -5 }),
		"logical too big":       edited(t, func(m map[string]any) { hlc(m)["l"] = 1 << 32 }),
		"no entity":             edited(t, func(m map[string]any) { m["entity"] = "" }),
		"long entity":           edited(t, func(m map[string]any) { m["entity"] = strings.Repeat("e", 129) }),
		"bad scope":             edited(t, func(m map[string]any) { m["scope"] = "32.14.02.0001" }),
		"long actor":            edited(t, func(m map[string]any) { m["actor"] = strings.Repeat("a", 129) }),
		"malformed op":          edited(t, func(m map[string]any) { m["op"] = "Complaint.Delete" }),
		"op of one word":        edited(t, func(m map[string]any) { m["op"] = "complaint" }),
		"long op":               edited(t, func(m map[string]any) { m["op"] = "complaint." + strings.Repeat("x", 60) }),
		"no op":                 edited(t, func(m map[string]any) { delete(m, "op") }),
		"no body":               edited(t, func(m map[string]any) { delete(m, "body") }),
		"non-JSON body":         []byte(strings.Replace(good, `"body":{`, `"body":{nope`, 1)),
		"unknown field":         edited(t, func(m map[string]any) { m["priority"] = "high" }),
		"unknown origin field":  edited(t, func(m map[string]any) { origin(m)["tier"] = "kecamatan" }),
		"unknown clock field":   edited(t, func(m map[string]any) { hlc(m)["skew"] = 1 }),
		"oversize":              edited(t, func(m map[string]any) { m["body"] = strings.Repeat("x", schema.MaxChangeSize) }),
		"oversize with padding": []byte(good + strings.Repeat(" ", schema.MaxChangeSize)),
	} {
		if _, err := schema.DecodeChange(b); !errors.Is(err, schema.ErrDecode) {
			t.Errorf("%s: DecodeChange error %v, want ErrDecode", name, err)
		}
	}
}

func TestDecodeChangeSizeLimit(t *testing.T) {
	enc := schema.EncodeChange(sampleChange())
	pad := schema.MaxChangeSize - len(enc)
	fits := []byte(strings.Replace(string(enc), `"budi"`, `"budi"`+strings.Repeat(" ", pad), 1))
	if len(fits) != schema.MaxChangeSize {
		t.Fatalf("built %d bytes, want %d", len(fits), schema.MaxChangeSize)
	}
	if _, err := schema.DecodeChange(fits); err != nil {
		t.Errorf("a change of exactly MaxChangeSize bytes: %v", err)
	}
	if _, err := schema.DecodeChange(append(fits, '\n')); !errors.Is(err, schema.ErrDecode) {
		t.Errorf("a change one byte over MaxChangeSize: %v", err)
	}
	if _, err := schema.DecodeChange(append(enc, " \n\t"...)); err != nil {
		t.Errorf("trailing white space: %v", err)
	}
}

func TestChangeOrder(t *testing.T) {
	at := func(o schema.Origin, seq uint64, w int64, l uint32) *schema.Change {
		return &schema.Change{Origin: o, Seq: seq, HLC: schema.HLC{Wall: w, Logical: l}}
	}
	// In fold order: clock first, then origin as a string, then sequence.
	ordered := []*schema.Change{
		at(kabOrigin, 9, 100, 0),
		at(desaOrigin, 1, 200, 0), // "32.14.02.2001/" < "32.14.02/" < "32.14/"
		at(kecOrigin, 1, 200, 0),
		at(kecOrigin, 2, 200, 0),
		at(kabOrigin, 1, 200, 0),
		at(desaOrigin, 1, 200, 1),
	}
	for i, a := range ordered {
		for j, b := range ordered {
			if a.Less(b) != (i < j) {
				t.Errorf("%s#%d@%s Less %s#%d@%s = %v", a.Origin, a.Seq, a.HLC, b.Origin, b.Seq, b.HLC, a.Less(b))
			}
		}
	}
	if s := kecOrigin.String(); s != "32.14.02/KEC001" {
		t.Errorf("Origin.String() = %q", s)
	}
	if id := ordered[2].ID(); id != (schema.ChangeID{Origin: kecOrigin, Seq: 1}) {
		t.Errorf("ID() = %+v", id)
	}
}

// TestDecodeChangeBoundsCanonicalSize: a peer may send < unescaped, which
// EncodeChange writes as \u003c. A change that fits only in the peer's
// spelling must be refused, or the next tier up would refuse it forever.
func TestDecodeChangeBoundsCanonicalSize(t *testing.T) {
	peer := func(n int) []byte {
		good := string(schema.EncodeChange(sampleChange()))
		i := strings.Index(good, `"body":`)
		return []byte(good[:i] + `"body":{"note":"` + strings.Repeat("<", n) + `"}}`)
	}
	if b := peer(100_000); len(b) > schema.MaxChangeSize {
		t.Fatalf("built %d bytes", len(b))
	} else if c, err := schema.DecodeChange(b); !errors.Is(err, schema.ErrDecode) {
		t.Errorf("a change whose canonical form is %d bytes was accepted", len(schema.EncodeChange(c)))
	}
	c, err := schema.DecodeChange(peer(40_000))
	if err != nil {
		t.Fatalf("a change whose canonical form fits: %v", err)
	}
	if _, err := schema.DecodeChange(schema.EncodeChange(c)); err != nil {
		t.Errorf("sent on, it is refused: %v", err)
	}
}
