package monografi

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// ErrCatalogue marks a catalogue that contradicts itself: a repeated code,
// a rule naming an unknown indicator, a derived indicator with no formula.
var ErrCatalogue = errors.New("monografi: inconsistent catalogue")

// Type is the kind of number an indicator holds.
type Type string

// The indicator types.
const (
	// TypeInteger is a whole count: people, households, schools.
	TypeInteger Type = "integer"
	// TypeDecimal is a measure with a fraction: area, length, money.
	TypeDecimal Type = "decimal"
	// TypePercent is an entered share from 0 to 100.
	TypePercent Type = "percent"
	// TypeRatio is computed by Derived from other indicators, never entered.
	TypeRatio Type = "ratio"
)

// Agg is how the figures of the regions below combine into the figure of
// the region above.
type Agg string

// The aggregation rules.
const (
	// AggSum adds the figures: populations, counts of facilities, areas.
	AggSum Agg = "sum"
	// AggMax keeps the largest figure, such as the highest elevation.
	AggMax Agg = "max"
	// AggMin keeps the smallest figure, such as the lowest elevation.
	AggMin Agg = "min"
	// AggLast keeps the figure of the latest period.
	AggLast Agg = "last"
	// AggNone means the figure does not combine (a distance, an entered
	// percentage): it is shown per region only.
	AggNone Agg = "none"
	// AggDerived means the figure is recomputed from aggregated bases by
	// Derived, never averaged.
	AggDerived Agg = "derived"
)

// Indicator is one figure of the monografi.
type Indicator struct {
	// Code is dotted, lower case, group first: "penduduk.jumlah".
	Code string `json:"code"`
	// Group is the first part of Code: "penduduk".
	Group string `json:"group"`
	// LabelID is the Indonesian label, as printed on the form.
	LabelID string `json:"label_id"`
	// LabelEN is the English label.
	LabelEN string `json:"label_en"`
	// Unit is what the number counts or measures: "jiwa", "KK", "ha".
	Unit string `json:"unit"`
	// Type is the kind of number.
	Type Type `json:"type"`
	// Agg is the aggregation rule.
	Agg Agg `json:"agg"`
}

// Rel is how an identity compares its parts with its total.
type Rel string

// The relations.
const (
	// RelEqual: the parts add up to the total exactly. Checked only when
	// every term is present.
	RelEqual Rel = "eq"
	// RelAtMost: the parts add up to no more than the total. Checked when
	// the total and at least one part are present, since every part is
	// non-negative.
	RelAtMost Rel = "le"
)

// Identity is a sum that must agree: Parts added up, compared by Rel with
// Total times Factor.
type Identity struct {
	Parts []string `json:"parts"`
	Rel   Rel      `json:"rel"`
	Total string   `json:"total"`
	// Factor converts the total into the parts' unit (100 ha per km²);
	// zero means 1.
	Factor float64 `json:"factor,omitempty"`
}

// Formula computes a derived indicator: the sum of Num over the sum of
// Den, times Scale.
type Formula struct {
	Code  string   `json:"code"`
	Num   []string `json:"num"`
	Den   []string `json:"den"`
	Scale float64  `json:"scale"`
}

// Group is a section of the monografi form.
type Group struct {
	Code    string `json:"code"`
	LabelID string `json:"label_id"`
	LabelEN string `json:"label_en"`
}

// Catalogue is one version of the list of indicators, with the sums that
// must agree and the formulas of the derived ratios. A catalogue is read
// only once made; NewCatalogue checks it.
type Catalogue struct {
	Version    int         `json:"version"`
	Groups     []Group     `json:"groups"`
	Indicators []Indicator `json:"indicators"` // sorted by code
	Identities []Identity  `json:"identities"`
	Formulas   []Formula   `json:"formulas"`
}

