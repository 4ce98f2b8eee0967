package monografi

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/lumbung/lumbung/schema"
)

type vals = map[string]float64

func TestCheckValues(t *testing.T) {
	tests := []struct {
		name    string
		current vals
		values  vals
		want    map[string]string // field -> words its Indonesian message holds; nil for no error
		wantEN  map[string]string // field -> words its English message holds
	}{
		{name: "valid figures", values: vals{"penduduk.jumlah": 2400, "wilayah.luas_km2": 4.5, "kesehatan.cakupan_imunisasi_dasar": 87.5}},
		{name: "zero is allowed", values: vals{"kesehatan.kematian_ibu": 0}},
		{name: "nothing to set", values: vals{},
			want: map[string]string{"values": "belum ada angka"}},
		{name: "unknown indicator", values: vals{"penduduk.jumlah_kucing": 3},
			want:   map[string]string{"values.penduduk.jumlah_kucing": "tidak dikenal dalam katalog monografi versi 1"},
			wantEN: map[string]string{"values.penduduk.jumlah_kucing": "not an indicator of monografi catalogue version 1"}},
		{name: "derived cannot be set", values: vals{"penduduk.kepadatan": 500},
			want: map[string]string{"values.penduduk.kepadatan": "dihitung otomatis"}},
		{name: "NaN", values: vals{"penduduk.jumlah": math.NaN()},
			want: map[string]string{"values.penduduk.jumlah": "bukan angka yang sah"}},
		{name: "infinity", values: vals{"wilayah.luas_km2": math.Inf(1)},
			want: map[string]string{"values.wilayah.luas_km2": "bukan angka yang sah"}},
		{name: "negative", values: vals{"penduduk.kk": -5},
			want:   map[string]string{"values.penduduk.kk": "tidak boleh negatif, bukan -5"},
			wantEN: map[string]string{"values.penduduk.kk": "must not be negative, not -5"}},
		{name: "too large", values: vals{"penduduk.jumlah": 2e12},
			want: map[string]string{"values.penduduk.jumlah": "terlalu besar: paling banyak 1.000.000.000.000"}},
		{name: "integer must be whole", values: vals{"kesehatan.posyandu": 2.5},
			want:   map[string]string{"values.kesehatan.posyandu": "harus bilangan bulat, bukan 2,5"},
			wantEN: map[string]string{"values.kesehatan.posyandu": "must be a whole number, not 2.5"}},
		{name: "decimal may have a fraction", values: vals{"wilayah.sawah_ha": 120.25}},
		{name: "percent above 100", values: vals{"kesehatan.cakupan_imunisasi_dasar": 120},
			want: map[string]string{"values.kesehatan.cakupan_imunisasi_dasar": "harus antara 0 dan 100, bukan 120"}},
		{name: "percent of exactly 100", values: vals{"kesehatan.cakupan_imunisasi_dasar": 100}},
		{name: "sex does not add up", values: vals{"penduduk.laki_laki": 1200, "penduduk.perempuan": 1150, "penduduk.jumlah": 2400},
			want: map[string]string{
				"values.penduduk.jumlah":    "penduduk laki-laki (1.200) + penduduk perempuan (1.150) = 2.350, tidak sama dengan jumlah penduduk (2.400)",
				"values.penduduk.laki_laki": "tidak sama dengan jumlah penduduk (2.400)",
				"values.penduduk.perempuan": "tidak sama dengan jumlah penduduk (2.400)",
			},
			wantEN: map[string]string{
				"values.penduduk.jumlah": "male population (1,200) + female population (1,150) = 2,350, not equal to total population (2,400)",
			}},
		{name: "sex adds up", values: vals{"penduduk.laki_laki": 1200, "penduduk.perempuan": 1200, "penduduk.jumlah": 2400}},
		{name: "identity waits for every term", values: vals{"penduduk.laki_laki": 1200, "penduduk.jumlah": 2400}},
		{name: "identity on the merge with current values", current: vals{"penduduk.laki_laki": 1200, "penduduk.perempuan": 1150},
			values: vals{"penduduk.jumlah": 2400},
			want:   map[string]string{"values.penduduk.jumlah": "= 2.350, tidak sama dengan jumlah penduduk (2.400)"}},
		{name: "a new value fixes the current ones", current: vals{"penduduk.laki_laki": 1200, "penduduk.perempuan": 1150, "penduduk.jumlah": 2400},
			values: vals{"penduduk.perempuan": 1200}},
		{name: "age groups do not add up", current: vals{"penduduk.jumlah": 2400},
			values: vals{"penduduk.umur_0_14": 600, "penduduk.umur_15_64": 1500, "penduduk.umur_65_plus": 250},
			want: map[string]string{
				"values.penduduk.umur_0_14":    "penduduk umur 0–14 tahun (600) + penduduk umur 15–64 tahun (1.500) + penduduk umur 65 tahun ke atas (250) = 2.350, tidak sama dengan jumlah penduduk (2.400)",
				"values.penduduk.umur_15_64":   "= 2.350, tidak sama",
				"values.penduduk.umur_65_plus": "= 2.350, tidak sama",
			}},
		{name: "households by sex of head", values: vals{"penduduk.kk": 700, "penduduk.kk_laki_laki": 600, "penduduk.kk_perempuan": 90},
			want: map[string]string{
				"values.penduduk.kk":           "= 690, tidak sama dengan jumlah kepala keluarga (700)",
				"values.penduduk.kk_laki_laki": "kepala keluarga laki-laki (600) + kepala keluarga perempuan (90)",
				"values.penduduk.kk_perempuan": "kepala keluarga laki-laki (600) + kepala keluarga perempuan (90)",
			}},
		{name: "more households than people", current: vals{"penduduk.jumlah": 500}, values: vals{"penduduk.kk": 700},
			want: map[string]string{"values.penduduk.kk": "jumlah kepala keluarga (700) lebih dari jumlah penduduk (500)"}},
		{name: "land use larger than the area", current: vals{"wilayah.luas_km2": 4.5},
			values: vals{"wilayah.sawah_ha": 300, "wilayah.hutan_ha": 250.5},
			want: map[string]string{
				"values.wilayah.sawah_ha": "luas sawah (300 ha) + luas hutan (250,5 ha) = 550,5 ha, lebih dari luas wilayah (4,5 km² = 450 ha)",
				"values.wilayah.hutan_ha": "lebih dari luas wilayah (4,5 km² = 450 ha)",
			},
			wantEN: map[string]string{"values.wilayah.hutan_ha": "rice fields (300 ha) + forest (250.5 ha) = 550.5 ha, more than area (4.5 km² = 450 ha)"}},
		{name: "land use within the area", values: vals{"wilayah.luas_km2": 4.5, "wilayah.sawah_ha": 300, "wilayah.hutan_ha": 150}},
		{name: "two identities on one field", current: vals{"penduduk.laki_laki": 1000, "penduduk.perempuan": 1000, "penduduk.kk": 3000},
			values: vals{"penduduk.jumlah": 2500},
			want:   map[string]string{"values.penduduk.jumlah": "tidak sama dengan jumlah penduduk (2.500); jumlah kepala keluarga (3.000) lebih dari"}},
		{name: "a bad term skips its identity", values: vals{"penduduk.laki_laki": -1, "penduduk.perempuan": 1150, "penduduk.jumlah": 2400},
			want: map[string]string{"values.penduduk.laki_laki": "tidak boleh negatif"}},
		{name: "untouched identities are not judged", current: vals{"penduduk.laki_laki": 1, "penduduk.perempuan": 1, "penduduk.jumlah": 5},
			values: vals{"kesehatan.posyandu": 4}},
	}
	cat := Builtin()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckValues(cat, tt.current, tt.values)
			checkFields(t, err, tt.want, tt.wantEN)
		})
	}
}

