package locale

import (
	"math"
	"strconv"
	"strings"
)

// Number writes x as it reads in l, with as many decimals as x has:
// 1.234.567,5 in Indonesian, 1,234,567.5 in English. A number too large to
// write out, or not finite, is written as Go writes it (1e+21, NaN).
func Number(l Lang, x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) >= 1e21 {
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	group, point := byte('.'), byte(',')
	if l == EN {
		group, point = ',', '.'
	}
	whole, frac, _ := strings.Cut(strconv.FormatFloat(math.Abs(x), 'f', -1, 64), ".")
	var b strings.Builder
	if x < 0 {
		b.WriteByte('-')
	}
	for i := range len(whole) {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(group)
		}
		b.WriteByte(whole[i])
	}
	if frac != "" {
		b.WriteByte(point)
		b.WriteString(frac)
	}
	return b.String()
}

// ParseNumber reads a number as an officer types it in l: Indonesian
// "7.412" or "9,44", English "7,412" or "9.44"; spaces are ignored. ok is
// false for anything else.
func ParseNumber(l Lang, s string) (float64, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	group, point := ".", ","
	if l == EN {
		group, point = ",", "."
	}
	whole, frac, hasFrac := strings.Cut(s, point)
	if strings.Contains(frac, point) || strings.Contains(frac, group) {
		return 0, false
	}
	if strings.Contains(whole, group) {
		// Groups of three after the first, as written: "7.412", "1.234.567".
		parts := strings.Split(strings.TrimPrefix(whole, "-"), group)
		for i, p := range parts {
			if p == "" || len(p) > 3 || i > 0 && len(p) != 3 {
				return 0, false
			}
		}
		whole = strings.ReplaceAll(whole, group, "")
	}
	if hasFrac {
		whole += "." + frac
	}
	x, err := strconv.ParseFloat(whole, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) || whole == "" {
		return 0, false
	}
	return x, true
}
