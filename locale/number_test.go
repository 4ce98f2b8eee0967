package locale

import "testing"

func TestParseNumber(t *testing.T) {
	for _, tc := range []struct {
		l    Lang
		in   string
		want float64
		ok   bool
	}{
		{ID, "7.412", 7412, true}, {ID, "9,44", 9.44, true}, {ID, "1.234.567,5", 1234567.5, true}, {ID, " 12 ", 12, true},
		{EN, "7,412", 7412, true}, {EN, "9.44", 9.44, true}, {ID, "7.41", 0, false}, {ID, "1,2,3", 0, false},
		{ID, "abc", 0, false}, {ID, "", 0, false}, {ID, "NaN", 0, false}, {ID, "-3", -3, true},
	} {
		got, ok := ParseNumber(tc.l, tc.in)
		if ok != tc.ok || ok && got != tc.want {
			t.Errorf("ParseNumber(%s, %q) = %v %v, want %v %v", tc.l, tc.in, got, ok, tc.want, tc.ok)
		}
		if ok && tc.ok {
			if back, ok := ParseNumber(tc.l, Number(tc.l, got)); !ok || back != got {
				t.Errorf("%v does not read back from %q", got, Number(tc.l, got))
			}
		}
	}
}
