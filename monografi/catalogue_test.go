package monografi

import (
	"errors"
	"strings"
	"testing"
)

// productCodes are the indicator codes PRODUCT.md promises.
var productCodes = map[string]Agg{
	"wilayah.luas_km2":              AggSum,
	"penduduk.jumlah":               AggSum,
	"penduduk.laki_laki":            AggSum,
	"penduduk.perempuan":            AggSum,
	"penduduk.kk":                   AggSum,
	"penduduk.umur_0_14":            AggSum,
	"penduduk.umur_15_64":           AggSum,
	"penduduk.umur_65_plus":         AggSum,
	"penduduk.kepadatan":            AggDerived,
	"penduduk.rasio_jenis_kelamin":  AggDerived,
	"penduduk.rasio_ketergantungan": AggDerived,
}

func TestBuiltinCatalogue(t *testing.T) {
	c := Builtin()
	if c.Version != 1 {
		t.Errorf("version %d, want 1", c.Version)
	}
	if len(c.Indicators) < 60 {
		t.Errorf("%d indicators, want at least 60", len(c.Indicators))
	}
	perGroup := map[string]int{}
	for i, ind := range c.Indicators {
		if i > 0 && c.Indicators[i-1].Code >= ind.Code {
			t.Errorf("%q after %q: codes must be unique and sorted", ind.Code, c.Indicators[i-1].Code)
		}
		if !strings.HasPrefix(ind.Code, ind.Group+".") || !ValidCode(ind.Code) {
			t.Errorf("%q: not dotted lower case starting with its group %q", ind.Code, ind.Group)
		}
		if strings.TrimSpace(ind.LabelID) == "" || strings.TrimSpace(ind.LabelEN) == "" || ind.Unit == "" {
			t.Errorf("%q: empty label or unit", ind.Code)
		}
		perGroup[ind.Group]++
	}
	for _, g := range []string{"wilayah", "penduduk", "ekonomi", "pendidikan", "kesehatan", "sarana_prasarana", "pemerintahan", "kelembagaan"} {
		if perGroup[g] == 0 {
			t.Errorf("group %q has no indicator", g)
		}
	}
	if len(c.Groups) != len(perGroup) {
		t.Errorf("%d groups declared, %d used", len(c.Groups), len(perGroup))
	}
	for code, agg := range productCodes {
		if ind, ok := c.Lookup(code); !ok || ind.Agg != agg {
			t.Errorf("Lookup(%q) = %+v, %v; want aggregation %q", code, ind, ok, agg)
		}
	}
	if _, ok := c.Lookup("penduduk.tidak_ada"); ok {
		t.Error("Lookup of an unknown code succeeded")
	}
}

func TestBuiltinIsACopy(t *testing.T) {
	a := Builtin()
	a.Indicators[0].LabelID = "diubah"
	a.Identities[0].Parts[0] = "diubah"
	a.Formulas[0].Num[0] = "diubah"
	b := Builtin()
	if b.Indicators[0].LabelID == "diubah" || b.Identities[0].Parts[0] == "diubah" || b.Formulas[0].Num[0] == "diubah" {
		t.Fatal("changing one Builtin() changed the next")
	}
}

