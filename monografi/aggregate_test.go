package monografi

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/lumbung/lumbung/schema"
)

// ruleCatalogue has one indicator of every rule, and a ratio.
func ruleCatalogue(t testing.TB) *Catalogue {
	t.Helper()
	cat, err := NewCatalogue(1, []Group{{Code: "t", LabelID: "uji", LabelEN: "test"}}, []Indicator{
		{Code: "t.sum", LabelID: "a", LabelEN: "a", Unit: "u", Type: TypeDecimal, Agg: AggSum},
		{Code: "t.base", LabelID: "b", LabelEN: "b", Unit: "u", Type: TypeInteger, Agg: AggSum},
		{Code: "t.max", LabelID: "c", LabelEN: "c", Unit: "u", Type: TypeDecimal, Agg: AggMax},
		{Code: "t.min", LabelID: "d", LabelEN: "d", Unit: "u", Type: TypeDecimal, Agg: AggMin},
		{Code: "t.last", LabelID: "e", LabelEN: "e", Unit: "u", Type: TypeInteger, Agg: AggLast},
		{Code: "t.none", LabelID: "f", LabelEN: "f", Unit: "u", Type: TypeDecimal, Agg: AggNone},
		{Code: "t.pct", LabelID: "g", LabelEN: "g", Unit: "%", Type: TypePercent, Agg: AggSum},
		{Code: "t.ratio", LabelID: "h", LabelEN: "h", Unit: "u", Type: TypeRatio, Agg: AggDerived},
	}, nil, []Formula{{Code: "t.ratio", Num: []string{"t.sum"}, Den: []string{"t.base"}, Scale: 100}})
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// randomTree lists 2 kabupaten of up to 4 kecamatan of up to 6 desa.
func randomTree(r *rand.Rand) []schema.Code {
	var out []schema.Code
	for kab := 1; kab <= 2; kab++ {
		for kec := 1; kec <= 1+r.IntN(4); kec++ {
			for desa := 1; desa <= 1+r.IntN(6); desa++ {
				out = append(out, schema.Code(fmt.Sprintf("32.%02d.%02d.%04d", kab, kec, 2000+desa)))
			}
		}
	}
	return out
}

var statuses = []Status{StatusDraft, StatusSubmitted, StatusReturned, StatusApproved, StatusAccepted}

// randomDoc is a document of one desa in any status with a random subset
// of figures, halves only so that sums are exact in any order.
func randomDoc(r *rand.Rand, region schema.Code, at int) *Document {
	d := &Document{Region: region, Period: testPeriod, Status: statuses[r.IntN(len(statuses))],
		Values: map[string]float64{}, ApprovedAt: fmt.Sprintf("2026-01-01T00:%02d:00Z", at%60)}
	for _, code := range []string{"t.sum", "t.base", "t.max", "t.min", "t.last", "t.none", "t.pct", "t.unknown"} {
		if r.IntN(4) > 0 {
			d.Values[code] = float64(r.IntN(2000)) / 2
		}
	}
	return d
}

// TestAggregateIncremental is the property test of issue 5: after any
// random sequence of desa documents changing (approved, returned,
// corrected, un-approved, for desa listed and unlisted), the incremental
// aggregates equal, bit for bit, a computation from scratch over the
// final documents, and both equal a naive oracle that scans every desa.
func TestAggregateIncremental(t *testing.T) {
	cat := ruleCatalogue(t)
	seeds := []uint64{1, 2, 3, 4, 5, uint64(time.Now().UnixNano())}
	for _, seed := range seeds {
		r := rand.New(rand.NewPCG(seed, 7))
		listed := randomTree(r)
		desa := append(slices.Clone(listed), "32.03.01.2001", "32.01.09.2009") // not listed
		a := NewAggregator(cat, NewTree(listed), testPeriod, nil)
		final := map[schema.Code]*Document{}
		for step := range 200 + r.IntN(200) {
			d := randomDoc(r, desa[r.IntN(len(desa))], step)
			a.Update(d)
			final[d.Region] = d
			if step%50 == 0 {
				compareAll(t, seed, cat, listed, a, final)
			}
		}
		compareAll(t, seed, cat, listed, a, final)
	}
}

func compareAll(t *testing.T, seed uint64, cat *Catalogue, listed []schema.Code, inc *Aggregator,
	final map[schema.Code]*Document) {
	t.Helper()
	docs := make([]*Document, 0, len(final))
	for _, d := range final {
		docs = append(docs, d)
	}
	scratch := NewAggregator(cat, NewTree(listed), testPeriod, slices.Values(docs))
	regions := []schema.Code{""}
	for _, d := range docs {
		for p := d.Region.Parent(); p != ""; p = p.Parent() {
			regions = append(regions, p)
		}
	}
	for _, region := range regions {
		got, want := inc.Get(region), scratch.Get(region)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("seed %d: %q incremental %s\nscratch %s", seed, region, js(got), js(want))
		}
		if o := oracle(cat, listed, region, docs); !reflect.DeepEqual(got, o) {
			t.Fatalf("seed %d: %q aggregator %s\noracle %s", seed, region, js(got), js(o))
		}
	}
}

