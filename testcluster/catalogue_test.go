package testcluster

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/lumbung/lumbung/catalogue"
	"github.com/lumbung/lumbung/httpapi"
	"github.com/lumbung/lumbung/localcluster"
	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/schema/sample"
)

// TestCatalogueFlowsDown: reference data reaches the desa below the region
// that wrote it, and no other. The kabupaten adds an indicator and a
// complaint category: every desa of both its kecamatan gets them by sync,
// takes a complaint in the new category and enters the new indicator, and
// the kabupaten's aggregate sums it. One kecamatan adds a category of its
// own: its desa get it; the other kecamatan's desa, which does get the
// kabupaten's later amendment, never holds it. The region list the
// kabupaten publishes reaches the kecamatan and every desa.
func TestCatalogueFlowsDown(t *testing.T) {
	kab := NewCluster(t, 1, ClusterOptions{Region: "32.14", Uplink: localcluster.FastUplink})
	kabURL := kab.Members[0].URL
	kecs := map[schema.Code]*Cluster{}
	for _, k := range []schema.Code{"32.14.02", "32.14.03"} {
		token, err := localcluster.Enroll(kabURL, k)
		if err != nil {
			t.Fatal(err)
		}
		kecs[k] = NewCluster(t, 1, ClusterOptions{Region: k, Upstream: kabURL, Token: token, Uplink: localcluster.FastUplink})
	}
	desa := map[schema.Code]*Member{}
	for _, r := range []schema.Code{"32.14.02.2001", "32.14.02.2002", "32.14.03.2001"} {
		up := kecs[r.Parent()].Members[0].URL
		token, err := localcluster.Enroll(up, r)
		if err != nil {
			t.Fatal(err)
		}
		d, err := localcluster.StartDesa(t.TempDir(), r, DesaOptions{Logger: Logger(t), Upstream: up, Token: token, Uplink: localcluster.FastUplink})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = d.Stop() })
		desa[r] = d
	}

	bumdes := httpapi.CatalogueInput{Officer: "bappeda", Body: catalogue.SampleExtension()}
	mustDo(t, officer.Admin, "POST", desa["32.14.02.2001"].URL+"/api/v1/catalogue", bumdes, 403)
	mustDo(t, officer.Admin, "POST", kabURL+"/api/v1/catalogue", bumdes, 200)
	for r, d := range desa {
		waitCatalogue(t, d.URL, r, func(c *catalogue.Effective) bool {
			_, ok := c.Lookup("bumdes.omzet_juta")
			return ok && slices.Contains(c.CategoryCodes(), "bencana_alam")
		})
	}

	// The kecamatan 32.14.02 adds a category for its own desa only.
	mustDo(t, officer.Admin, "POST", kecs["32.14.02"].Members[0].URL+"/api/v1/catalogue", map[string]any{"officer": "sekcam",
		"categories": []catalogue.Category{{Code: "irigasi_tersier", LabelID: "Irigasi tersier", LabelEN: "Tertiary irrigation"}}}, 200)
	for _, r := range []schema.Code{"32.14.02.2001", "32.14.02.2002"} {
		waitCatalogue(t, desa[r].URL, r, func(c *catalogue.Effective) bool {
			return slices.Contains(c.CategoryCodes(), "irigasi_tersier")
		})
	}
	// The kabupaten amends its label; once that reached the other
	// kecamatan's desa, the kecamatan's category has had every chance.
	amend := map[string]any{"officer": "bappeda", "categories": []catalogue.Category{
		{Code: "bencana_alam", LabelID: "Bencana alam dan kebakaran", LabelEN: "Natural disaster and fire"}}}
	mustDo(t, officer.Admin, "POST", kabURL+"/api/v1/catalogue", amend, 200)
	other := desa["32.14.03.2001"]
	c := waitCatalogue(t, other.URL, "32.14.03.2001", func(c *catalogue.Effective) bool {
		return len(c.Extensions) == 1 && c.Extensions[0].Revision == 2
	})
	if slices.Contains(c.CategoryCodes(), "irigasi_tersier") {
		t.Fatal("a kecamatan's category reached a desa of another kecamatan")
	}
	log, _, err := other.Node().Store().LogRange(0, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	for _, ch := range log {
		if ch.Entity == catalogue.Entity("32.14.02") {
			t.Fatalf("desa 32.14.03.2001 holds %s", ch.Entity)
		}
	}

	// Desa use what arrived: a complaint in the new category, figures for
	// the new indicator, approved at the kecamatan, summed at the kabupaten.
	complaint := map[string]any{"region": "32.14.03.2001", "channel": "walk_in", "category": "bencana_alam",
		"title": "Longsor menutup jalan desa", "description": "Tanah longsor di dusun II menutup jalan sejak semalam.",
		"reporter": map[string]any{"name": "Sutrisno"}, "officer": "operator desa"}
	mustDo(t, officer.Operator, "POST", other.URL+"/api/v1/complaints", complaint, 201)
	complaint["category"] = "irigasi_tersier"
	mustDo(t, officer.Operator, "POST", other.URL+"/api/v1/complaints", complaint, 422)
	omzet := map[schema.Code]float64{"32.14.02.2001": 120, "32.14.03.2001": 45.5}
	for r, x := range omzet {
		values := sample.Monografi()
		values["bumdes.omzet_juta"] = x
		mustDo(t, officer.Operator, "PUT", docURL(desa[r].URL, r), map[string]any{"values": values, "officer": "operator desa"}, 200)
		mustDo(t, officer.Operator, "POST", docURL(desa[r].URL, r)+"/submit", nil, 200)
		kec := kecs[r.Parent()].Members[0].URL
		waitStatus(t, kec, r, "submitted")
		mustDo(t, officer.Verifikator, "POST", docURL(kec, r)+"/approve", map[string]any{"officer": "sekcam"}, 200)
		waitStatus(t, kabURL, r, "approved")
	}
	var agg monografi.Aggregate
	decode(t, mustDo(t, officer.Viewer, "GET", kabURL+"/api/v1/monografi/32.14/"+period, nil, 200), &agg)
	if agg.Values["bumdes.omzet_juta"] != 165.5 || agg.Reported["bumdes.omzet_juta"] != 2 {
		t.Fatalf("kabupaten omzet %v from %d desa, want 165.5 from 2", agg.Values["bumdes.omzet_juta"], agg.Reported["bumdes.omzet_juta"])
	}

	// The kecamatan's monograph table (what monografi export lays out):
	// a column per listed desa, the one that never entered figures too,
	// and the kecamatan's total of the approved ones.
	// The region list is reference data too: the kabupaten publishes it,
	// and the kecamatan and every desa below hold it after sync.
	list := []node.Region{{Code: "32.14.02", Name: "Babakancikao"}, {Code: "32.14.02.2001", Name: "Cigelam"},
		{Code: "32.14.02.2002", Name: "Mulyamekar"}, {Code: "32.14.03", Name: "Bungursari"},
		{Code: "32.14.03.2001", Name: "Cibening"}}
	mustDo(t, officer.Admin, "POST", desa["32.14.03.2001"].URL+"/api/v1/regions", map[string]any{"regions": list}, 403)
	mustDo(t, officer.Admin, "POST", kabURL+"/api/v1/regions", map[string]any{"regions": append(list, node.Region{Code: "32.15.01", Name: "Karawang"})}, 422)
	mustDo(t, officer.Admin, "POST", kabURL+"/api/v1/regions", map[string]any{"regions": []node.Region{}}, 422)
	// A bad entry in the second change of a long list writes nothing of
	// the first either.
	var long []node.Region
	for i := range 2000 {
		long = append(long, node.Region{Code: schema.Code(fmt.Sprintf("32.14.09.%04d", 2001+i)), Name: "Desa"})
	}
	mustDo(t, officer.Admin, "POST", kabURL+"/api/v1/regions", map[string]any{"regions": append(long, node.Region{Code: "32.15.01", Name: "Karawang"})}, 422)
	if _, known, _, _ := kab.Members[0].Node().Store().RegionName("32.14.09.2001"); known {
		t.Fatal("a refused region list was partly published")
	}
	mustDo(t, officer.Admin, "POST", kabURL+"/api/v1/regions", map[string]any{"officer": "bappeda", "regions": list}, 200)
	kecA := kecs["32.14.02"].Members[0]
	for _, m := range []*Member{kecA, desa["32.14.02.2001"], desa["32.14.03.2001"]} {
		waitFor(t, func() bool {
			name, known, _, err := m.Node().Store().RegionName("32.14.03.2001")
			return err == nil && known && name == "Cibening"
		}, 30*time.Second, "the region list at "+m.URL)
	}
	// The kabupaten's aggregate, read before the list, now counts against it.
	decode(t, mustDo(t, officer.Viewer, "GET", kabURL+"/api/v1/monografi/32.14/"+period, nil, 200), &agg)
	if agg.Completeness.Expected != 3 || agg.Completeness.Reported != 2 {
		t.Fatalf("kabupaten completeness after the region list: %+v", agg.Completeness)
	}
	var table node.MonografiTable
	decode(t, mustDo(t, officer.Viewer, "GET", docURL(kecA.URL, "32.14.02")+"/table", nil, 200), &table)
	if table.Name != "Babakancikao" || len(table.Columns) != 2 || table.Columns[0].Name != "Cigelam" ||
		table.Columns[0].Values["bumdes.omzet_juta"] != 120 || table.Columns[1].Status != monografi.StatusDraft ||
		table.Total.Values["bumdes.omzet_juta"] != 120 || table.Total.Completeness.Expected != 2 {
		t.Fatalf("kecamatan table: %+v", table)
	}
}

// waitCatalogue waits until the catalogue in effect at region, read from
// the node at url, satisfies ok, and returns it.
func waitCatalogue(t *testing.T, url string, region schema.Code, ok func(*catalogue.Effective) bool) *catalogue.Effective {
	t.Helper()
	var c *catalogue.Effective
	waitFor(t, func() bool {
		var err error
		c, err = apiClient(t, url).Catalogue(t.Context(), region)
		return err == nil && ok(c)
	}, 30*time.Second, "the catalogue at "+url)
	return c
}
