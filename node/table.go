package node

import (
	"slices"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/sheet"
)

// MonografiTable is a region's monografi laid out as a monograph table: a
// column per region directly below (the desa of a kecamatan, the
// kecamatan of a kabupaten), and the region's own aggregate. For a desa it
// is the desa's own column.
type MonografiTable struct {
	Region  schema.Code      `json:"region"`
	Name    string           `json:"name,omitempty"`
	Period  monografi.Period `json:"period"`
	Columns []TableColumn    `json:"columns"`
	// Total is the region's aggregate (approved figures only); nil for a
	// desa.
	Total *monografi.Aggregate `json:"total,omitempty"`
}

// TableColumn is one region's figures in a MonografiTable: a desa's
// entered values whatever their status, or a region's aggregate.
type TableColumn struct {
	Region  schema.Code        `json:"region"`
	Name    string             `json:"name,omitempty"`
	Status  monografi.Status   `json:"status,omitempty"` // a desa's
	Values  map[string]float64 `json:"values"`
	Derived map[string]float64 `json:"derived"`
	// Completeness is a region's above the desa.
	Completeness *monografi.Completeness `json:"completeness,omitempty"`
}

// MonografiTable builds the table of region for period from what this
// node holds; the regions below are those of the imported region list and
// those with figures here.
func (s *Store) MonografiTable(region schema.Code, p monografi.Period) (*MonografiTable, error) {
	t := &MonografiTable{Region: region, Period: p, Name: s.regionName(region)}
	if region.Level() == schema.LevelDesa {
		v, err := s.Monografi(region, p)
		if err != nil {
			return nil, err
		}
		t.Columns = []TableColumn{s.desaColumn(v)}
		return t, nil
	}
	var err error
	if t.Total, err = s.MonografiAggregate(region, p); err != nil {
		return nil, err
	}
	children, err := s.childrenOf(region, p)
	if err != nil {
		return nil, err
	}
	for _, c := range children {
		col, err := s.column(c, p)
		if err != nil {
			return nil, err
		}
		t.Columns = append(t.Columns, col)
	}
	return t, nil
}

func (s *Store) column(c schema.Code, p monografi.Period) (TableColumn, error) {
	if c.Level() == schema.LevelDesa {
		v, err := s.Monografi(c, p)
		if err != nil {
			return TableColumn{}, err
		}
		return s.desaColumn(v), nil
	}
	agg, err := s.MonografiAggregate(c, p)
	if err != nil {
		return TableColumn{}, err
	}
	return TableColumn{Region: c, Name: s.regionName(c), Values: agg.Values, Derived: agg.Derived,
		Completeness: &agg.Completeness}, nil
}

func (s *Store) desaColumn(v *MonografiView) TableColumn {
	return TableColumn{Region: v.Region, Name: s.regionName(v.Region), Status: v.Status, Values: v.Values, Derived: v.Derived}
}

// childrenOf lists the regions directly below region, in code order: the
// listed ones and those whose documents (or whose desa's) are held here.
func (s *Store) childrenOf(region schema.Code, p monografi.Period) ([]schema.Code, error) {
	listed, err := regionCodes(s.db)
	if err != nil {
		return nil, err
	}
	docs, err := monografiDocs(s.db, region, p)
	if err != nil {
		return nil, err
	}
	for _, d := range docs {
		listed = append(listed, d.Region)
	}
	var out []schema.Code
	for _, c := range listed {
		for c != "" && c.Parent() != region {
			c = c.Parent()
		}
		if c != "" {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

func (s *Store) regionName(c schema.Code) string {
	name, _, _, err := s.RegionName(c)
	if err != nil {
		return "" // a name is a courtesy; the code is always shown
	}
	return name
}

// Children lists the regions directly below region for period p, in code
// order: those of the region list and those whose figures are held here.
func (s *Store) Children(region schema.Code, p monografi.Period) ([]schema.Code, error) {
	return s.childrenOf(region, p)
}

// Sheet lays t out for the sheet package, its statuses in Indonesian as
// the whole sheet is ("disetujui", "3 dari 4 desa disetujui").
func (t *MonografiTable) Sheet() *sheet.Table {
	st := &sheet.Table{Region: t.Region, Name: t.Name, Period: t.Period}
	for _, col := range t.Columns {
		status := ""
		if t, ok := locale.Lookup("sheet.status." + string(col.Status)); ok {
			status = t.ID
		}
		if col.Completeness != nil {
			status = CompletenessText(*col.Completeness).ID
		}
		st.Columns = append(st.Columns, sheet.Column{Region: col.Region, Name: col.Name, Status: status,
			Values: col.Values, Derived: col.Derived})
	}
	if t.Total != nil {
		st.Total = &sheet.Column{Region: t.Region, Name: t.Name, Status: CompletenessText(t.Total.Completeness).ID,
			Values: t.Total.Values, Derived: t.Total.Derived}
	}
	return st
}

// CompletenessText says how many desa below a region have approved
// figures: "3 dari 4 desa disetujui", or "3 desa disetujui" with no
// region list to count against.
func CompletenessText(cp monografi.Completeness) locale.Text {
	if cp.Expected == 0 {
		return locale.Key("sheet.approved_n").Text(cp.Reported)
	}
	return locale.Key("sheet.approved_of").Text(cp.Reported, cp.Expected)
}
