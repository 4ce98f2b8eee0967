package catalogue

import (
	"slices"

	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/schema"
)

// Effective is the catalogue in effect at a region: the binary's own,
// extended by the regions above it. The monografi catalogue is embedded,
// so it reads (and encodes) as one.
type Effective struct {
	*monografi.Catalogue
	Categories []Category `json:"categories"`
	// Extensions names the extensions applied, outermost first.
	Extensions []Ref `json:"extensions"`
}

// Ref names one applied extension.
type Ref struct {
	Region    schema.Code `json:"region"`
	Revision  int         `json:"revision"`
	UpdatedAt string      `json:"updated_at,omitempty"`
}

// Builtin returns the catalogue with no extension.
func Builtin() *Effective { return NewEffective() }

// NewEffective extends the built-in catalogue by exts, outermost region
// first. A code already defined (built in, or by an outer region) keeps
// its first definition; an extension with no items is not listed.
func NewEffective(exts ...*Extension) *Effective {
	cat := monografi.Builtin()
	groups, inds, cats := cat.Groups, cat.Indicators, builtinCategories()
	var refs []Ref
	for _, x := range exts {
		if x == nil || x.Revision == 0 {
			continue
		}
		groups = appendNew(groups, x.Groups, groupCode)
		inds = appendNew(inds, x.Indicators, indicatorCode)
		cats = appendNew(cats, x.Categories, categoryCode)
		refs = append(refs, Ref{Region: x.Region, Revision: x.Revision, UpdatedAt: x.UpdatedAt})
	}
	if len(refs) > 0 {
		// Fold keeps only items that pass Body.Check, so this cannot fail
		// (FuzzFold holds it to that); were it to, the indicators stay
		// the built-in ones rather than the node failing.
		if ext, err := monografi.NewCatalogue(cat.Version, groups, inds, cat.Identities, cat.Formulas); err == nil {
			cat = ext
		}
	}
	return &Effective{Catalogue: cat, Categories: cats, Extensions: refs}
}

// appendNew appends the items of add whose code list does not hold yet.
func appendNew[T any](list, add []T, code func(T) string) []T {
	out := slices.Clip(list)
	for _, a := range add {
		if !slices.ContainsFunc(out, func(t T) bool { return code(t) == code(a) }) {
			out = append(out, a)
		}
	}
	return out
}

// CategoryCodes lists the complaint categories in effect, built-in first.
func (e *Effective) CategoryCodes() []schema.Category {
	out := make([]schema.Category, len(e.Categories))
	for i, c := range e.Categories {
		out[i] = c.Code
	}
	return out
}
