package node

import (
	"strings"
	"testing"

	"github.com/lumbung/lumbung/schema"
)

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
