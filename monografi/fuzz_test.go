package monografi

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/lumbung/lumbung/schema"
)

// FuzzSetBody decodes arbitrary bytes as a SetBody, as the node does with
// a PUT body, checks it, and folds it, as a peer's change. Nothing may
// panic; a body CheckValues accepts must fold to exactly its values.
func FuzzSetBody(f *testing.F) {
	for _, seed := range []string{
		`{"values": {"penduduk.jumlah": 2400, "penduduk.laki_laki": 1200, "penduduk.perempuan": 1200}}`,
		`{"values": {"penduduk.jumlah": 2400, "penduduk.laki_laki": 1200, "penduduk.perempuan": 1150}}`,
		`{"values": {"wilayah.luas_km2": 4.5, "wilayah.sawah_ha": 1e9}}`,
		`{"values": {"penduduk.kepadatan": -1, "x": 0.5, "kesehatan.cakupan_imunisasi_dasar": 101}}`,
		`{"values": {"penduduk.jumlah": null}}`,
		`{"values": [1, 2]}`,
		`{"values": {}}`,
		`null`, `{}`, ``, `{"values": {"penduduk.jumlah": 1e308}}`,
	} {
		f.Add([]byte(seed))
	}
	cat := Builtin()
	current := map[string]float64{"penduduk.jumlah": 2400, "wilayah.luas_km2": 4.5, "penduduk.kk": 700}
	f.Fuzz(func(t *testing.T, data []byte) {
		// A peer's change with these bytes as its body never panics.
		Fold(testRegion, testPeriod, []*schema.Change{fuzzChange(data)})

		var b SetBody
		if json.Unmarshal(data, &b) != nil {
			return
		}
		err := CheckValues(cat, current, b.Values)
		var v *schema.ValidationError
		if err != nil && (!errors.As(err, &v) || len(v.Fields) == 0) {
			t.Fatalf("CheckValues returned %T %v, want a *schema.ValidationError", err, err)
		}
		if err != nil {
			return
		}
		body, merr := json.Marshal(b)
		if merr != nil {
			t.Fatalf("an accepted body does not encode: %v", merr)
		}
		d := Fold(testRegion, testPeriod, []*schema.Change{fuzzChange(body)})
		if !reflect.DeepEqual(d.Values, b.Values) || d.History[0].Skipped != "" {
			t.Fatalf("accepted %v, folded to %v (%s)", b.Values, d.Values, d.History[0].Skipped)
		}
		Derived(cat, d.Values)
		_ = CheckSubmit(cat, d)
	})
}

func fuzzChange(body []byte) *schema.Change {
	return &schema.Change{
		Origin: schema.Origin{Region: testRegion, Incarnation: "AAAAAA"}, Seq: 1,
		HLC: schema.HLC{Wall: baseWall}, Entity: Entity(testRegion, testPeriod), Scope: testRegion,
		Op: schema.OpMonografiSet, Body: body,
	}
}

// FuzzApprovalBody: any body of any approval step, from the approver or
// not, after a submitted document, folds without panic, and a step with a
// body that is not its JSON shape has no effect.
func FuzzApprovalBody(f *testing.F) {
	for _, seed := range []string{`{"basis": "0123456789abcdef"}`, `{"note": "kurang lengkap"}`, `{"note": 5}`,
		`{"basis": null}`, `[]`, `null`, ``, `{"note": "` + strings.Repeat("x", MaxNote+1) + `"}`} {
		f.Add([]byte(seed), uint8(0), true)
	}
	ops := []schema.Op{schema.OpMonografiApprove, schema.OpMonografiReturn, schema.OpMonografiUnapprove,
		schema.OpMonografiAccept, schema.OpMonografiUnaccept}
	f.Fuzz(func(t *testing.T, data []byte, op uint8, fromKecamatan bool) {
		set, _ := json.Marshal(SetBody{Values: map[string]float64{"penduduk.jumlah": 10}})
		base := []*schema.Change{
			{Origin: schema.Origin{Region: testRegion, Incarnation: "AAAAAA"}, Seq: 1, HLC: schema.HLC{Wall: baseWall + 1},
				Entity: Entity(testRegion, testPeriod), Scope: testRegion, Op: schema.OpMonografiSet, Body: set},
			{Origin: schema.Origin{Region: testRegion, Incarnation: "AAAAAA"}, Seq: 2, HLC: schema.HLC{Wall: baseWall + 2},
				Entity: Entity(testRegion, testPeriod), Scope: testRegion, Op: schema.OpMonografiSubmit, Body: []byte(`{}`)},
		}
		step := fuzzChange(data)
		step.Op, step.Seq, step.HLC = ops[int(op)%len(ops)], 3, schema.HLC{Wall: baseWall + 3}
		if fromKecamatan {
			step.Origin.Region = Approver(testRegion)
		}
		d := Fold(testRegion, testPeriod, append(base, step))
		last := d.History[len(d.History)-1]
		if !json.Valid(data) && last.Skipped == "" {
			t.Fatalf("a step with a body that is not JSON took effect: %+v", last)
		}
		if !fromKecamatan && d.Status != StatusSubmitted {
			t.Fatalf("a step from the desa itself moved the document to %s", d.Status)
		}
	})
}
