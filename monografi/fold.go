package monografi

import (
	"encoding/json"
	"errors"

	"github.com/lumbung/lumbung/schema"
)

// Status is where a monografi document stands in its approval.
type Status string

// The statuses. A desa moves its document from draft to submitted; its
// kecamatan approves it or returns it with a note; its kabupaten accepts
// the approved document. Approved and accepted values are locked until
// the level that locked them lifts the lock (see approval.go).
const (
	StatusDraft     Status = "draft"
	StatusSubmitted Status = "submitted"
	StatusApproved  Status = "approved"
	StatusReturned  Status = "returned"
	StatusAccepted  Status = "accepted"
)

// SetBody is the body of a schema.OpMonografiSet change: the figures to
// write, by indicator code.
type SetBody struct {
	Values map[string]float64 `json:"values"`
}

// SubmitBody is the body of a schema.OpMonografiSubmit change.
type SubmitBody struct{}

// Document is the replicated state of one region's monografi for one
// period: the fold of its changes.
type Document struct {
	Region    schema.Code        `json:"region"`
	Period    Period             `json:"period"`
	Values    map[string]float64 `json:"values"`
	Status    Status             `json:"status"`
	UpdatedAt string             `json:"updated_at"`
	// Note is what the kecamatan wrote when it returned or un-approved the
	// document, shown to the desa until it submits again.
	Note string `json:"note,omitempty"`
	// ApprovedBy and ApprovedAt name the approval that holds, if any;
	// AcceptedBy and AcceptedAt the acceptance.
	ApprovedBy string `json:"approved_by,omitempty"`
	ApprovedAt string `json:"approved_at,omitempty"`
	AcceptedBy string `json:"accepted_by,omitempty"`
	AcceptedAt string `json:"accepted_at,omitempty"`
	// History lists every set and submit in fold order, including the
	// ones skipped, so that no write is lost from sight.
	History []Entry `json:"history"`
}

// Entry is one change in a document's history.
type Entry struct {
	Op     schema.Op `json:"op"`
	Actor  string    `json:"actor"`
	At     string    `json:"at"`     // schema.FormatWall of the change's clock
	Origin string    `json:"origin"` // schema.Origin.String
	Seq    uint64    `json:"seq"`
	// Values are the figures a set wrote.
	Values map[string]float64 `json:"values,omitempty"`
	// Superseded are the figures the set replaced, by code: the losing
	// side of a concurrent edit stays visible here.
	Superseded map[string]float64 `json:"superseded,omitempty"`
	// Note is the note of a return or un-approval.
	Note string `json:"note,omitempty"`
	// Status is the document's status after the entry.
	Status Status `json:"status"`
	// Skipped says why the change had no effect, or is empty.
	Skipped string `json:"skipped,omitempty"`
}

// Reasons an entry was skipped.
const (
	skipMalformed = "malformed body"
	skipBadCode   = "malformed indicator code"
	skipNoValues  = "no values"
	skipNotOp     = "not a monografi operation"
	// skipNewer marks a change a newer version made: an op, or a field of
	// its body, this version does not know. It is kept and shown; a
	// version that knows it folds it.
	skipNewer  = "not understood by this version"
	skipEmpty  = "nothing to submit"
	skipAgain  = "already submitted"
	skipLocked = "approved and locked"
)

// Fold folds the changes of the monografi entity of region and p, in any
// order and with repeats, into its Document. Changes for other entities
// are ignored.
//
// Each indicator holds the latest value written in fold order (HLC,
// origin, sequence); the values it replaced stay in History. A submit
// moves a draft with values to submitted; a set after it moves the
// document back to draft, to be submitted again. Fold never fails: a
// change with a malformed body is recorded in History, marked Skipped,
// and has no effect. With no changes, the document is an empty draft.
func Fold(region schema.Code, p Period, changes []*schema.Change) *Document {
	d := &Document{
		Region: region, Period: p, Values: map[string]float64{},
		Status: StatusDraft, History: []Entry{},
	}
	entity := Entity(region, p)
	for _, ch := range schema.SortChanges(changes) {
		if ch.Entity == entity {
			d.apply(ch)
		}
	}
	return d
}

