package workday

import (
	"strings"
	"testing"
	"time"
)

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, WIB)
	if err != nil {
		panic(err)
	}
	return t
}

var testHolidays = []Holiday{
	{"2026-03-19", "Nyepi"}, {"2026-03-20", "Idulfitri"}, {"2026-03-23", "cuti bersama"},
	{"2026-08-17", "Kemerdekaan"}, {"2026-12-24", "cuti bersama Natal"}, {"2026-12-25", "Natal"},
	{"2027-01-01", "Tahun Baru"}, {"2026-03-21", "Idulfitri (a Saturday)"},
}

// TestDue: a step due within n working days of t is due at the end of
// the n-th working day after t's day.
func TestDue(t *testing.T) {
	cal := New(WIB, testHolidays)
	for _, tc := range []struct {
		name, from string
		n          int
		due        string // the first instant that is late
	}{
		{"Monday, plain week", "2026-06-08 10:00", 3, "2026-06-12 00:00"},
		{"Thursday, over a weekend", "2026-06-11 09:00", 3, "2026-06-17 00:00"},
		{"Friday late evening", "2026-06-12 23:59", 3, "2026-06-18 00:00"},
		{"Saturday counts from Monday", "2026-06-13 08:00", 3, "2026-06-18 00:00"},
		{"Sunday", "2026-06-14 08:00", 1, "2026-06-16 00:00"},
		{"over Nyepi, Idulfitri and cuti bersama", "2026-03-18 10:00", 3, "2026-03-27 00:00"},
		{"a holiday on a Saturday changes nothing", "2026-03-20 10:00", 1, "2026-03-25 00:00"},
		{"Independence Day on a Monday", "2026-08-14 10:00", 1, "2026-08-19 00:00"},
		{"over the year end", "2026-12-23 16:00", 5, "2027-01-05 00:00"},
		{"10 working days over the year end", "2026-12-21 09:00", 10, "2027-01-08 00:00"},
		{"zero days: the end of the day", "2026-06-08 10:00", 0, "2026-06-09 00:00"},
		{"UTC input is read in WIB", "2026-06-12 20:00", 1, "2026-06-16 00:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			from := at(tc.from)
			if strings.HasPrefix(tc.name, "UTC") {
				from = time.Date(2026, 6, 12, 20, 0, 0, 0, time.UTC) // Saturday 03:00 WIB
			}
			if got := cal.Due(from, tc.n); !got.Equal(at(tc.due)) {
				t.Fatalf("Due(%s, %d) = %s, want %s", from, tc.n, got.In(WIB).Format("2006-01-02 15:04 Mon"), tc.due)
			}
		})
	}
}

// TestBetween counts the working days passed, the inverse of Due.
func TestBetween(t *testing.T) {
	cal := New(nil, testHolidays)
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"2026-06-08 10:00", "2026-06-08 17:00", 0},
		{"2026-06-08 10:00", "2026-06-11 09:00", 3},
		{"2026-06-12 10:00", "2026-06-15 09:00", 1},
		{"2026-06-12 10:00", "2026-06-14 09:00", 0},
		{"2026-03-18 10:00", "2026-03-26 09:00", 3},
		{"2026-12-23 10:00", "2027-01-04 09:00", 5},
		{"2026-06-10 10:00", "2026-06-08 10:00", 0},
	} {
		if got := cal.Between(at(tc.a), at(tc.b)); got != tc.want {
			t.Errorf("Between(%s, %s) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
	// Due and Between agree: the due instant is exactly n working days on.
	for d := at("2026-01-01 09:00"); d.Before(at("2027-01-31 09:00")); d = d.Add(17 * time.Hour) {
		for n := 1; n <= 10; n++ {
			due := cal.Due(d, n)
			if got := cal.Between(d, due.Add(-time.Minute)); got != n {
				t.Fatalf("Between(%s, Due-1m) = %d, want %d", d, got, n)
			}
			if !cal.IsWorkday(due.Add(-time.Minute)) {
				t.Fatalf("Due(%s, %d) does not end a working day", d, n)
			}
		}
	}
}

func TestParseHolidays(t *testing.T) {
	h, err := ParseHolidays(strings.NewReader("# komentar\n2026-08-17,Kemerdekaan\n\n2026-01-01, Tahun Baru \n"))
	if err != nil || len(h) != 2 || h[0] != (Holiday{"2026-01-01", "Tahun Baru"}) {
		t.Fatalf("got %v, %v", h, err)
	}
	if _, err := ParseHolidays(strings.NewReader("2026-01-01,a\n17-08-2026,b\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("a bad date: %v", err)
	}
	if len(Default()) < 15 {
		t.Fatal("the built-in list is short")
	}
}

func TestZoneOf(t *testing.T) {
	for region, want := range map[string]*time.Location{"32.14.02.2001": WIB, "61": WIB, "51.71": WITA, "64.02": WITA,
		"73.71.01": WITA, "81.01": WIT, "94.71": WIT, "": WIB} {
		if got := ZoneOf(region); got != want {
			t.Errorf("ZoneOf(%q) = %s, want %s", region, got, want)
		}
	}
}