// oracle computes an aggregate the slow, obvious way: every document in
// the region that counts, rule by rule.
func oracle(cat *Catalogue, listed []schema.Code, region schema.Code, docs []*Document) *Aggregate {
	out := &Aggregate{Region: region, Period: testPeriod, Values: map[string]float64{}, Reported: map[string]int{}}
	for _, c := range listed {
		if c.Level() == schema.LevelDesa && (region == "" || region.Contains(c)) {
			out.Completeness.Expected++
		}
	}
	lastKey := map[string]string{}
	num, den, fn := map[string]float64{}, map[string]float64{}, map[string]int{}
	for _, d := range docs {
		if !Counts(d) || (region != "" && !region.Contains(d.Region)) {
			continue
		}
		out.Completeness.Reported++
		if d.Status == StatusAccepted {
			out.Completeness.Accepted++
		}
		for code, x := range d.Values {
			ind, ok := cat.Lookup(code)
			if !ok || ind.Type == TypePercent || ind.Agg == AggNone {
				continue
			}
			old, seen := out.Values[code]
			key := d.ApprovedAt + " " + string(d.Region)
			switch {
			case !seen:
				out.Values[code], lastKey[code] = x, key
			case ind.Agg == AggSum:
				out.Values[code] = old + x
			case ind.Agg == AggMax:
				out.Values[code] = max(old, x)
			case ind.Agg == AggMin:
				out.Values[code] = min(old, x)
			case ind.Agg == AggLast && key > lastKey[code]:
				out.Values[code], lastKey[code] = x, key
			}
			out.Reported[code]++
		}
		for _, f := range cat.Formulas {
			if hasAll(d.Values, f.Num) && hasAll(d.Values, f.Den) {
				for _, c := range f.Num {
					num[f.Code] += d.Values[c]
				}
				for _, c := range f.Den {
					den[f.Code] += d.Values[c]
				}
				fn[f.Code]++
			}
		}
	}
	out.Derived = map[string]float64{}
	for _, f := range cat.Formulas {
		if fn[f.Code] > 0 && den[f.Code] > 0 {
			out.Derived[f.Code] = math.Round(num[f.Code]/den[f.Code]*f.Scale*100) / 100
			out.Reported[f.Code] = fn[f.Code]
		}
	}
	return out
}

func hasAll(values map[string]float64, codes []string) bool {
	for _, c := range codes {
		if _, ok := values[c]; !ok {
			return false
		}
	}
	return true
}

func js(v any) string { b, _ := json.Marshal(v); return string(b) }

// TestAggregateRatiosFromBases: a ratio above the desa comes from the
// summed bases, not from the average of the desa ratios.
func TestAggregateRatiosFromBases(t *testing.T) {
	cat := Builtin()
	a := NewAggregator(cat, NewTree([]schema.Code{"32.14.02.2001", "32.14.02.2002"}), testPeriod, slices.Values([]*Document{
		{Region: "32.14.02.2001", Period: testPeriod, Status: StatusApproved,
			Values: map[string]float64{"penduduk.jumlah": 1000, "wilayah.luas_km2": 1}},
		{Region: "32.14.02.2002", Period: testPeriod, Status: StatusApproved,
			Values: map[string]float64{"penduduk.jumlah": 1000, "wilayah.luas_km2": 9}},
	}))
	got := a.Get("32.14.02").Derived["penduduk.kepadatan"]
	if got != 200 { // 2000 people on 10 km², not (1000 + 111.11) / 2
		t.Fatalf("density = %v, want 200", got)
	}
}
