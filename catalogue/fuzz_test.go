package catalogue

import (
	"testing"

	"github.com/lumbung/lumbung/schema"
)

// FuzzFold feeds peer bodies to the fold: it never panics, a change from
// below never takes effect, and whatever takes effect extends the
// effective catalogue (every indicator and category it added is there).
func FuzzFold(f *testing.F) {
	f.Add([]byte(`{"groups":[{"code":"bumdes","label_id":"B","label_en":"B"}],"indicators":[{"code":"bumdes.omzet","label_id":"O","label_en":"T","unit":"Rp","type":"decimal","agg":"sum"}]}`), false)
	f.Add([]byte(`{"categories":[{"code":"bencana_alam","label_id":"Bencana","label_en":"Disaster"}]}`), true)
	f.Add([]byte(`{"indicators":[{"code":"penduduk.jumlah","type":"integer","agg":"sum"}]}`), false)
	f.Add([]byte(`null`), false)
	f.Fuzz(func(t *testing.T, body []byte, fromBelow bool) {
		from := kab
		if fromBelow {
			from = "32.14.02"
		}
		ch := &schema.Change{Origin: schema.Origin{Region: from, Incarnation: "AAAAAA"}, Seq: 1,
			HLC: schema.HLC{Wall: 1}, Entity: Entity(kab), Scope: kab, Op: schema.OpCatalogueSet, Body: body}
		x := Fold(kab, []*schema.Change{ch})
		if fromBelow && x.Revision != 0 {
			t.Fatalf("a change from below took effect: %+v", x)
		}
		eff := NewEffective(x)
		for _, ind := range x.Indicators {
			if _, ok := eff.Lookup(ind.Code); !ok {
				t.Fatalf("indicator %q folded but not in effect", ind.Code)
			}
		}
		codes := eff.CategoryCodes()
		for _, c := range x.Categories {
			found := false
			for _, k := range codes {
				found = found || k == c.Code
			}
			if !found {
				t.Fatalf("category %q folded but not in effect", c.Code)
			}
		}
	})
}

// FuzzFoldRegions feeds peer region lists to the fold: it never panics, a
// list from below never takes effect, and every entry kept lies in the
// region with a name.
func FuzzFoldRegions(f *testing.F) {
	f.Add([]byte(`{"regions":[{"code":"32.14.02","name":"Babakancikao"},{"code":"32.14.02.2001","name":"Cigelam"}]}`), false)
	f.Add([]byte(`{"regions":[{"code":"32.15.01","name":"Karawang"}]}`), true)
	f.Add([]byte(`{"regions":[{"code":"32.14.02","name":""}]}`), false)
	f.Fuzz(func(t *testing.T, body []byte, fromBelow bool) {
		from := kab
		if fromBelow {
			from = "32.14.02"
		}
		ch := &schema.Change{Origin: schema.Origin{Region: from, Incarnation: "AAAAAA"}, Seq: 1,
			HLC: schema.HLC{Wall: 1}, Entity: RegionsEntity(kab), Scope: kab, Op: schema.OpRegionsSet, Body: body}
		l := FoldRegions(kab, []*schema.Change{ch})
		if fromBelow && l.Revision != 0 {
			t.Fatalf("a list from below took effect: %+v", l)
		}
		for _, r := range l.Regions {
			if !kab.Contains(r.Code) || r.Name == "" {
				t.Fatalf("kept %+v", r)
			}
		}
	})
}
