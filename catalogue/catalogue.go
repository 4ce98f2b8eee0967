package catalogue

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/schema"
)

// ErrBody marks an extension body that is not JSON of the right shape.
var ErrBody = errors.New("catalogue: invalid extension")

// Limits on an extension: per change, and in all for one region.
const (
	MaxItemsPerChange = 100
	MaxIndicators     = 500
	MaxCategories     = 100
	MaxGroups         = 50
	MaxLabel          = 100 // letters
	MaxUnit           = 20  // letters
)

// Category is a complaint category with its labels.
type Category struct {
	Code    schema.Category `json:"code"`
	LabelID string          `json:"label_id"`
	LabelEN string          `json:"label_en"`
}

// Body is what one OpCatalogueSet change adds or amends.
type Body struct {
	Groups     []monografi.Group     `json:"groups,omitempty"`
	Indicators []monografi.Indicator `json:"indicators,omitempty"`
	Categories []Category            `json:"categories,omitempty"`
}

const entityPrefix = "catalogue/"

// Entity names the extension of region.
func Entity(region schema.Code) string { return entityPrefix + string(region) }

// ParseEntity returns the region an extension entity belongs to.
func ParseEntity(entity string) (schema.Code, bool) {
	r, ok := strings.CutPrefix(entity, entityPrefix)
	return schema.Code(r), ok && schema.Code(r).Valid()
}

var categoryRE = regexp.MustCompile(`^[a-z][a-z0-9_]{1,39}$`)

// ValidCategory reports whether s is shaped like a category code: lower
// case letters, digits and underscores, 2 to 40 of them.
func ValidCategory(s schema.Category) bool { return categoryRE.MatchString(string(s)) }

// Check reports why b cannot extend ext, the region's extension so far
// (nil: none yet), or nil. It refuses an empty body, an indicator that is
// computed (ratio) or whose group is neither built in nor in ext or b, a
// built-in code, labels that are empty or too long, and an extension that
// would outgrow its limits. The error is a *schema.ValidationError naming
// the item, in Indonesian and English. Check depends only on the binary's
// built-in catalogue, b and ext, so every node decides the same.
func (b *Body) Check(ext *Extension) error {
	if ext == nil {
		ext = &Extension{}
	}
	n := len(b.Groups) + len(b.Indicators) + len(b.Categories)
	if n == 0 || n > MaxItemsPerChange {
		return invalid("catalogue", msgItems, n, MaxItemsPerChange)
	}
	groups := map[string]bool{}
	for _, g := range ext.Groups {
		groups[g.Code] = true
	}
	for _, g := range b.Groups {
		if err := checkGroup(g); err != nil {
			return err
		}
		groups[g.Code] = true
	}
	for _, ind := range b.Indicators {
		if err := checkIndicator(ind, groups); err != nil {
			return err
		}
	}
	for _, c := range b.Categories {
		if err := checkCategory(c); err != nil {
			return err
		}
	}
	if len(groups) > MaxGroups || len(merge(ext.Indicators, b.Indicators, indicatorCode)) > MaxIndicators ||
		len(merge(ext.Categories, b.Categories, categoryCode)) > MaxCategories {
		return invalid("catalogue", msgTooMany, MaxGroups, MaxIndicators, MaxCategories)
	}
	return nil
}

// invalid refuses field with the message under key, formatted with args.
func invalid(field string, key locale.Key, args ...any) error {
	return &schema.ValidationError{Fields: map[string]schema.Msg{field: key.Text(args...)}}
}

func checkGroup(g monografi.Group) error {
	field := "groups." + g.Code
	switch {
	case strings.Contains(g.Code, ".") || !monografi.ValidCode(g.Code+".x"):
		return invalid(field, msgGroupCode)
	case builtinGroup(g.Code):
		return invalid(field, msgBuiltinGroup)
	}
	return checkLabels(field, g.LabelID, g.LabelEN)
}

func checkIndicator(ind monografi.Indicator, groups map[string]bool) error {
	group, _, _ := strings.Cut(ind.Code, ".")
	field := "indicators." + ind.Code
	switch {
	case !monografi.ValidCode(ind.Code):
		return invalid(field, msgIndicatorCode)
	case builtinIndicator(ind.Code):
		return invalid(field, msgBuiltinIndicator)
	case !groups[group] && !builtinGroup(group):
		return invalid(field, msgUnknownGroup, group)
	case ind.Type != monografi.TypeInteger && ind.Type != monografi.TypeDecimal && ind.Type != monografi.TypePercent:
		return invalid(field, msgType)
	case ind.Agg == monografi.AggDerived || !validAgg(ind.Agg):
		return invalid(field, msgAgg)
	case strings.TrimSpace(ind.Unit) == "" || !utf8.ValidString(ind.Unit) || utf8.RuneCountInString(ind.Unit) > MaxUnit:
		return invalid(field, msgUnit, MaxUnit)
	}
	return checkLabels(field, ind.LabelID, ind.LabelEN)
}

func validAgg(a monografi.Agg) bool {
	switch a {
	case monografi.AggSum, monografi.AggMax, monografi.AggMin, monografi.AggLast, monografi.AggNone:
		return true
	}
	return false
}

func checkCategory(c Category) error {
	field := "categories." + string(c.Code)
	switch {
	case !ValidCategory(c.Code):
		return invalid(field, msgCategoryCode)
	case slices.Contains(schema.Categories, c.Code):
		return invalid(field, msgBuiltinCategory)
	}
	return checkLabels(field, c.LabelID, c.LabelEN)
}

func checkLabels(field, id, en string) error {
	for _, l := range []string{id, en} {
		if !plainText(l, MaxLabel) {
			return invalid(field, msgLabels, MaxLabel)
		}
	}
	return nil
}

// plainText says whether s can be shown as one line of plain text on
// every screen below: not blank, valid UTF-8, at most max characters, no
// control character (a terminal's escape, a tab, a new line) and no
// bidirectional override that would show the text in another order than
// it is stored.
func plainText(s string, max int) bool {
	return strings.TrimSpace(s) != "" && utf8.ValidString(s) && utf8.RuneCountInString(s) <= max &&
		!strings.ContainsFunc(s, func(r rune) bool {
			return unicode.IsControl(r) || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
		})
}

// decodeBody reads a change body strictly: a field this version does not
// know gives schema.ErrNotUnderstood (a newer version wrote it).
func decodeBody(raw json.RawMessage) (*Body, error) {
	var b Body
	if err := schema.DecodeBody(raw, &b); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBody, err)
	}
	return &b, nil
}