// checkFields checks that err names exactly the fields of want, with
// messages holding the given words.
func checkFields(t *testing.T, err error, want, wantEN map[string]string) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("got %v, want no error", err)
		}
		return
	}
	var v *schema.ValidationError
	if !errors.As(err, &v) || !errors.Is(err, schema.ErrInvalid) {
		t.Fatalf("got %v, want a *schema.ValidationError", err)
	}
	if len(v.Fields) != len(want) {
		t.Errorf("fields %v, want %d fields %v", v.Fields, len(want), want)
	}
	for field, words := range want {
		if m, ok := v.Fields[field]; !ok || !strings.Contains(m.ID, words) {
			t.Errorf("field %s: got %q, want it to hold %q", field, m.ID, words)
		}
	}
	for field, words := range wantEN {
		if m := v.Fields[field]; !strings.Contains(m.EN, words) {
			t.Errorf("field %s (en): got %q, want it to hold %q", field, m.EN, words)
		}
	}
}

func TestCheckSubmit(t *testing.T) {
	good := vals{"penduduk.jumlah": 2400, "penduduk.laki_laki": 1200, "penduduk.perempuan": 1200}
	tests := []struct {
		name   string
		status Status
		values vals
		want   map[string]string
	}{
		{name: "draft with values", status: StatusDraft, values: good},
		{name: "returned may be submitted again", status: StatusReturned, values: good},
		{name: "empty", status: StatusDraft, values: vals{}, want: map[string]string{"values": "belum ada angka"}},
		{name: "already submitted", status: StatusSubmitted, values: good, want: map[string]string{"status": "sudah diajukan"}},
		{name: "approved is locked", status: StatusApproved, values: good, want: map[string]string{"status": "terkunci"}},
		{name: "identity on the total", status: StatusDraft,
			values: vals{"penduduk.jumlah": 2400, "penduduk.laki_laki": 1200, "penduduk.perempuan": 1150},
			want:   map[string]string{"values.penduduk.jumlah": "= 2.350, tidak sama dengan jumlah penduduk (2.400)"}},
		{name: "a bad value from a peer", status: StatusDraft, values: vals{"penduduk.jumlah": -3, "tidak.dikenal": 1},
			want: map[string]string{"values.penduduk.jumlah": "negatif", "values.tidak.dikenal": "tidak dikenal"}},
	}
	cat := Builtin()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &Document{Region: testRegion, Period: testPeriod, Status: tt.status, Values: tt.values}
			checkFields(t, CheckSubmit(cat, d), tt.want, nil)
		})
	}
}

func TestFormatNumbers(t *testing.T) {
	tests := []struct {
		x      float64
		id, en string
	}{
		{0, "0", "0"},
		{999, "999", "999"},
		{1200, "1.200", "1,200"},
		{-1234567.5, "-1.234.567,5", "-1,234,567.5"},
		{4.5, "4,5", "4.5"},
		{1.0 / 3, "0,3333", "0.3333"},
		{1e12, "1.000.000.000.000", "1,000,000,000,000"},
		{math.NaN(), "NaN", "NaN"},
	}
	for _, tt := range tests {
		if got := number(tt.x).ID; got != tt.id {
			t.Errorf("number(%v).ID = %q, want %q", tt.x, got, tt.id)
		}
		if got := number(tt.x).EN; got != tt.en {
			t.Errorf("number(%v).EN = %q, want %q", tt.x, got, tt.en)
		}
	}
}
