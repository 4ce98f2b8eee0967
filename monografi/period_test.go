package monografi

import (
	"errors"
	"testing"

	"github.com/lumbung/lumbung/schema"
)

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in       string
		ok       bool
		year     int
		semester int
	}{
		{"2026-S1", true, 2026, 1},
		{"2026-S2", true, 2026, 2},
		{"2026", true, 2026, 0},
		{"2000", true, 2000, 0},
		{"2100-S2", true, 2100, 2},
		{"1999", false, 0, 0},
		{"2101-S1", false, 0, 0},
		{"2026-S3", false, 0, 0},
		{"2026-s1", false, 0, 0},
		{"2026-S", false, 0, 0},
		{"2026-", false, 0, 0},
		{"2026-S1x", false, 0, 0},
		{"26", false, 0, 0},
		{"202a", false, 0, 0},
		{"２０２６", false, 0, 0},
		{"", false, 0, 0},
		{"2026/S1", false, 0, 0},
	}
	for _, tt := range tests {
		p, err := ParsePeriod(tt.in)
		if !tt.ok {
			if err == nil || !errors.Is(err, schema.ErrInvalid) {
				t.Errorf("ParsePeriod(%q) = %q, %v; want an error wrapping schema.ErrInvalid", tt.in, p, err)
			}
			continue
		}
		if err != nil || string(p) != tt.in || p.Year() != tt.year || p.Semester() != tt.semester {
			t.Errorf("ParsePeriod(%q) = %q (year %d, semester %d), %v", tt.in, p, p.Year(), p.Semester(), err)
		}
	}
}

func TestEntity(t *testing.T) {
	e := Entity(testRegion, testPeriod)
	if e != "monografi/32.14.02.2001/2026-S1" {
		t.Fatalf("Entity = %q", e)
	}
	region, p, err := ParseEntity(e)
	if err != nil || region != testRegion || p != testPeriod {
		t.Fatalf("ParseEntity(%q) = %q, %q, %v", e, region, p, err)
	}
	if r, p, err := ParseEntity("monografi/32.14/2026"); err != nil || r != "32.14" || p != "2026" {
		t.Errorf("kabupaten entity: %q, %q, %v", r, p, err)
	}
	for _, bad := range []string{"", "complaint/X", "monografi/32.14.02.2001", "monografi/99.99.99.9999/2026", "monografi/32.14/1999"} {
		if _, _, err := ParseEntity(bad); !errors.Is(err, schema.ErrInvalid) {
			t.Errorf("ParseEntity(%q): got %v, want schema.ErrInvalid", bad, err)
		}
	}
}
