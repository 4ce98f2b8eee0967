package node

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/cockroachdb/pebble/v2"
	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/schema"
)

// The approval steps a node can take on a desa's monografi, as named in
// the API (POST /api/v1/monografi/{region}/{period}/{step}).
const (
	StepApprove   = "approve"
	StepReturn    = "return"
	StepUnapprove = "unapprove"
	StepAccept    = "accept"
	StepUnaccept  = "unaccept"
)

// ApprovalError is an approval step, or an entry of figures, that the
// document's status or this node's level does not allow. It carries the
// HTTP status and the message the officer reads.
type ApprovalError struct {
	Status int
	Code   string
	Msg    schema.Msg
}

// Error implements error.
func (e *ApprovalError) Error() string { return "node: " + e.Msg.EN }

// IsStep says whether step names an approval step (as the API names
// them: submit, approve, return, unapprove, accept, unaccept).
func IsStep(step string) bool {
	_, ok := stepFrom(step)
	return ok
}

// stepFrom returns the status a step (as named in the API) starts from,
// and false for an unknown step.
func stepFrom(step string) (monografi.Status, bool) {
	return monografi.StepFrom(schema.Op("monografi." + step))
}

// statusText names a status, as said of a document: "sudah diajukan"
// (submitted).
func statusText(s monografi.Status) locale.Text {
	return locale.Key("approval.state." + string(s)).Text()
}

// StepInput is what an approval step needs besides its target.
type StepInput struct {
	Officer string `json:"officer,omitempty"`
	// Note is required to return, un-approve and un-accept.
	Note string `json:"note,omitempty"`
	// Basis, if given to approve or accept, is the basis of the figures
	// the officer saw (as shown in GET): the step is refused if they have
	// changed since.
	Basis string `json:"basis,omitempty"`
}

// checkStep checks a step's input before it is proposed.
func checkStep(step string, in *StepInput) error {
	if _, ok := stepFrom(step); !ok {
		return fmt.Errorf("%w: approval step %q", schema.ErrInvalid, step)
	}
	note := strings.TrimSpace(in.Note)
	var v schema.ValidationError
	switch {
	case (step == StepReturn || step == StepUnapprove || step == StepUnaccept) && note == "":
		v.Add("note", msgNoteRequired.Text())
	case len(note) > monografi.MaxNote:
		v.Add("note", msgNoteTooLong.Text(monografi.MaxNote))
	}
	return v.Err()
}

// monografiStepWrite is a monografi.step command.
type monografiStepWrite struct {
	Region    schema.Code      `json:"region,omitempty"`
	Period    monografi.Period `json:"period,omitempty"`
	Step      string           `json:"step,omitempty"`
	StepInput *StepInput       `json:"step_input,omitempty"`
}

// StepResult is what an approval step did: the desa's document, or, for
// accepting a kecamatan, what was accepted.
type StepResult struct {
	Document *monografi.Document `json:"monografi,omitempty"`
	Accept   *AcceptResult       `json:"accept,omitempty"`
}

// kindMonografiStep takes an approval step. Accepting a kecamatan accepts
// every approved desa in it.
var kindMonografiStep = register(&Kind[monografiStepWrite, *StepResult]{
	Name: "monografi.step", Version: 1, Entity: entityMonografi, Result: "step",
	Check: checkStepWrite,
	Run: func(tx *Tx, in *monografiStepWrite) (*StepResult, error) {
		if in.Step == StepAccept && in.Region.Level() == schema.LevelKecamatan {
			res, err := acceptKecamatan(tx, in.Region, in.Period, *in.StepInput)
			return &StepResult{Accept: res}, err
		}
		doc, err := tx.monografiStep(in.Region, in.Period, in.Step, *in.StepInput)
		return &StepResult{Document: doc}, err
	},
})

func checkStepWrite(in *monografiStepWrite) error {
	p, err := monografi.ParsePeriod(string(in.Period))
	if err != nil || !in.Region.Valid() || in.StepInput == nil {
		return fmt.Errorf("%w: monografi step %q %q", schema.ErrInvalid, in.Region, in.Period)
	}
	in.Period = p
	if err := checkStep(in.Step, in.StepInput); err != nil {
		return err
	}
	if err := schema.CheckOfficer(in.StepInput.Officer); err != nil {
		return err
	}
	if in.Region.Level() != schema.LevelDesa && (in.Step != StepAccept || in.Region.Level() != schema.LevelKecamatan) {
		return fmt.Errorf("%w: monografi step %q on %q", schema.ErrInvalid, in.Step, in.Region)
	}
	return nil
}

// StepMonografi takes an approval step on a desa's monografi (or accepts
// every approved desa of a kecamatan).
func (n *Node) StepMonografi(ctx context.Context, region schema.Code, p monografi.Period, step string,
	in StepInput) (*StepResult, error) {
	res, err := exec(ctx, n, kindMonografiStep, monografiStepWrite{Region: region, Period: p, Step: step, StepInput: &in})
	if err == nil && (res.Document == nil) == (res.Accept == nil) {
		return nil, fmt.Errorf("%w: a monografi step answered with neither or both of a document and an acceptance", ErrBadResult)
	}
	return res, err
}