var codeRE = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$`)

// ValidCode reports whether s is shaped like an indicator code: dotted
// lower-case words, at most 64 bytes.
func ValidCode(s string) bool { return len(s) <= 64 && codeRE.MatchString(s) }

// Lookup returns the indicator with code.
func (c *Catalogue) Lookup(code string) (Indicator, bool) {
	i := sort.Search(len(c.Indicators), func(i int) bool { return c.Indicators[i].Code >= code })
	if i < len(c.Indicators) && c.Indicators[i].Code == code {
		return c.Indicators[i], true
	}
	return Indicator{}, false
}

// NewCatalogue sorts the indicators by code, fills in their groups, and
// checks that the catalogue is consistent. Errors wrap ErrCatalogue.
func NewCatalogue(version int, groups []Group, inds []Indicator, ids []Identity, fs []Formula) (*Catalogue, error) {
	c := &Catalogue{Version: version, Groups: groups, Identities: ids, Formulas: fs}
	c.Indicators = append([]Indicator(nil), inds...)
	for i := range c.Indicators {
		c.Indicators[i].Group, _, _ = strings.Cut(c.Indicators[i].Code, ".")
	}
	sort.Slice(c.Indicators, func(i, j int) bool { return c.Indicators[i].Code < c.Indicators[j].Code })
	if err := c.check(); err != nil {
		return nil, fmt.Errorf("%w: version %d: %w", ErrCatalogue, version, err)
	}
	return c, nil
}

func (c *Catalogue) check() error {
	groups := map[string]bool{}
	for _, g := range c.Groups {
		groups[g.Code] = true
	}
	for i, ind := range c.Indicators {
		if i > 0 && c.Indicators[i-1].Code == ind.Code {
			return fmt.Errorf("indicator %q appears twice", ind.Code)
		}
		if err := checkIndicator(ind, groups); err != nil {
			return err
		}
	}
	for _, id := range c.Identities {
		if err := c.checkIdentity(id); err != nil {
			return err
		}
	}
	return c.checkFormulas()
}

func checkIndicator(ind Indicator, groups map[string]bool) error {
	switch {
	case !ValidCode(ind.Code):
		return fmt.Errorf("indicator code %q is not dotted lower case", ind.Code)
	case !groups[ind.Group]:
		return fmt.Errorf("indicator %q: unknown group %q", ind.Code, ind.Group)
	case ind.LabelID == "" || ind.LabelEN == "" || ind.Unit == "":
		return fmt.Errorf("indicator %q needs both labels and a unit", ind.Code)
	case (ind.Type == TypeRatio) != (ind.Agg == AggDerived):
		return fmt.Errorf("indicator %q: type ratio goes with aggregation derived, and only with it", ind.Code)
	}
	switch ind.Type {
	case TypeInteger, TypeDecimal, TypePercent, TypeRatio:
	default:
		return fmt.Errorf("indicator %q: unknown type %q", ind.Code, ind.Type)
	}
	switch ind.Agg {
	case AggSum, AggMax, AggMin, AggLast, AggNone, AggDerived:
	default:
		return fmt.Errorf("indicator %q: unknown aggregation %q", ind.Code, ind.Agg)
	}
	return nil
}

func (c *Catalogue) checkIdentity(id Identity) error {
	if len(id.Parts) == 0 || (id.Rel != RelEqual && id.Rel != RelAtMost) {
		return fmt.Errorf("identity for %q needs parts and a relation eq or le", id.Total)
	}
	for _, code := range append([]string{id.Total}, id.Parts...) {
		if ind, ok := c.Lookup(code); !ok || ind.Agg == AggDerived {
			return fmt.Errorf("identity for %q names %q, not an entered indicator", id.Total, code)
		}
	}
	return nil
}

func (c *Catalogue) checkFormulas() error {
	seen := map[string]bool{}
	for _, f := range c.Formulas {
		if ind, ok := c.Lookup(f.Code); !ok || ind.Agg != AggDerived || seen[f.Code] {
			return fmt.Errorf("formula for %q: not a derived indicator, or given twice", f.Code)
		}
		seen[f.Code] = true
		for _, code := range append(append([]string(nil), f.Num...), f.Den...) {
			if ind, ok := c.Lookup(code); !ok || ind.Agg == AggDerived {
				return fmt.Errorf("formula for %q names %q, not an entered indicator", f.Code, code)
			}
		}
	}
	for _, ind := range c.Indicators {
		if ind.Agg == AggDerived && !seen[ind.Code] {
			return fmt.Errorf("derived indicator %q has no formula", ind.Code)
		}
	}
	return nil
}
