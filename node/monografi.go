package node

import (
	"context"
	"errors"

	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/schema"
)

// ErrAlreadySubmitted means a period was submitted already and has not
// changed since.
var ErrAlreadySubmitted = errors.New("node: monografi already submitted")

// MonografiView is a monografi document as the API shows it, with the
// derived ratios computed from its values.
type MonografiView struct {
	*monografi.Document
	Derived map[string]float64 `json:"derived"`
	// Basis identifies the values shown: give it back to approve or
	// accept exactly these figures (StepInput.Basis).
	Basis string `json:"basis"`
}

// SetMonografi checks values against the catalogue and the period's
// current values, then records them as one change.
func (s *Store) SetMonografi(ctx context.Context, region schema.Code, p monografi.Period, officer string,
	values map[string]float64) (*MonografiView, error) {
	res, err := s.Do(ctx, setMonografi(region, p, officer, values))
	if err != nil {
		return nil, err
	}
	return view(res.(*monografi.Document)), nil
}

func setMonografi(region schema.Code, p monografi.Period, officer string, values map[string]float64) WriteFunc {
	return func(tx *Tx) (any, error) {
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
		if err := monografi.CheckValues(cat.Catalogue, doc.Values, values); err != nil {
			return nil, err
		}
		_, state, err := tx.Append(actor(officer), monografi.Entity(region, p), region, schema.OpMonografiSet,
			monografi.SetBody{Values: values}, prior)
		return state, err
	}
}

// SubmitMonografi moves a period to submitted, once its values pass the
// submission checks.
func (s *Store) SubmitMonografi(ctx context.Context, region schema.Code, p monografi.Period,
	officer string) (*MonografiView, error) {
	res, err := s.Do(ctx, submitMonografi(region, p, officer))
	if err != nil {
		return nil, err
	}
	return view(res.(*monografi.Document)), nil
}

func submitMonografi(region schema.Code, p monografi.Period, officer string) WriteFunc {
	return func(tx *Tx) (any, error) {
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
		_, state, err := tx.Append(actor(officer), monografi.Entity(region, p), region, schema.OpMonografiSubmit,
			monografi.SubmitBody{}, prior)
		return state, err
	}
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

func view(doc *monografi.Document) *MonografiView {
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
	return view(&doc), nil
}

// writeMonografiDoc runs a monografi write and shows its document.
func (n *Node) writeMonografiDoc(ctx context.Context, w *Write) (*MonografiView, error) {
	res, err := n.Exec(ctx, w)
	if err != nil {
		return nil, err
	}
	return view(res.(*monografi.Document)), nil
}
