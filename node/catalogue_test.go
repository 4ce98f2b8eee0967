package node

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/lumbung/lumbung/catalogue"
	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/schema"
)

var (
	extBumdes = catalogue.Body{
		Groups: []monografi.Group{{Code: "bumdes", LabelID: "Badan usaha milik desa", LabelEN: "Village-owned enterprises"}},
		Indicators: []monografi.Indicator{{Code: "bumdes.omzet_juta", LabelID: "Omzet BUMDes", LabelEN: "BUMDes turnover",
			Unit: "juta rupiah", Type: monografi.TypeDecimal, Agg: monografi.AggSum}},
		Categories: []catalogue.Category{{Code: "bencana_alam", LabelID: "Bencana alam", LabelEN: "Natural disaster"}},
	}
	testPeriod = monografi.Period("2026-S1")
)

func openRegionStore(t testing.TB, region schema.Code) *Store {
	t.Helper()
	cfg := DefaultStoreConfig(t.TempDir(), region)
	cfg.Logger = testLogger(t)
	s, err := OpenStore(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// remote makes a change as the node of from would have written it.
func remote(t testing.TB, from schema.Code, seq uint64, wall int64, entity string, scope schema.Code, op schema.Op, body any) *schema.Change {
	t.Helper()
	raw, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return &schema.Change{Origin: schema.Origin{Region: from, Incarnation: "BBBBBB"}, Seq: seq, HLC: schema.HLC{Wall: wall},
		Actor: "operator", Entity: entity, Scope: scope, Op: op, Body: raw}
}

// TestUnknownIndicatorKept: a kabupaten node holds a desa's approved
// figures for an indicator it does not know yet. They are kept in the
// document, left out of the aggregate, and counted as soon as the
// kabupaten's extension defines the indicator.
func TestUnknownIndicatorKept(t *testing.T) {
	ctx := context.Background()
	kab := openRegionStore(t, "32.14")
	values := map[string]float64{"penduduk.jumlah": 1000, "bumdes.omzet_juta": 120}
	entity := monografi.Entity(testDesa, testPeriod)
	changes := []*schema.Change{
		remote(t, testDesa, 1, 1000, entity, testDesa, schema.OpMonografiSet, monografi.SetBody{Values: values}),
		remote(t, testDesa, 2, 2000, entity, testDesa, schema.OpMonografiSubmit, monografi.SubmitBody{}),
		remote(t, "32.14.02", 1, 3000, entity, testDesa, schema.OpMonografiApprove, monografi.ApproveBody{Basis: monografi.Basis(values)}),
	}
	if _, err := kab.ApplyChanges(ctx, changes); err != nil {
		t.Fatal(err)
	}
	agg, err := kab.MonografiAggregate("32.14", testPeriod)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := agg.Values["bumdes.omzet_juta"]; ok || agg.Values["penduduk.jumlah"] != 1000 {
		t.Fatalf("before the extension: %v", agg.Values)
	}
	if _, err := runLocal(ctx, kab, kindCatalogueSet, catalogueWrite{Officer: "bappeda", Catalogue: &extBumdes}); err != nil {
		t.Fatal(err)
	}
	agg, err = kab.MonografiAggregate("32.14", testPeriod)
	if err != nil {
		t.Fatal(err)
	}
	if agg.Values["bumdes.omzet_juta"] != 120 || agg.Reported["bumdes.omzet_juta"] != 1 {
		t.Fatalf("after the extension: %v (reported %v)", agg.Values, agg.Reported)
	}
	doc, err := kab.Monografi(testDesa, testPeriod)
	if err != nil || doc.Values["bumdes.omzet_juta"] != 120 || doc.Status != monografi.StatusApproved {
		t.Fatalf("document %+v, %v", doc, err)
	}
}

// TestExtensionRefused: a desa node cannot extend the catalogue, and a bad
// extension at a kabupaten is refused with a 422 naming the item; neither
// stores anything.
func TestExtensionRefused(t *testing.T) {
	ctx := context.Background()
	desa := openRegionStore(t, testDesa)
	if _, err := runLocal(ctx, desa, kindCatalogueSet, catalogueWrite{Officer: "operator", Catalogue: &extBumdes}); err != ErrNotAbove {
		t.Fatalf("a desa extended the catalogue: %v", err)
	}
	kab := openRegionStore(t, "32.14")
	bad := extBumdes
	bad.Groups = nil // the indicator's group is then unknown
	before, _ := kab.StateDigest()
	_, err := runLocal(ctx, kab, kindCatalogueSet, catalogueWrite{Officer: "bappeda", Catalogue: &bad})
	if e := errorFor(err); e.Status != 422 || e.Fields["indicators.bumdes.omzet_juta"].ID == "" {
		t.Fatalf("bad extension: %v (%+v)", err, e)
	}
	if after, _ := kab.StateDigest(); after != before {
		t.Fatal("a refused extension changed the store")
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
