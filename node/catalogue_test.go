package node

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/lumbung/lumbung/catalogue"
	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/schema"
)

var (
	extBumdes  = catalogue.SampleExtension()
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
	var ve *schema.ValidationError
	if !errors.As(err, &ve) || ve.Fields["indicators.bumdes.omzet_juta"].ID == "" {
		t.Fatalf("bad extension: %v", err)
	}
	if after, _ := kab.StateDigest(); after != before {
		t.Fatal("a refused extension changed the store")
	}
}
