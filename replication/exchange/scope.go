package exchange

import "github.com/lumbung/lumbung/schema"

// InScope reports whether a change may come up a link for region r: both
// the node that wrote it and the data it touches must lie inside r.
func InScope(c *schema.Change, r schema.Code) bool {
	return r.Contains(c.Origin.Region) && r.Contains(c.Scope)
}

// ForDownlink reports whether a change belongs in the downlink of a link
// for region r: data of r or below it, or reference data of a region
// above r (a kabupaten's categories reach every desa in it).
func ForDownlink(c *schema.Change, r schema.Code) bool {
	return r.Contains(c.Scope) || c.Scope.Contains(r)
}
