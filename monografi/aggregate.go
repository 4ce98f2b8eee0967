package monografi

import (
	"iter"
	"math"
	"slices"

	"github.com/lumbung/lumbung/schema"
)

// Tree is the region tree aggregates follow: every region of the list
// with its children, and how many desa of the list lie under each region
// (the "expected" of completeness). The root, the whole country, is the
// empty code.
type Tree struct {
	kids     map[schema.Code][]schema.Code // sorted
	expected map[schema.Code]int
}

// NewTree builds the tree of a region list. Codes may come in any order
// and with repeats.
func NewTree(codes []schema.Code) *Tree {
	t := &Tree{kids: map[schema.Code][]schema.Code{}, expected: map[schema.Code]int{}}
	all := map[schema.Code]bool{}
	for _, c := range codes {
		if c.Level() == schema.LevelInvalid || all[c] {
			continue
		}
		if c.Level() == schema.LevelDesa {
			for p := c.Parent(); ; p = p.Parent() {
				t.expected[p]++
				if p == "" {
					break
				}
			}
		}
		for ; c != "" && !all[c]; c = c.Parent() {
			all[c] = true
		}
	}
	for c := range all {
		t.kids[c.Parent()] = append(t.kids[c.Parent()], c)
	}
	for _, k := range t.kids {
		slices.Sort(k)
	}
	return t
}

// Expected returns how many listed desa lie under region.
func (t *Tree) Expected(region schema.Code) int { return t.expected[region] }

// Children returns the regions directly under region, in code order.
func (t *Tree) Children(region schema.Code) []schema.Code { return t.kids[region] }

// link makes sure c and its ancestors are in the tree, for a desa that
// reports without being listed (it then counts as reported, not expected).
func (t *Tree) link(c schema.Code) {
	for c != "" {
		p := c.Parent()
		k := t.kids[p]
		i, found := slices.BinarySearch(k, c)
		if found {
			return
		}
		t.kids[p] = slices.Insert(k, i, c)
		c = p
	}
}

// Completeness says how many desa an aggregate covers: Reported desa have
// approved (or accepted) figures for the period, out of Expected desa in
// the region list; Accepted of them were accepted by their kabupaten.
type Completeness struct {
	Reported int `json:"reported"`
	Expected int `json:"expected"`
	Accepted int `json:"accepted"`
}

// Aggregate is the monografi of a region above the desa for a period:
// each aggregable indicator combined by its rule from the approved figures
// of the desa below, the ratios computed from those combined bases, and
// how complete it is, overall and per indicator.
type Aggregate struct {
	Region       schema.Code        `json:"region"`
	Period       Period             `json:"period"`
	Values       map[string]float64 `json:"values"`
	Derived      map[string]float64 `json:"derived"`
	Completeness Completeness       `json:"completeness"`
	// Reported counts, per indicator, the desa whose approved figures
	// include it.
	Reported map[string]int `json:"reported"`
}

// Counts reports whether a document's figures enter the aggregates: it is
// a desa's, approved by its kecamatan or accepted by its kabupaten.
func Counts(d *Document) bool {
	return d.Region.Level() == schema.LevelDesa && (d.Status == StatusApproved || d.Status == StatusAccepted)
}

// Aggregator keeps the aggregates of one period for every region of a
// tree, and updates them as desa documents change: Update recomputes only
// the regions above the changed desa, each from its children, so an update
// costs the depth of the tree times its fan-out, not the whole country.
// A region's figures are a function of its children's alone, combined in
// code order, so after any sequence of updates every aggregate is exactly,
// bit for bit, what a computation from scratch (NewAggregator over the
// final documents) gives.
//
// Rules: sum adds, max and min keep the extreme, last keeps the figure of
// the desa approved latest (ties: the larger code); none and percent
// figures are shown per desa only. A derived ratio is its numerator summed
// over the desa below over its denominator summed over the same desa:
// those that reported every input of its formula, so that a desa missing
// its area does not inflate the density. Ratios are never averaged. An
// Aggregator is not safe for concurrent use.
type Aggregator struct {
	cat    *Catalogue
	period Period
	tree   *Tree
	cols   []Indicator    // aggregable indicators, in catalogue order
	col    map[string]int // code -> index in cols
	leaves map[schema.Code]*part
	nodes  map[schema.Code]*part
}

// part is one region's contribution: per column the combined value (NaN:
// no desa reported it), how many desa reported it, and for a last rule the
// key of the figure kept; per formula the summed numerator and
// denominator over the desa that reported every input of it.
type part struct {
	vals     []float64
	n        []int32
	last     []string // nil unless the catalogue has a last rule
	num, den []float64
	fn       []int32
	reported int
	accepted int
}

// NewAggregator computes the aggregates of period from scratch, from
// docs (any order; only documents that Counts are used; for a region
// given twice, the later document wins). Documents are read one at a
// time and not kept: only their aggregable figures are.
func NewAggregator(cat *Catalogue, tree *Tree, period Period, docs iter.Seq[*Document]) *Aggregator {
	a := &Aggregator{cat: cat, period: period, tree: tree, col: map[string]int{},
		leaves: map[schema.Code]*part{}, nodes: map[schema.Code]*part{}}
	for _, ind := range cat.Indicators {
		switch ind.Agg {
		case AggSum, AggMax, AggMin, AggLast:
			if ind.Type != TypePercent {
				a.col[ind.Code] = len(a.cols)
				a.cols = append(a.cols, ind)
			}
		}
	}
	if docs != nil {
		for d := range docs {
			a.setLeaf(d)
		}
	}
	a.recomputeAll()
	return a
}

