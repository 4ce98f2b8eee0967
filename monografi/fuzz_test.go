package monografi

import (
	"encoding/json"
	"errors"
	"reflect"
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
