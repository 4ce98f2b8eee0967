package catalogue

import (
	"cmp"
	"errors"
	"slices"
	"strings"

	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/schema"
)

// Extension is the reference data one region adds for everything below
// it: every item its changes added, each as last amended, sorted by code.
type Extension struct {
	Region     schema.Code           `json:"region"`
	Groups     []monografi.Group     `json:"groups"`
	Indicators []monografi.Indicator `json:"indicators"`
	Categories []Category            `json:"categories"`
	// Revision counts the changes that took effect; Skipped those that
	// did not (from outside the region's line, or failing Body.Check).
	Revision  int    `json:"revision"`
	Skipped   int    `json:"skipped"`
	UpdatedAt string `json:"updated_at,omitempty"`
	// NotUnderstood counts the changes a newer version made (an op or a
	// body field unknown here): kept, not folded.
	NotUnderstood int `json:"not_understood,omitempty"`
}

// Fold builds the extension of region from its changes, in any order and
// with repeats. A change takes effect only when it is an OpCatalogueSet on
// Entity(region), written by a node of region or above it (never from
// below: a desa cannot extend its kabupaten's catalogue), and its body
// passes Body.Check against the extension so far; it applies whole or
// not at all. Fold never fails.
func Fold(region schema.Code, changes []*schema.Change) *Extension {
	x := &Extension{Region: region, Groups: []monografi.Group{}, Indicators: []monografi.Indicator{},
		Categories: []Category{}}
	entity := Entity(region)
	for _, ch := range schema.SortChanges(changes) {
		if ch.Entity != entity {
			continue
		}
		b, err := x.accept(ch)
		if errors.Is(err, schema.ErrNotUnderstood) {
			x.NotUnderstood++
			continue
		} else if err != nil {
			x.Skipped++
			continue
		}
		x.Groups = merge(x.Groups, b.Groups, groupCode)
		x.Indicators = merge(x.Indicators, b.Indicators, indicatorCode)
		x.Categories = merge(x.Categories, b.Categories, categoryCode)
		x.Revision++
		x.UpdatedAt = schema.FormatWall(ch.HLC.Wall)
	}
	return x
}

// accept returns the body of a change that takes effect, or why it does
// not: schema.ErrNotUnderstood for a newer version's change, ErrBody or
// errSkipped otherwise.
func (x *Extension) accept(ch *schema.Change) (*Body, error) {
	if !schema.KnownOp(ch.Op) {
		return nil, schema.ErrNotUnderstood
	}
	if ch.Op != schema.OpCatalogueSet || !ch.Origin.Region.Contains(x.Region) ||
		x.Region.Level() >= schema.LevelDesa {
		return nil, errSkipped
	}
	b, err := decodeBody(ch.Body)
	if err != nil {
		return nil, err
	}
	if err := b.Check(x); err != nil {
		return nil, err
	}
	for i := range b.Indicators {
		b.Indicators[i].Group, _, _ = strings.Cut(b.Indicators[i].Code, ".")
	}
	return b, nil
}

// errSkipped marks a change that has no effect on a fold.
var errSkipped = errors.New("catalogue: change skipped")

// merge returns old with each of add put in place by its code: an item of
// a code already there replaces it, a new one is inserted in order.
func merge[T any](old, add []T, code func(T) string) []T {
	out := slices.Clone(old)
	for _, a := range add {
		i, found := slices.BinarySearchFunc(out, code(a), func(t T, c string) int { return cmp.Compare(code(t), c) })
		if found {
			out[i] = a
		} else {
			out = slices.Insert(out, i, a)
		}
	}
	return out
}

func groupCode(g monografi.Group) string         { return g.Code }
func indicatorCode(i monografi.Indicator) string { return i.Code }
func categoryCode(c Category) string             { return string(c.Code) }
