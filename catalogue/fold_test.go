package catalogue

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/schema"
)

const kab = schema.Code("32.14")

var seq uint64

// set makes a catalogue.set change on the extension of region, written
// by a node of from at wall ms.
func set(t testing.TB, region, from schema.Code, wall int64, b Body) *schema.Change {
	t.Helper()
	raw, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	seq++
	return &schema.Change{Origin: schema.Origin{Region: from, Incarnation: "AAAAAA"}, Seq: seq,
		HLC: schema.HLC{Wall: wall}, Actor: "bappeda", Entity: Entity(region), Scope: region,
		Op: schema.OpCatalogueSet, Body: raw}
}

var (
	bumdes = monografi.Group{Code: "bumdes", LabelID: "Badan usaha milik desa", LabelEN: "Village-owned enterprises"}
	omzet  = monografi.Indicator{Code: "bumdes.omzet_juta", LabelID: "Omzet BUMDes", LabelEN: "BUMDes turnover",
		Unit: "juta rupiah", Type: monografi.TypeDecimal, Agg: monografi.AggSum}
	sumur = monografi.Indicator{Code: "sarana_prasarana.sumur_bor", LabelID: "Sumur bor", LabelEN: "Boreholes",
		Unit: "unit", Type: monografi.TypeInteger, Agg: monografi.AggSum}
	bencana = Category{Code: "bencana_alam", LabelID: "Bencana alam", LabelEN: "Natural disaster"}
)

// TestFoldAddsAndAmends: the kabupaten adds a group, two indicators and a
// category; a later change amends a label. Any delivery order, with
// repeats, folds to the same extension, and the effective catalogue at a
// desa below holds the new items with the built-in ones.
func TestFoldAddsAndAmends(t *testing.T) {
	renamed := omzet
	renamed.LabelID = "Omzet usaha BUMDes"
	changes := []*schema.Change{
		set(t, kab, kab, 1000, Body{Groups: []monografi.Group{bumdes}, Indicators: []monografi.Indicator{omzet}}),
		set(t, kab, kab, 2000, Body{Indicators: []monografi.Indicator{sumur}, Categories: []Category{bencana}}),
		set(t, kab, kab, 3000, Body{Indicators: []monografi.Indicator{renamed}}),
	}
	want := Fold(kab, changes)
	if want.Revision != 3 || want.Skipped != 0 || len(want.Indicators) != 2 || want.Indicators[0].LabelID != "Omzet usaha BUMDes" {
		t.Fatalf("fold: %+v", want)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		shuffled := append(slices.Clone(changes), changes[rng.IntN(len(changes))])
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		if got := Fold(kab, shuffled); !equalJSON(t, got, want) {
			t.Fatalf("order changed the fold:\n%+v\nwant\n%+v", got, want)
		}
	}
	eff := NewEffective(want)
	if ind, ok := eff.Lookup("bumdes.omzet_juta"); !ok || ind.Group != "bumdes" || ind.LabelID != "Omzet usaha BUMDes" {
		t.Fatalf("effective lacks the new indicator: %+v", ind)
	}
	if _, ok := eff.Lookup("penduduk.jumlah"); !ok {
		t.Fatal("effective lost a built-in indicator")
	}
	if !slices.Contains(eff.CategoryCodes(), "bencana_alam") || !slices.Contains(eff.CategoryCodes(), "kesehatan") {
		t.Fatalf("categories: %v", eff.CategoryCodes())
	}
	if len(eff.Extensions) != 1 || eff.Extensions[0] != (Ref{Region: kab, Revision: 3, UpdatedAt: want.UpdatedAt}) {
		t.Fatalf("extensions: %+v", eff.Extensions)
	}
}

// TestFoldRefuses: a change from below the region or from another
// kabupaten, a built-in code, an unknown group, a computed indicator and
// a missing label each have no effect, whole: nothing of the same change
// is applied.
func TestFoldRefuses(t *testing.T) {
	noLabel := bencana
	noLabel.LabelEN = " "
	ratio := omzet
	ratio.Type, ratio.Agg = monografi.TypeRatio, monografi.AggDerived
	builtinCode := sumur
	builtinCode.Code = "penduduk.jumlah"
	for name, ch := range map[string]*schema.Change{
		"from a desa below":  set(t, kab, "32.14.02.2001", 1, Body{Categories: []Category{bencana}}),
		"from a kecamatan":   set(t, kab, "32.14.02", 1, Body{Categories: []Category{bencana}}),
		"from another kab":   set(t, kab, "32.15", 1, Body{Categories: []Category{bencana}}),
		"unknown group":      set(t, kab, kab, 1, Body{Indicators: []monografi.Indicator{omzet}, Categories: []Category{bencana}}),
		"computed indicator": set(t, kab, kab, 1, Body{Groups: []monografi.Group{bumdes}, Indicators: []monografi.Indicator{ratio}}),
		"built-in indicator": set(t, kab, kab, 1, Body{Indicators: []monografi.Indicator{builtinCode}, Categories: []Category{bencana}}),
		"built-in category":  set(t, kab, kab, 1, Body{Categories: []Category{bencana, {Code: "kesehatan", LabelID: "K", LabelEN: "H"}}}),
		"blank label":        set(t, kab, kab, 1, Body{Categories: []Category{noLabel}}),
		"empty":              set(t, kab, kab, 1, Body{}),
		"wrong op": func() *schema.Change {
			c := set(t, kab, kab, 1, Body{Categories: []Category{bencana}})
			c.Op = schema.OpMonografiSet
			return c
		}(),
		"body not an object":   func() *schema.Change { c := set(t, kab, kab, 1, Body{}); c.Body = json.RawMessage(`[1]`); return c }(),
		"desa-level extension": set(t, "32.14.02.2001", kab, 1, Body{Categories: []Category{bencana}}),
	} {
		region := kab
		if name == "desa-level extension" {
			region = "32.14.02.2001"
		}
		x := Fold(region, []*schema.Change{ch})
		if x.Revision != 0 || x.Skipped != 1 || len(x.Categories)+len(x.Indicators)+len(x.Groups) != 0 {
			t.Errorf("%s: took effect: %+v", name, x)
		}
	}
	// The province above may extend the kabupaten's catalogue.
	if x := Fold(kab, []*schema.Change{set(t, kab, "32", 1, Body{Categories: []Category{bencana}})}); x.Revision != 1 {
		t.Fatalf("the province's extension was refused: %+v", x)
	}
}

