package exchange

import (
	"testing"

	"github.com/lumbung/lumbung/schema"
)

func TestScope(t *testing.T) {
	desa := schema.Origin{Region: "32.14.02.2001", Incarnation: "ABCDEF"}
	kec := schema.Origin{Region: "32.14.02", Incarnation: "ABCDEF"}
	for _, tc := range []struct {
		c          schema.Change
		up, down   bool
		linkRegion schema.Code
	}{
		{schema.Change{Origin: desa, Scope: "32.14.02.2001"}, true, true, "32.14.02.2001"},
		{schema.Change{Origin: desa, Scope: "32.14.02.2002"}, false, false, "32.14.02.2001"},
		{schema.Change{Origin: kec, Scope: "32.14.02.2001"}, false, true, "32.14.02.2001"},
		{schema.Change{Origin: kec, Scope: "32.14"}, false, true, "32.14.02.2001"},
		{schema.Change{Origin: kec, Scope: "32.14.02"}, true, true, "32.14.02"},
	} {
		if got := InScope(&tc.c, tc.linkRegion); got != tc.up {
			t.Errorf("InScope(%v, %s) = %v", tc.c, tc.linkRegion, got)
		}
		if got := ForDownlink(&tc.c, tc.linkRegion); got != tc.down {
			t.Errorf("ForDownlink(%v, %s) = %v", tc.c, tc.linkRegion, got)
		}
	}
}