func TestNewCatalogueRefuses(t *testing.T) {
	groups := []Group{{"penduduk", "Kependudukan", "Population"}}
	ind := func(code string, typ Type, agg Agg) Indicator {
		return Indicator{Code: code, LabelID: "x", LabelEN: "x", Unit: "jiwa", Type: typ, Agg: agg}
	}
	total, part := ind("penduduk.jumlah", TypeInteger, AggSum), ind("penduduk.laki_laki", TypeInteger, AggSum)
	ratio := ind("penduduk.rasio", TypeRatio, AggDerived)
	tests := []struct {
		name string
		inds []Indicator
		ids  []Identity
		fs   []Formula
	}{
		{name: "repeated code", inds: []Indicator{total, total}},
		{name: "bad code", inds: []Indicator{ind("Penduduk", TypeInteger, AggSum)}},
		{name: "unknown group", inds: []Indicator{ind("ekonomi.pasar", TypeInteger, AggSum)}},
		{name: "no label", inds: []Indicator{{Code: "penduduk.x", Unit: "jiwa", Type: TypeInteger, Agg: AggSum}}},
		{name: "unknown type", inds: []Indicator{ind("penduduk.x", "complex", AggSum)}},
		{name: "unknown aggregation", inds: []Indicator{ind("penduduk.x", TypeInteger, "mean")}},
		{name: "ratio that sums", inds: []Indicator{ind("penduduk.x", TypeRatio, AggSum)}},
		{name: "derived without formula", inds: []Indicator{ratio}},
		{name: "formula naming an unknown code", inds: []Indicator{ratio, total},
			fs: []Formula{{Code: "penduduk.rasio", Num: []string{"penduduk.x"}, Den: []string{"penduduk.jumlah"}, Scale: 1}}},
		{name: "identity naming an unknown code", inds: []Indicator{total, part},
			ids: []Identity{{Parts: []string{"penduduk.laki_laki", "penduduk.x"}, Rel: RelEqual, Total: "penduduk.jumlah"}}},
		{name: "identity without relation", inds: []Indicator{total, part},
			ids: []Identity{{Parts: []string{"penduduk.laki_laki"}, Total: "penduduk.jumlah"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewCatalogue(2, groups, tt.inds, tt.ids, tt.fs)
			if !errors.Is(err, ErrCatalogue) {
				t.Fatalf("got %v, want ErrCatalogue", err)
			}
		})
	}
}

func TestDerived(t *testing.T) {
	tests := []struct {
		name   string
		values vals
		want   vals
	}{
		{name: "nothing", values: vals{}, want: vals{}},
		{name: "density", values: vals{"penduduk.jumlah": 2350, "wilayah.luas_km2": 4.5},
			want: vals{"penduduk.kepadatan": 522.22}},
		{name: "sex ratio", values: vals{"penduduk.laki_laki": 1200, "penduduk.perempuan": 1150},
			want: vals{"penduduk.rasio_jenis_kelamin": 104.35}},
		{name: "dependency ratio", values: vals{"penduduk.umur_0_14": 600, "penduduk.umur_15_64": 1500, "penduduk.umur_65_plus": 250},
			want: vals{"penduduk.rasio_ketergantungan": 56.67}},
		{name: "a missing input leaves the ratio out", values: vals{"penduduk.umur_0_14": 600, "penduduk.umur_15_64": 1500},
			want: vals{}},
		{name: "zero denominator", values: vals{"penduduk.jumlah": 10, "wilayah.luas_km2": 0, "penduduk.laki_laki": 5, "penduduk.perempuan": 0},
			want: vals{}},
		{name: "other ratios", values: vals{
			"penduduk.jumlah": 2400, "penduduk.kk": 700, "ekonomi.keluarga_prasejahtera": 70,
			"pendidikan.murid_sd": 300, "pendidikan.guru_sd": 14, "kesehatan.balita": 200, "kesehatan.balita_stunting": 43,
		}, want: vals{
			"penduduk.rata_rata_anggota_kk": 3.43, "ekonomi.persen_prasejahtera": 10,
			"pendidikan.rasio_murid_guru_sd": 21.43, "kesehatan.persen_stunting": 21.5,
		}},
		// Aggregated bases of two desa: 1000/2 km² and 3000/8 km² give
		// 400 per km², not the average of 500 and 375.
		{name: "from aggregated bases", values: vals{"penduduk.jumlah": 4000, "wilayah.luas_km2": 10},
			want: vals{"penduduk.kepadatan": 400}},
	}
	cat := Builtin()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Derived(cat, tt.values)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for code, x := range tt.want {
				if got[code] != x {
					t.Errorf("%s = %v, want %v", code, got[code], x)
				}
			}
		})
	}
}
