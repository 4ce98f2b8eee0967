package catalogue

import (
	"errors"
	"strings"

	"github.com/lumbung/lumbung/schema"
)

// Region is one entry of the Kemendagri region list.
type Region struct {
	Code schema.Code `json:"code"`
	Name string      `json:"name"`
}

// RegionsBody is what one OpRegionsSet change adds or renames.
type RegionsBody struct {
	Regions []Region `json:"regions"`
}

// Limits on a region list change: a kabupaten has a few hundred desa,
// the largest a little over a thousand.
const (
	MaxRegionsPerChange = 2000
	MaxRegionName       = 100 // letters
)

const regionsPrefix = "regions/"

// RegionsEntity names the region list published by region.
func RegionsEntity(region schema.Code) string { return regionsPrefix + string(region) }

// ParseRegionsEntity returns the region a region list entity belongs to.
func ParseRegionsEntity(entity string) (schema.Code, bool) {
	r, ok := strings.CutPrefix(entity, regionsPrefix)
	return schema.Code(r), ok && schema.Code(r).Valid()
}

// Check reports why b cannot be published by region, or nil: it needs 1
// to MaxRegionsPerChange entries, each a valid code at or below region
// with a name of one line. The error is a *schema.ValidationError.
func (b *RegionsBody) Check(region schema.Code) error {
	if n := len(b.Regions); n == 0 || n > MaxRegionsPerChange {
		return invalid("regions", msgRegions, n, MaxRegionsPerChange)
	}
	for _, r := range b.Regions {
		field := "regions." + string(r.Code)
		switch {
		case !r.Code.Valid() || !region.Contains(r.Code):
			return invalid(field, msgRegionCode, region)
		case !plainText(r.Name, MaxRegionName):
			return invalid(field, msgRegionName, MaxRegionName)
		}
	}
	return nil
}

// RegionList is the region list a region published: every entry its
// changes gave, each with its last name, sorted by code.
type RegionList struct {
	Region   schema.Code `json:"region"`
	Regions  []Region    `json:"regions"`
	Revision int         `json:"revision"`
	Skipped  int         `json:"skipped"`
	// NotUnderstood counts a newer version's changes, kept, not folded.
	NotUnderstood int `json:"not_understood,omitempty"`
}

// FoldRegions builds the region list of region from its changes, in any
// order and with repeats. A change takes effect, whole, only when it is an
// OpRegionsSet on RegionsEntity(region) from a node of region or above,
// and its body passes Check. It never fails.
func FoldRegions(region schema.Code, changes []*schema.Change) *RegionList {
	l := &RegionList{Region: region, Regions: []Region{}}
	entity := RegionsEntity(region)
	for _, ch := range schema.SortChanges(changes) {
		if ch.Entity != entity {
			continue
		}
		var b RegionsBody
		if !schema.KnownOp(ch.Op) {
			l.NotUnderstood++
			continue
		}
		if ch.Op != schema.OpRegionsSet || !ch.Origin.Region.Contains(region) {
			l.Skipped++
			continue
		}
		if err := schema.DecodeBody(ch.Body, &b); errors.Is(err, schema.ErrNotUnderstood) {
			l.NotUnderstood++
			continue
		} else if err != nil || b.Check(region) != nil {
			l.Skipped++
			continue
		}
		l.Regions = merge(l.Regions, b.Regions, func(r Region) string { return string(r.Code) })
		l.Revision++
	}
	return l
}

// Understood reports whether this version folds c as reference data: its
// op is known and its body holds no field this version does not know.
func Understood(c *schema.Change) bool {
	var body any
	switch c.Op {
	case schema.OpCatalogueSet:
		body = &Body{}
	case schema.OpRegionsSet:
		body = &RegionsBody{}
	default:
		return schema.KnownOp(c.Op)
	}
	return !errors.Is(schema.DecodeBody(c.Body, body), schema.ErrNotUnderstood)
}
