package httpapi

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/lumbung/lumbung/catalogue"
	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/schema"
)

var (
	extBumdes  = catalogue.SampleExtension()
	testPeriod = monografi.Period("2026-S1")
)

// TestRegionListRefusesUnknownRegions: a kecamatan whose imported
// region list lacks a desa below it refuses complaints and monografi for
// that desa, with a clear error, and writes nothing. No list refuses a
// node's own region: a desa whose code is missing from a list (a wrong
// one, or one published to do harm) still takes complaints for itself.
func TestRegionListRefusesUnknownRegions(t *testing.T) {
	regions, err := node.ParseRegions(strings.NewReader(node.SampleRegions))
	if err != nil {
		t.Fatal(err)
	}
	kec, srv := serveTestMember(t)
	waitReady(t, srv.URL)
	m := sampleComplaint()
	m["region"] = "32.14.02.2099"
	if code := call(t, "POST", srv.URL+"/api/v1/complaints", m, nil); code != 201 {
		t.Fatalf("without a region list: %d, want 201", code)
	}
	if _, err := kec.ImportRegions(context.Background(), regions); err != nil {
		t.Fatal(err)
	}
	before := storeDigest(t, kec.Store())
	var got locale.ErrorBody
	if code := call(t, "POST", srv.URL+"/api/v1/complaints", m, &got); code != 422 || got.Error.Code != "unknown_region" {
		t.Errorf("complaint for an unlisted desa: %d %+v", code, got.Error)
	}
	if got.Error.Fields["region"] == "" {
		t.Errorf("error does not name the region field: %+v", got.Error)
	}
	if code := call(t, "PUT", srv.URL+"/api/v1/monografi/32.14.02.2099/2026-S1", `{"values":{"penduduk.kk":10}}`, &got); code != 422 {
		t.Errorf("monografi for an unlisted desa: %d %+v", code, got.Error)
	}
	if storeDigest(t, kec.Store()) != before {
		t.Error("a refused request changed the store")
	}

	dir := t.TempDir()
	cfg := node.DefaultConfig(node.TierDesa, "32.14.02.2099")
	if err := node.SaveConfig(dir, cfg); err != nil {
		t.Fatal(err)
	}
	desa, err := node.Open(dir, cfg, node.Options{Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer desa.Close()
	if _, err := desa.Store().ImportRegions(regions); err != nil {
		t.Fatal(err)
	}
	if code := call(t, "POST", newTestServer(t, desa)+"/api/v1/complaints", m, &got); code != 201 {
		t.Fatalf("a desa missing from the list, for itself: %d %+v", code, got.Error)
	}
}

// TestExtensionAtDesa: once a kabupaten's extension reaches a desa node,
// its officer takes complaints in the new category and enters the new
// indicator; before, both are refused in words. The catalogue API shows
// what is in effect.
func TestExtensionAtDesa(t *testing.T) {
	n, srv := openTestNode(t)
	complaint := sampleComplaint()
	complaint["category"] = "bencana_alam"
	var refused locale.ErrorBody
	if code := call(t, "POST", srv.URL+"/api/v1/complaints", complaint, &refused); code != 422 || refused.Error.Fields["category"] == "" {
		t.Fatalf("unknown category: %d %+v", code, refused)
	}
	docURL := srv.URL + "/api/v1/monografi/" + string(testDesa) + "/" + string(testPeriod)
	setOmzet := map[string]any{"values": map[string]float64{"bumdes.omzet_juta": 75}, "officer": "operator"}
	if code := call(t, "PUT", docURL, setOmzet, nil); code != 422 {
		t.Fatalf("unknown indicator: %d", code)
	}
	if code := call(t, "POST", srv.URL+"/api/v1/catalogue", map[string]any{"officer": "x", "categories": extBumdes.Categories}, nil); code != 403 {
		t.Fatalf("a desa extended the catalogue: %d", code)
	}

	raw, _ := json.Marshal(extBumdes)
	ext := &schema.Change{Origin: schema.Origin{Region: "32.14", Incarnation: "KKKKKK"}, Seq: 1, HLC: schema.HLC{Wall: 1000},
		Actor: "bappeda", Entity: catalogue.Entity("32.14"), Scope: "32.14", Op: schema.OpCatalogueSet, Body: raw}
	if _, err := n.Store().ApplyChanges(context.Background(), []*schema.Change{ext}); err != nil {
		t.Fatal(err)
	}
	if code := call(t, "POST", srv.URL+"/api/v1/complaints", complaint, nil); code != 201 {
		t.Fatalf("complaint in the new category: %d", code)
	}
	if code := call(t, "PUT", docURL, setOmzet, nil); code != 200 {
		t.Fatalf("the new indicator: %d", code)
	}
	var cat catalogue.Effective
	if code := call(t, "GET", srv.URL+"/api/v1/catalogue", nil, &cat); code != 200 {
		t.Fatalf("catalogue: %d", code)
	}
	if _, ok := cat.Lookup("bumdes.omzet_juta"); !ok || len(cat.Extensions) != 1 || cat.Extensions[0].Region != "32.14" ||
		cat.Categories[len(cat.Categories)-1].Code != "bencana_alam" {
		t.Fatalf("catalogue in effect: %+v %+v", cat.Extensions, cat.Categories)
	}
}