// TestEffectiveOuterFirst: a code defined by the province is not redefined
// by the kabupaten below it.
func TestEffectiveOuterFirst(t *testing.T) {
	prov := Fold("32", []*schema.Change{set(t, "32", "32", 1, Body{Categories: []Category{bencana}})})
	other := bencana
	other.LabelID = "Bencana"
	local := Fold(kab, []*schema.Change{set(t, kab, kab, 2, Body{Categories: []Category{other, {Code: "banjir", LabelID: "Banjir", LabelEN: "Flood"}}})})
	eff := NewEffective(prov, local)
	n := 0
	for _, c := range eff.Categories {
		if c.Code == "bencana_alam" {
			n++
			if c.LabelID != "Bencana alam" {
				t.Fatalf("the kabupaten redefined the province's category: %+v", c)
			}
		}
	}
	if n != 1 || !slices.Contains(eff.CategoryCodes(), "banjir") || len(eff.Extensions) != 2 {
		t.Fatalf("categories %v, extensions %+v", eff.CategoryCodes(), eff.Extensions)
	}
}

func TestCheckLimits(t *testing.T) {
	var b Body
	for i := range MaxItemsPerChange + 1 {
		b.Categories = append(b.Categories, Category{Code: schema.Category("k" + string(rune('a'+i%26)) + itoa(i)), LabelID: "x", LabelEN: "x"})
	}
	var ve *schema.ValidationError
	if err := b.Check(nil); !errors.As(err, &ve) {
		t.Fatalf("%d items passed: %v", len(b.Categories), err)
	}
	b.Categories = b.Categories[:MaxItemsPerChange]
	if err := b.Check(nil); err != nil {
		t.Fatal(err)
	}
	full := &Extension{Categories: b.Categories}
	if err := (&Body{Categories: []Category{{Code: "satu_lagi", LabelID: "x", LabelEN: "x"}}}).Check(full); !errors.As(err, &ve) {
		t.Fatalf("a region's %d-th category passed: %v", MaxCategories+1, err)
	}
}

// TestLabelsArePlainText: a label or a region name that would do more on
// a screen than show its words (a terminal escape, a new line, a tab, a
// right-to-left override that reverses a phone number) is refused.
func TestLabelsArePlainText(t *testing.T) {
	for _, bad := range []string{"Kirim NIK ke \x1b[31m0812", "dua\nbaris", "tab\there", "nomor \u202e2180", "isolate \u2066x\u2069",
		"   ", strings.Repeat("a", MaxLabel+1)} {
		var ve *schema.ValidationError
		b := Body{Categories: []Category{{Code: "penipuan", LabelID: bad, LabelEN: "Fraud"}}}
		if err := b.Check(nil); !errors.As(err, &ve) {
			t.Errorf("label %q passed: %v", bad, err)
		}
		rb := RegionsBody{Regions: []Region{{Code: "32.14.02.2001", Name: bad}}}
		if err := rb.Check("32.14"); !errors.As(err, &ve) {
			t.Errorf("region name %q passed: %v", bad, err)
		}
	}
	ok := Body{Categories: []Category{{Code: "penipuan", LabelID: "Penipuan (minta NIK/PIN)", LabelEN: "Fraud"}}}
	if err := ok.Check(nil); err != nil {
		t.Fatalf("a plain label: %v", err)
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

func equalJSON(t *testing.T, a, b any) bool {
	t.Helper()
	x, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	y, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return string(x) == string(y)
}

// TestFoldRegions: a kabupaten's region list, renamed later, folds the
// same in any order; entries outside the region, or a list sent from
// below, have no effect, whole.
func TestFoldRegions(t *testing.T) {
	mk := func(from schema.Code, wall int64, rs ...Region) *schema.Change {
		c := set(t, kab, from, wall, Body{})
		c.Entity, c.Op = RegionsEntity(kab), schema.OpRegionsSet
		c.Body, _ = json.Marshal(RegionsBody{Regions: rs})
		return c
	}
	a := mk(kab, 1, Region{"32.14.02", "Babakancikao"}, Region{"32.14.02.2001", "Cigelam"})
	b := mk(kab, 2, Region{"32.14.02.2001", "Cigelam Baru"}, Region{"32.14.03", "Bungursari"})
	below := mk("32.14.02", 3, Region{"32.14.02.2002", "Mulyamekar"})
	outside := mk(kab, 4, Region{"32.14.04", "Campaka"}, Region{"32.15.01", "Karawang Barat"})
	for _, order := range [][]*schema.Change{{a, b, below, outside}, {outside, b, below, a, b}} {
		l := FoldRegions(kab, order)
		if l.Revision != 2 || l.Skipped != 2 || len(l.Regions) != 3 || l.Regions[1] != (Region{"32.14.02.2001", "Cigelam Baru"}) {
			t.Fatalf("fold: %+v", l)
		}
	}
}