// Update takes the new state of one desa document and brings every
// aggregate above it up to date.
func (a *Aggregator) Update(d *Document) {
	if d.Region.Level() != schema.LevelDesa || d.Period != a.period {
		return
	}
	a.setLeaf(d)
	for p := d.Region.Parent(); ; p = p.Parent() {
		a.nodes[p] = a.combine(p)
		if p == "" {
			return
		}
	}
}

func (a *Aggregator) setLeaf(d *Document) {
	if d.Region.Level() != schema.LevelDesa || d.Period != a.period {
		return
	}
	if !Counts(d) {
		delete(a.leaves, d.Region)
		return
	}
	a.tree.link(d.Region)
	l := a.newPart()
	l.reported = 1
	if d.Status == StatusAccepted {
		l.accepted = 1
	}
	for code, x := range d.Values {
		if i, ok := a.col[code]; ok {
			l.vals[i], l.n[i] = x, 1
			if l.last != nil {
				l.last[i] = d.ApprovedAt + " " + string(d.Region)
			}
		}
	}
	for i, f := range a.cat.Formulas {
		num, ok1 := sumAll(d.Values, f.Num)
		den, ok2 := sumAll(d.Values, f.Den)
		if ok1 && ok2 {
			l.num[i], l.den[i], l.fn[i] = num, den, 1
		}
	}
	a.leaves[d.Region] = l
}

// recomputeAll combines every region above the desa, deepest first.
func (a *Aggregator) recomputeAll() {
	byLevel := make([][]schema.Code, schema.LevelDesa)
	var walk func(c schema.Code, level int)
	walk = func(c schema.Code, level int) {
		if level >= int(schema.LevelDesa) {
			return
		}
		byLevel[level] = append(byLevel[level], c)
		for _, k := range a.tree.kids[c] {
			walk(k, level+1)
		}
	}
	walk("", 0)
	for level := len(byLevel) - 1; level >= 0; level-- {
		for _, c := range byLevel[level] {
			a.nodes[c] = a.combine(c)
		}
	}
}

func (a *Aggregator) newPart() *part {
	nf := len(a.cat.Formulas)
	p := &part{vals: make([]float64, len(a.cols)), n: make([]int32, len(a.cols)),
		num: make([]float64, nf), den: make([]float64, nf), fn: make([]int32, nf)}
	for i := range p.vals {
		p.vals[i] = math.NaN()
	}
	for _, ind := range a.cols {
		if ind.Agg == AggLast {
			p.last = make([]string, len(a.cols))
			break
		}
	}
	return p
}

// combine computes region c from its children, in code order.
func (a *Aggregator) combine(c schema.Code) *part {
	out := a.newPart()
	for _, k := range a.tree.kids[c] {
		kp := a.leaves[k]
		if k.Level() != schema.LevelDesa {
			kp = a.nodes[k]
		}
		if kp == nil {
			continue
		}
		out.reported += kp.reported
		out.accepted += kp.accepted
		for i, ind := range a.cols {
			if kp.n[i] == 0 {
				continue
			}
			if out.n[i] == 0 {
				out.vals[i] = kp.vals[i]
				if out.last != nil {
					out.last[i] = kp.last[i]
				}
			} else {
				a.merge(out, kp, i, ind.Agg)
			}
			out.n[i] += kp.n[i]
		}
		for i := range out.fn {
			out.num[i] += kp.num[i]
			out.den[i] += kp.den[i]
			out.fn[i] += kp.fn[i]
		}
	}
	return out
}

func (a *Aggregator) merge(out, kp *part, i int, agg Agg) {
	switch agg {
	case AggSum:
		out.vals[i] += kp.vals[i]
	case AggMax:
		out.vals[i] = max(out.vals[i], kp.vals[i])
	case AggMin:
		out.vals[i] = min(out.vals[i], kp.vals[i])
	case AggLast:
		if kp.last[i] > out.last[i] {
			out.vals[i], out.last[i] = kp.vals[i], kp.last[i]
		}
	}
}

// Get returns the aggregate of a region above the desa ("" is the whole
// country). A region with no desa reporting has empty values and
// completeness 0 of its expected.
func (a *Aggregator) Get(region schema.Code) *Aggregate {
	out := &Aggregate{Region: region, Period: a.period, Values: map[string]float64{},
		Reported: map[string]int{}}
	out.Completeness.Expected = a.tree.Expected(region)
	if p := a.nodes[region]; p != nil {
		out.Completeness.Reported, out.Completeness.Accepted = p.reported, p.accepted
		for i, ind := range a.cols {
			if p.n[i] > 0 {
				out.Values[ind.Code] = p.vals[i]
				out.Reported[ind.Code] = int(p.n[i])
			}
		}
	}
	out.Derived = map[string]float64{}
	if p := a.nodes[region]; p != nil {
		for i, f := range a.cat.Formulas {
			if r, ok := ratio(p.num[i], p.den[i], f.Scale); ok && p.fn[i] > 0 {
				out.Derived[f.Code] = r
				out.Reported[f.Code] = int(p.fn[i])
			}
		}
	}
	return out
}