func (d *Document) apply(ch *schema.Change) {
	e := Entry{
		Op: ch.Op, Actor: ch.Actor, At: schema.FormatWall(ch.HLC.Wall),
		Origin: ch.Origin.String(), Seq: ch.Seq,
	}
	switch ch.Op {
	case schema.OpMonografiSet:
		d.set(&e, ch.Body)
	case schema.OpMonografiSubmit:
		d.submit(&e, ch.Body)
	case schema.OpMonografiApprove, schema.OpMonografiReturn, schema.OpMonografiUnapprove,
		schema.OpMonografiAccept, schema.OpMonografiUnaccept:
		d.approval(&e, ch)
	case schema.OpComplaintCreate, schema.OpComplaintAction, schema.OpCatalogueSet, schema.OpRegionsSet:
		e.Skipped = skipNotOp
	default:
		e.Skipped = skipNewer
	}
	e.Status = d.Status
	d.UpdatedAt = e.At
	d.History = append(d.History, e)
}

func (d *Document) set(e *Entry, body json.RawMessage) {
	values, reason := decodeSet(body)
	if reason == "" && (d.Status == StatusApproved || d.Status == StatusAccepted) {
		reason = skipLocked
	}
	if reason != "" {
		e.Skipped = reason
		return
	}
	e.Values = values
	for code, x := range values {
		if old, ok := d.Values[code]; ok && old != x {
			if e.Superseded == nil {
				e.Superseded = map[string]float64{}
			}
			e.Superseded[code] = old
		}
		d.Values[code] = x
	}
	d.Status = StatusDraft
}

// decodeSet reads a set body from a peer, or says why it cannot. A value
// that is null or not a number makes the whole body malformed.
func decodeSet(body json.RawMessage) (map[string]float64, string) {
	var raw struct {
		Values map[string]*float64 `json:"values"`
	}
	if reason := bodySkip(body, &raw); reason != "" {
		return nil, reason
	}
	if len(raw.Values) == 0 {
		return nil, skipNoValues
	}
	out := make(map[string]float64, len(raw.Values))
	for code, x := range raw.Values {
		switch {
		case x == nil:
			return nil, skipMalformed
		case !ValidCode(code):
			return nil, skipBadCode
		}
		v := *x
		if v == 0 {
			v = 0 // no negative zero: it would encode as -0
		}
		out[code] = v
	}
	return out, ""
}

func (d *Document) submit(e *Entry, body json.RawMessage) {
	var b SubmitBody
	switch reason := bodySkip(body, &b); {
	case reason != "":
		e.Skipped = reason
	case d.Status == StatusSubmitted:
		e.Skipped = skipAgain
	case d.Status == StatusApproved || d.Status == StatusAccepted:
		e.Skipped = skipLocked
	case len(d.Values) == 0:
		e.Skipped = skipEmpty
	default:
		d.Status = StatusSubmitted
		d.Note = ""
	}
}

// bodySkip decodes a change body into v and says why the change is skipped
// if it cannot: malformed, or made by a newer version.
func bodySkip(body json.RawMessage, v any) string {
	switch err := schema.DecodeBody(body, v); {
	case errors.Is(err, schema.ErrNotUnderstood):
		return skipNewer
	case err != nil:
		return skipMalformed
	}
	return ""
}

// Understood reports whether this version folds c as a monografi change:
// its op is known and its body holds no field this version does not know.
// A malformed body is understood (the fold records it as malformed).
func Understood(c *schema.Change) bool {
	var body any
	switch c.Op {
	case schema.OpMonografiSet:
		body = &SetBody{}
	case schema.OpMonografiSubmit:
		body = &SubmitBody{}
	case schema.OpMonografiApprove, schema.OpMonografiAccept:
		body = &ApproveBody{}
	case schema.OpMonografiReturn, schema.OpMonografiUnapprove, schema.OpMonografiUnaccept:
		body = &NoteBody{}
	default:
		return schema.KnownOp(c.Op)
	}
	return !errors.Is(schema.DecodeBody(c.Body, body), schema.ErrNotUnderstood)
}
