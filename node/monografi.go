package node

import (
	"context"
	"fmt"

	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/schema"
)

// MonografiView is a monografi document as the API shows it, with the
// derived ratios computed from its values.
type MonografiView struct {
	*monografi.Document
	Derived map[string]float64 `json:"derived"`
	// Basis identifies the values shown: give it back to approve or
	// accept exactly these figures (StepInput.Basis).
	Basis string `json:"basis"`
}

// monografiWrite is a monografi.set or monografi.submit command (submit
// has no values).
type monografiWrite struct {
	Region  schema.Code        `json:"region,omitempty"`
	Period  monografi.Period   `json:"period,omitempty"`
	Officer string             `json:"officer,omitempty"`
	Values  map[string]float64 `json:"values,omitempty"`
}

// check checks a monografi write's target and officer.
func (in *monografiWrite) check() error {
	p, err := monografi.ParsePeriod(string(in.Period))
	if err != nil || !in.Region.Valid() || in.Region.Level() != schema.LevelDesa {
		return fmt.Errorf("%w: monografi target %q %q", schema.ErrInvalid, in.Region, in.Period)
	}
	in.Period = p
	return schema.CheckOfficer(in.Officer)
}

// kindMonografiSet checks values against the catalogue and the period's
// current values, then records them as one change.
var kindMonografiSet = register(&Kind[monografiWrite, *monografi.Document]{
	Name: "monografi.set", Version: 1, Entity: entityMonografi, Result: "monografi",
	Check: func(in *monografiWrite) error {
		if err := in.check(); err != nil {
			return err
		}
		if len(in.Values) == 0 {
			return &schema.ValidationError{Fields: map[string]schema.Msg{"values": msgNoValues.Text()}}
		}
		return nil
	},
	Run: setMonografi,
})

// kindMonografiSubmit moves a period to submitted, once its values pass
// the submission checks.
var kindMonografiSubmit = register(&Kind[monografiWrite, *monografi.Document]{
	Name: "monografi.submit", Version: 1, Entity: entityMonografi, Result: "monografi",
	Check: (*monografiWrite).check,
	Run:   submitMonografi,
})

// SetMonografi records a desa's monografi values for a period.
func (n *Node) SetMonografi(ctx context.Context, region schema.Code, p monografi.Period, officer string,
	values map[string]float64) (*MonografiView, error) {
	return viewOf(exec(ctx, n, kindMonografiSet, monografiWrite{Region: region, Period: p, Officer: officer, Values: values}))
}

// SetMonografi is Node.SetMonografi on the store of a stopped desa node;
// a cluster member's store refuses it.
func (s *Store) SetMonografi(ctx context.Context, region schema.Code, p monografi.Period, officer string,
	values map[string]float64) (*MonografiView, error) {
	return viewOf(runLocal(ctx, s, kindMonografiSet, monografiWrite{Region: region, Period: p, Officer: officer, Values: values}))
}

// SubmitMonografi submits a desa's monografi for a period.
func (n *Node) SubmitMonografi(ctx context.Context, region schema.Code, p monografi.Period,
	officer string) (*MonografiView, error) {
	return viewOf(exec(ctx, n, kindMonografiSubmit, monografiWrite{Region: region, Period: p, Officer: officer}))
}

// SubmitMonografi is Node.SubmitMonografi on the store of a stopped desa
// node; a cluster member's store refuses it.
func (s *Store) SubmitMonografi(ctx context.Context, region schema.Code, p monografi.Period,
	officer string) (*MonografiView, error) {
	return viewOf(runLocal(ctx, s, kindMonografiSubmit, monografiWrite{Region: region, Period: p, Officer: officer}))
}

// viewOf shows the document a monografi write returned.
func viewOf(doc *monografi.Document, err error) (*MonografiView, error) {
	if err != nil {
		return nil, err
	}
	return View(doc), nil
}

func setMonografi(tx *Tx, in *monografiWrite) (*monografi.Document, error) {
	region, p := in.Region, in.Period
	doc, prior, err := tx.monografi(region, p)
	if err != nil {
		return nil, err
	}
	if doc.Status == monografi.StatusApproved || doc.Status == monografi.StatusAccepted {
		return nil, errLocked(doc)
	}
	cat, err := tx.catalogue(region)
	if err != nil {
		return nil, err
	}
	if err := monografi.CheckValues(cat.Catalogue, doc.Values, in.Values); err != nil {
		return nil, err
	}
	return appendState[*monografi.Document](tx, actor(in.Officer), monografi.Entity(region, p), region,
		schema.OpMonografiSet, monografi.SetBody{Values: in.Values}, prior)
}

func submitMonografi(tx *Tx, in *monografiWrite) (*monografi.Document, error) {
	region, p := in.Region, in.Period
	doc, prior, err := tx.monografi(region, p)
	if err != nil {
		return nil, err
	}
	if doc.Status == monografi.Status("submitted") {
		return nil, ErrAlreadySubmitted
	}
	cat, err := tx.catalogue(region)
	if err != nil {
		return nil, err
	}
	if err := monografi.CheckSubmit(cat.Catalogue, doc); err != nil {
		return nil, err
	}
	return appendState[*monografi.Document](tx, actor(in.Officer), monografi.Entity(region, p), region,
		schema.OpMonografiSubmit, monografi.SubmitBody{}, prior)
}

// monografi folds a period's document from its stored changes, and
// returns those changes too.
func (tx *Tx) monografi(region schema.Code, p monografi.Period) (*monografi.Document, []*schema.Change, error) {
	changes, err := tx.EntityChanges(monografi.Entity(region, p))
	if err != nil {
		return nil, nil, err
	}
	if changes == nil {
		changes = []*schema.Change{}
	}
	return monografi.Fold(region, p, changes), changes, nil
}

// View is a monografi document as the API shows it: with its derived
// ratios and its completeness.
func View(doc *monografi.Document) *MonografiView {
	return &MonografiView{Document: doc, Derived: monografi.Derived(monografi.Builtin(), doc.Values),
		Basis: monografi.Basis(doc.Values)}
}

// Monografi returns a period's document; a period with no values yet is
// an empty draft.
func (s *Store) Monografi(region schema.Code, p monografi.Period) (*MonografiView, error) {
	var doc monografi.Document
	found, err := s.getJSON(stateKey(monografi.Entity(region, p)), &doc)
	if err != nil {
		return nil, err
	}
	if !found {
		doc = *monografi.Fold(region, p, nil)
	}
	return View(&doc), nil
}
