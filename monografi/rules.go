package monografi

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/schema"
)

// evalIdentity evaluates id on vals. It reports broken only when the
// identity can be judged (see Rel) and fails, with a message naming the
// numbers.
func evalIdentity(cat *Catalogue, id Identity, vals map[string]float64) (schema.Msg, bool) {
	total, ok := vals[id.Total]
	if !ok {
		return schema.Msg{}, false
	}
	var present []string
	var sum float64
	for _, code := range id.Parts {
		if x, ok := vals[code]; ok {
			present = append(present, code)
			sum += x
		}
	}
	if len(present) == 0 || (id.Rel == RelEqual && len(present) < len(id.Parts)) {
		return schema.Msg{}, false
	}
	limit := total * factor(id)
	tol := 1e-9 * math.Max(1, math.Abs(limit))
	switch {
	case id.Rel == RelEqual && math.Abs(sum-limit) > tol:
	case id.Rel == RelAtMost && sum > limit+tol:
	default:
		return schema.Msg{}, false
	}
	return identityMsg(cat, id, present, vals, sum), true
}

func factor(id Identity) float64 {
	if id.Factor == 0 {
		return 1
	}
	return id.Factor
}

// identityMsg says, in plain words, how the sum disagrees:
// "penduduk laki-laki (1.200) + penduduk perempuan (1.150) = 2.350, tidak
// sama dengan jumlah penduduk (2.400)".
func identityMsg(cat *Catalogue, id Identity, present []string, vals map[string]float64, sum float64) schema.Msg {
	units := factor(id) != 1
	return schema.Msg{
		ID: termWriter{cat: cat, lang: locale.ID, units: units}.sentence(id, present, vals, sum),
		EN: termWriter{cat: cat, lang: locale.EN, units: units}.sentence(id, present, vals, sum),
	}
}

// termWriter writes the terms of an identity message in one language.
type termWriter struct {
	cat   *Catalogue
	lang  locale.Lang
	units bool // the parts and the total are in different units
}

func (t termWriter) sentence(id Identity, present []string, vals map[string]float64, sum float64) string {
	var b strings.Builder
	for i, code := range present {
		if i > 0 {
			b.WriteString(" + ")
		}
		b.WriteString(t.term(code, vals[code]))
	}
	if len(present) > 1 {
		b.WriteString(" = " + t.amount(present[0], sum) + ",")
	}
	b.WriteString(" " + t.relation(id.Rel) + " " + t.total(id, vals[id.Total]))
	return b.String()
}

func (t termWriter) label(code string) string {
	ind, _ := t.cat.Lookup(code)
	return lowerFirst(locale.Text{ID: ind.LabelID, EN: ind.LabelEN}.In(t.lang))
}

func (t termWriter) number(x float64) string { return number(x).In(t.lang) }

// amount is x, followed by code's unit when units differ.
func (t termWriter) amount(code string, x float64) string {
	if !t.units {
		return t.number(x)
	}
	ind, _ := t.cat.Lookup(code)
	return t.number(x) + " " + ind.Unit
}

func (t termWriter) term(code string, x float64) string {
	return t.label(code) + " (" + t.amount(code, x) + ")"
}

func (t termWriter) relation(r Rel) string {
	if r == RelEqual {
		return msgNotEqual.In(t.lang)
	}
	return msgMoreThan.In(t.lang)
}

// total writes the total, converted into the parts' unit when needed:
// "luas wilayah (4,5 km² = 450 ha)".
func (t termWriter) total(id Identity, x float64) string {
	s := t.amount(id.Total, x)
	if t.units {
		s += " = " + t.amount(id.Parts[0], x*factor(id))
	}
	return t.label(id.Total) + " (" + s + ")"
}

// lowerFirst lower-cases the first letter of a label for use inside a
// sentence, unless the label starts with an acronym ("PNS/TNI/Polri").
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	next, _ := utf8.DecodeRuneInString(s[n:])
	if unicode.IsUpper(next) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// Derived computes the derived indicators of the catalogue from values:
// a document's own values, or the aggregated values of a region above, so
// that ratios come from aggregated bases and are never averaged. A ratio
// is left out unless all its inputs are present and its denominator is
// above zero. Results are rounded to two decimals.
func Derived(cat *Catalogue, values map[string]float64) map[string]float64 {
	out := map[string]float64{}
	for _, f := range cat.Formulas {
		num, ok1 := sumAll(values, f.Num)
		den, ok2 := sumAll(values, f.Den)
		if r, ok := ratio(num, den, f.Scale); ok && ok1 && ok2 {
			out[f.Code] = r
		}
	}
	return out
}

// ratio is num over den times scale, rounded to two decimals, if it is a
// finite number from a positive denominator.
func ratio(num, den, scale float64) (float64, bool) {
	if den <= 0 || num < 0 {
		return 0, false
	}
	r := num / den * scale
	if math.IsInf(r, 0) || math.IsNaN(r) {
		return 0, false
	}
	return round2(r), true
}

// sumAll adds the values of codes, and reports whether all were present
// and finite.
func sumAll(values map[string]float64, codes []string) (float64, bool) {
	var s float64
	for _, code := range codes {
		x, ok := values[code]
		if !ok || math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, false
		}
		s += x
	}
	return s, true
}

func round2(x float64) float64 {
	if math.Abs(x) >= 1e15 {
		return x
	}
	return math.Round(x*100) / 100
}

// number writes x, rounded to four decimals, the Indonesian way
// (1.234.567,5) and the English way (1,234,567.5).
func number(x float64) locale.Text {
	if math.Abs(x) < 1e15 {
		x = math.Round(x*1e4) / 1e4
	}
	return locale.Text{ID: locale.Number(locale.ID, x), EN: locale.Number(locale.EN, x)}
}
