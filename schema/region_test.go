package schema_test

import (
	"errors"
	"testing"

	"github.com/lumbung/lumbung/schema"
)

func TestParseCode(t *testing.T) {
	for _, tc := range []struct {
		in    string
		level schema.Level
		kind  schema.DesaKind
	}{
		{"32", schema.LevelProvince, schema.NotDesa},
		{"11", schema.LevelProvince, schema.NotDesa},
		{"99", schema.LevelProvince, schema.NotDesa},
		{"32.14", schema.LevelKabupaten, schema.NotDesa},
		{"32.01", schema.LevelKabupaten, schema.NotDesa},
		{"32.69", schema.LevelKabupaten, schema.NotDesa},
		{"32.71", schema.LevelKabupaten, schema.NotDesa},
		{"32.99", schema.LevelKabupaten, schema.NotDesa},
		{"32.14.01", schema.LevelKecamatan, schema.NotDesa},
		{"32.14.99", schema.LevelKecamatan, schema.NotDesa},
		{"32.14.02.1001", schema.LevelDesa, schema.Kelurahan},
		{"32.14.02.2001", schema.LevelDesa, schema.Desa},
		{"51.03.01.3012", schema.LevelDesa, schema.DesaAdat},
		{"32.14.02.2999", schema.LevelDesa, schema.Desa},
		{"32.14.02.1010", schema.LevelDesa, schema.Kelurahan},
	} {
		c, err := schema.ParseCode(tc.in)
		if err != nil {
			t.Errorf("ParseCode(%q): %v", tc.in, err)
			continue
		}
		if string(c) != tc.in || !c.Valid() || c.Level() != tc.level || c.Kind() != tc.kind {
			t.Errorf("ParseCode(%q) = %q valid=%v level=%v kind=%q, want level %v kind %q",
				tc.in, c, c.Valid(), c.Level(), c.Kind(), tc.level, tc.kind)
		}
	}
}

func TestParseCodeRejects(t *testing.T) {
	for _, in := range []string{
		"", "3", "321", "32.", ".32", "32.14.", "32..14",
		"32.14.2",  // kecamatan needs two digits
		"32-14",    // dots only
		"3214",     // compact form is not accepted
		"00.01",    // no province 00
		"10", "09", // provinces start at 11
		"32.00",         // no kabupaten 00
		"32.70",         // 70 is neither kabupaten (01-69) nor kota (71-99)
		"32.14.00",      // no kecamatan 00
		"32.14.02.0001", // desa kind 0
		"32.14.02.4001", // desa kind 4
		"32.14.02.9001",
		"32.14.02.2000", // number 000
		"32.14.02.200",  // three digits
		"32.14.02.20011",
		"32.14.02.2001.01", // extra part
		"1.2.3.4.5",        // five parts
		"32.14.02.2001.",
		"3a.14", "32.1b", "32.14.0x", "32.14.02.2o01", "32.14.02.+001",
		" 32.14", "32.14 ", "３２.14", // full-width digits
	} {
		c, err := schema.ParseCode(in)
		if err == nil {
			t.Errorf("ParseCode(%q) = %q, want an error", in, c)
			continue
		}
		if !errors.Is(err, schema.ErrInvalid) {
			t.Errorf("ParseCode(%q): %v is not ErrInvalid", in, err)
		}
		if schema.Code(in).Valid() || schema.Code(in).Level() != schema.LevelInvalid || schema.Code(in).Kind() != schema.NotDesa {
			t.Errorf("Code(%q) looks valid", in)
		}
	}
}

func TestMustCodePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustCode(\"32.70\") did not panic")
		}
	}()
	schema.MustCode("32.70")
}

func TestCodeParent(t *testing.T) {
	for in, want := range map[schema.Code]schema.Code{
		"32.14.02.2001": "32.14.02",
		"32.14.02":      "32.14",
		"32.14":         "32",
		"32":            "",
	} {
		if got := in.Parent(); got != want {
			t.Errorf("Code(%q).Parent() = %q, want %q", in, got, want)
		}
	}
}

func TestCodeContains(t *testing.T) {
	for _, tc := range []struct {
		c, o schema.Code
		want bool
	}{
		{"32", "32", true},
		{"32", "32.14", true},
		{"32", "32.14.02.2001", true},
		{"32.14", "32.14.02", true},
		{"32.14.02", "32.14.02.2001", true},
		{"32.14.02.2001", "32.14.02.2001", true},
		{"32.14.02.2001", "32.14.02", false}, // below does not contain above
		{"32.14", "32", false},
		{"32.14.0", "32.14.02", false}, // a prefix of the string is not a parent
		{"32.1", "32.14", false},
		{"3", "32", false},
		{"32.14", "32.15.01", false},
		{"32.14.02", "32.14.03.2001", false},
		{"32.14", "33.14", false},
	} {
		if got := tc.c.Contains(tc.o); got != tc.want {
			t.Errorf("Code(%q).Contains(%q) = %v, want %v", tc.c, tc.o, got, tc.want)
		}
	}
}

func TestCodeCompact(t *testing.T) {
	for in, want := range map[schema.Code]string{
		"32.14.02.2001": "3214022001",
		"32.14.02":      "321402",
		"32.14":         "3214",
		"32":            "32",
	} {
		if got := in.Compact(); got != want {
			t.Errorf("Code(%q).Compact() = %q, want %q", in, got, want)
		}
	}
}

func TestCodeIsKota(t *testing.T) {
	for in, want := range map[schema.Code]bool{
		"32":            false,
		"32.14":         false, // Kabupaten Purwakarta
		"32.69":         false,
		"32.71":         true, // Kota Bogor
		"32.99":         true,
		"32.73.01":      true,
		"32.73.01.1001": true,
		"32.14.02.2001": false,
	} {
		if got := in.IsKota(); got != want {
			t.Errorf("Code(%q).IsKota() = %v, want %v", in, got, want)
		}
	}
}

func TestLevelAndKindNames(t *testing.T) {
	for l, want := range map[schema.Level]string{
		schema.LevelInvalid: "invalid", schema.LevelProvince: "province", schema.LevelKabupaten: "kabupaten",
		schema.LevelKecamatan: "kecamatan", schema.LevelDesa: "desa",
	} {
		if l.String() != want {
			t.Errorf("Level(%d).String() = %q, want %q", l, l.String(), want)
		}
	}
	for k, want := range map[schema.DesaKind]string{
		schema.NotDesa: "", schema.Kelurahan: "kelurahan", schema.Desa: "desa", schema.DesaAdat: "desa adat",
	} {
		if k.String() != want {
			t.Errorf("DesaKind(%d).String() = %q, want %q", k, k.String(), want)
		}
	}
}
