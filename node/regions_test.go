package node

import (
	"strings"
	"testing"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/schema"
)

// TestRegionListRefusesUnknownRegions runs a desa node whose code is not
// on the imported list: with no list it takes the complaint; once the list
// is loaded, complaints and monografi for the unknown region are refused
// with a clear error and nothing is written.
func TestRegionListRefusesUnknownRegions(t *testing.T) {
	dir := t.TempDir()
	cfg := DefaultConfig(TierDesa, "32.14.02.2099")
	if err := SaveConfig(dir, cfg); err != nil {
		t.Fatal(err)
	}
	n, err := Open(dir, cfg, Options{Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	api := newTestServer(t, n)
	m := sampleComplaint()
	m["region"] = "32.14.02.2099"
	if code := call(t, "POST", api+"/api/v1/complaints", m, nil); code != 201 {
		t.Fatalf("without a region list: %d, want 201", code)
	}
	regions, err := ParseRegions(strings.NewReader(SampleRegions))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.Store().ImportRegions(regions); err != nil {
		t.Fatal(err)
	}
	before := storeDigest(t, n.Store())
	var got locale.ErrorBody
	if code := call(t, "POST", api+"/api/v1/complaints", m, &got); code != 422 || got.Error.Code != "unknown_region" {
		t.Errorf("complaint for an unlisted desa: %d %+v", code, got.Error)
	}
	if got.Error.Fields["region"] == "" {
		t.Errorf("error does not name the region field: %+v", got.Error)
	}
	if code := call(t, "PUT", api+"/api/v1/monografi/32.14.02.2099/2026-S1", `{"values":{"penduduk.kk":10}}`, &got); code != 422 {
		t.Errorf("monografi for an unlisted desa: %d %+v", code, got.Error)
	}
	if storeDigest(t, n.Store()) != before {
		t.Error("a refused request changed the store")
	}
}

// TestParseRegions reads the Kemendagri CSV, quoted names included, and
// names the line of a bad row.
func TestParseRegions(t *testing.T) {
	rs, err := ParseRegions(strings.NewReader("kode,nama\n32,Jawa Barat\n12.07.28.1007,\"Lubuk Pakam I,II\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 || rs[1].Name != "Lubuk Pakam I,II" || rs[1].Code != schema.Code("12.07.28.1007") {
		t.Errorf("parsed %+v", rs)
	}
	if _, err := ParseRegions(strings.NewReader("kode,nama\n32,Jawa Barat\n32.1,Rusak\n")); err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("bad row: err = %v, want one naming line 3", err)
	}
}
