package catalogue

import (
	"slices"

	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/schema"
)

// builtinLabels labels the built-in complaint categories (schema.Categories).
var builtinLabels = map[schema.Category][2]string{
	"infrastruktur":             {"Infrastruktur", "Infrastructure"},
	"kesehatan":                 {"Kesehatan", "Health"},
	"pendidikan":                {"Pendidikan", "Education"},
	"administrasi_kependudukan": {"Administrasi kependudukan", "Civil registration"},
	"bantuan_sosial":            {"Bantuan sosial", "Social assistance"},
	"lingkungan":                {"Lingkungan hidup", "Environment"},
	"keamanan_ketertiban":       {"Keamanan dan ketertiban", "Public order and safety"},
	"pelayanan_publik":          {"Pelayanan publik", "Public services"},
	"ekonomi":                   {"Ekonomi", "Economy"},
	"lainnya":                   {"Lainnya", "Other"},
}

// builtin is the binary's catalogue, read only: what an extension may not
// change.
var builtin = monografi.Builtin()

func builtinIndicator(code string) bool {
	_, ok := builtin.Lookup(code)
	return ok
}

func builtinGroup(code string) bool {
	return slices.ContainsFunc(builtin.Groups, func(g monografi.Group) bool { return g.Code == code })
}

func builtinCategories() []Category {
	out := make([]Category, len(schema.Categories))
	for i, c := range schema.Categories {
		l := builtinLabels[c]
		out[i] = Category{Code: c, LabelID: l[0], LabelEN: l[1]}
	}
	return out
}