// monografiStep takes one approval step on a desa's document. It runs on
// the node of the level the step belongs to (the desa's kecamatan for
// approve, return and un-approve; its kabupaten for accept and
// un-accept), from the status the step starts from.
func (tx *Tx) monografiStep(region schema.Code, p monografi.Period, step string, in StepInput) (*monografi.Document, error) {
	who, level := stepper(region, step)
	if err := mayStep(tx.s.cfg.Region, who, level); err != nil {
		return nil, err
	}
	doc, prior, err := tx.monografi(region, p)
	if err != nil {
		return nil, err
	}
	body, err := stepBody(doc, step, in)
	if err != nil {
		return nil, err
	}
	return appendState[*monografi.Document](tx, actor(in.Officer), monografi.Entity(region, p), region,
		schema.Op("monografi."+step), body, prior)
}

// stepper returns the region whose node takes step on the documents of
// desa, and its level.
func stepper(desa schema.Code, step string) (schema.Code, string) {
	if step == StepAccept || step == StepUnaccept {
		return monografi.Acceptor(desa), "kabupaten"
	}
	return monografi.Approver(desa), "kecamatan"
}

// mayStep says whether the node of region node is who.
func mayStep(node, who schema.Code, level string) error {
	if node == who {
		return nil
	}
	return &ApprovalError{Status: http.StatusForbidden, Code: "not_approver", Msg: msgNotApprover.Text(level, who, node)}
}

// stepBody checks the document's status for step and returns the body
// of its change.
func stepBody(doc *monografi.Document, step string, in StepInput) (any, error) {
	if want, _ := stepFrom(step); doc.Status != want {
		return nil, &ApprovalError{Status: http.StatusConflict, Code: "invalid_step", Msg: msgInvalidStep.Text(doc.Region, doc.Period, statusText(doc.Status), statusText(want))}
	}
	if step != StepApprove && step != StepAccept {
		return monografi.NoteBody{Note: strings.TrimSpace(in.Note)}, nil
	}
	basis := monografi.Basis(doc.Values)
	if in.Basis != "" && in.Basis != basis {
		return nil, &ApprovalError{Status: http.StatusConflict, Code: "stale_basis", Msg: msgStaleBasis.Text()}
	}
	return monografi.ApproveBody{Basis: basis}, nil
}

// errLocked refuses new figures for an approved or accepted period.
func errLocked(doc *monografi.Document) error {
	return &ApprovalError{Status: http.StatusConflict, Code: "locked", Msg: msgLocked.Text(doc.Region, doc.Period, statusText(doc.Status))}
}

// AcceptResult is what accepting a kecamatan's approved set did.
type AcceptResult struct {
	Kecamatan schema.Code       `json:"kecamatan"`
	Period    monografi.Period  `json:"period"`
	Accepted  []schema.Code     `json:"accepted"`
	Waiting   map[string]string `json:"waiting"` // desa -> status, for those not approved yet
}

// acceptKecamatan accepts every approved document of the desa of a
// kecamatan for a period, one change each, in one write.
func acceptKecamatan(tx *Tx, kec schema.Code, p monografi.Period, in StepInput) (*AcceptResult, error) {
	if err := mayStep(tx.s.cfg.Region, kec.Parent(), "kabupaten"); err != nil {
		return nil, err
	}
	docs, err := monografiDocs(tx.b, kec, p)
	if err != nil {
		return nil, err
	}
	res := &AcceptResult{Kecamatan: kec, Period: p, Accepted: []schema.Code{}, Waiting: map[string]string{}}
	for _, doc := range docs {
		if doc.Status != monografi.StatusApproved {
			if doc.Status != monografi.StatusAccepted {
				res.Waiting[string(doc.Region)] = string(doc.Status)
			}
			continue
		}
		if _, err := tx.monografiStep(doc.Region, p, StepAccept, StepInput{Officer: in.Officer}); err != nil {
			return nil, err
		}
		res.Accepted = append(res.Accepted, doc.Region)
	}
	return res, nil
}

// monografiDocs reads the stored documents of every desa under region for
// a period, in code order.
func monografiDocs(r iterable, region schema.Code, p monografi.Period) ([]*monografi.Document, error) {
	lo := stateKey("monografi/" + string(region) + ".")
	it, err := r.NewIter(&pebble.IterOptions{LowerBound: lo, UpperBound: prefixEnd(lo)})
	if err != nil {
		return nil, fmt.Errorf("node: scan monografi of %s: %w", region, err)
	}
	defer it.Close()
	var out []*monografi.Document
	suffix := "/" + string(p)
	for it.First(); it.Valid(); it.Next() {
		if !strings.HasSuffix(string(it.Key()), suffix) {
			continue
		}
		var d monografi.Document
		if err := json.Unmarshal(it.Value(), &d); err != nil {
			return nil, fmt.Errorf("node: stored %s: %w", it.Key(), err)
		}
		out = append(out, &d)
	}
	return out, it.Error()
}
