package monografi

import (
	"math"
	"strconv"
	"strings"

	"github.com/lumbung/lumbung/schema"
)

// MaxValue bounds every entered figure. It is far above any real count
// (Indonesia has under 300 million people), and keeps a slip of the
// finger or a bad peer from poisoning the aggregates above.
const MaxValue = 1e12

// CheckValues checks values a person is about to set, against the
// catalogue and against the document's current values (current may be
// nil). It returns a *schema.ValidationError whose fields are
// "values.<code>", or nil.
//
// Each value must be a known, entered (not derived) indicator, a finite
// number from 0 to MaxValue, whole for an integer indicator and at most
// 100 for a percent. Then the catalogue's identities are evaluated on
// current overlaid with values: each identity that involves a value being
// set and whose terms are present (see Rel) must hold. A broken identity
// is reported on every field of values it involves.
func CheckValues(cat *Catalogue, current, values map[string]float64) error {
	if len(values) == 0 {
		var v schema.ValidationError
		v.Add("values", msgNoValuesGiven.Text())
		return v.Err()
	}
	p := problems{}
	bad := map[string]bool{}
	for code, x := range values {
		if m := checkValue(cat, code, x); m != nil {
			p.add(code, *m)
			bad[code] = true
		}
	}
	merged := overlay(current, values, bad)
	for _, id := range cat.Identities {
		touched := termsIn(id, values)
		if len(touched) == 0 || anyTerm(id, bad) {
			continue
		}
		if m, broken := evalIdentity(cat, id, merged); broken {
			for _, code := range touched {
				p.add(code, m)
			}
		}
	}
	return p.err()
}

// CheckSubmit says whether d may be submitted: it is a draft (or was
// returned), it holds at least one value, every value passes the checks
// of CheckValues, and every identity whose terms are present holds. It
// returns a *schema.ValidationError, or nil. A broken identity is
// reported on its total's field.
func CheckSubmit(cat *Catalogue, d *Document) error {
	p := problems{}
	if m := submittable(d.Status); m != nil {
		p.addField("status", *m)
	}
	if len(d.Values) == 0 {
		p.addField("values", msgNoValuesEntered.Text())
	}
	bad := map[string]bool{}
	for code, x := range d.Values {
		if m := checkValue(cat, code, x); m != nil {
			p.add(code, *m)
			bad[code] = true
		}
	}
	for _, id := range cat.Identities {
		if anyTerm(id, bad) {
			continue
		}
		if m, broken := evalIdentity(cat, id, d.Values); broken {
			p.add(id.Total, m)
		}
	}
	return p.err()
}

func submittable(s Status) *schema.Msg {
	switch s {
	case StatusDraft, StatusReturned:
		return nil
	case StatusSubmitted:
		return ptr(msgAlreadySubmitted.Text())
	}
	return ptr(msgApprovedLocked.Text())
}

// checkValue checks one value against its indicator.
func checkValue(cat *Catalogue, code string, x float64) *schema.Msg {
	ind, ok := cat.Lookup(code)
	switch {
	case !ok:
		return ptr(msgUnknownIndicator.Text(cat.Version))
	case ind.Agg == AggDerived:
		return ptr(msgDerived.Text())
	case math.IsNaN(x) || math.IsInf(x, 0):
		return ptr(msgNotANumber.Text())
	case x < 0:
		return ptr(msgNegative.Text(number(x)))
	case x > MaxValue:
		return ptr(msgTooLarge.Text(number(MaxValue)))
	case ind.Type == TypeInteger && x != math.Trunc(x):
		return ptr(msgNotWhole.Text(number(x)))
	case ind.Type == TypePercent && x > 100:
		return ptr(msgNotPercent.Text(number(x)))
	}
	return nil
}

func ptr(m schema.Msg) *schema.Msg { return &m }

// problems gathers messages per field, so that one field broken by two
// identities shows both.
type problems map[string][]schema.Msg

func (p problems) add(code string, m schema.Msg) { p.addField("values."+code, m) }

func (p problems) addField(field string, m schema.Msg) {
	for _, old := range p[field] {
		if old == m {
			return
		}
	}
	p[field] = append(p[field], m)
}

func (p problems) err() error {
	var v schema.ValidationError
	for field, ms := range p {
		ids, ens := make([]string, len(ms)), make([]string, len(ms))
		for i, m := range ms {
			ids[i], ens[i] = m.ID, m.EN
		}
		v.Add(field, schema.Msg{ID: strings.Join(ids, "; "), EN: strings.Join(ens, "; ")})
	}
	return v.Err()
}

// overlay returns current with values written over it, leaving out the
// values in bad.
func overlay(current, values map[string]float64, bad map[string]bool) map[string]float64 {
	out := make(map[string]float64, len(current)+len(values))
	for code, x := range current {
		out[code] = x
	}
	for code, x := range values {
		if !bad[code] {
			out[code] = x
		}
	}
	return out
}

// termsIn returns the terms of id that are keys of values, total first,
// then the parts in their order.
func termsIn(id Identity, values map[string]float64) []string {
	var out []string
	for _, code := range append([]string{id.Total}, id.Parts...) {
		if _, ok := values[code]; ok {
			out = append(out, code)
		}
	}
	return out
}

func anyTerm(id Identity, set map[string]bool) bool {
	if set[id.Total] {
		return true
	}
	for _, code := range id.Parts {
		if set[code] {
			return true
		}
	}
	return false
}

func itoa(n int) string { return strconv.Itoa(n) }
