package monografi

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strconv"

	"github.com/lumbung/lumbung/schema"
)

// ApproveBody is the body of a schema.OpMonografiApprove or
// schema.OpMonografiAccept change. Basis is Basis of the values the
// approver saw: an approval given on figures that have changed since, in
// fold order, has no effect.
type ApproveBody struct {
	Basis string `json:"basis"`
}

// NoteBody is the body of a schema.OpMonografiReturn,
// schema.OpMonografiUnapprove or schema.OpMonografiUnaccept change: why.
type NoteBody struct {
	Note string `json:"note"`
}

// MaxNote bounds a return note, in bytes.
const MaxNote = 1000

// Basis identifies a set of values: 16 hex digits of the SHA-256 of the
// values in code order. Equal values give equal bases on every node.
func Basis(values map[string]float64) string {
	codes := make([]string, 0, len(values))
	for c := range values {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	h := sha256.New()
	for _, c := range codes {
		h.Write([]byte(c))
		h.Write([]byte{'='})
		h.Write(strconv.AppendFloat(nil, values[c], 'g', -1, 64))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// Approver returns the region whose node may approve, return and
// un-approve the documents of region: its kecamatan.
func Approver(region schema.Code) schema.Code { return region.Parent() }

// Acceptor returns the region whose node may accept and un-accept the
// documents of region: its kabupaten.
func Acceptor(region schema.Code) schema.Code { return region.Parent().Parent() }

// More reasons an entry was skipped.
const (
	skipNotApprover = "only the kecamatan of this desa approves, returns and un-approves"
	skipNotAcceptor = "only the kabupaten of this desa accepts and un-accepts"
	skipNotSubmit   = "not submitted"
	skipStale       = "the figures changed after the approver saw them"
	skipNotApproved = "not approved"
	skipNotAccepted = "not accepted"
	skipAccepted    = "accepted by the kabupaten: un-accept first"
	skipLongNote    = "note too long"
)

// approval applies one approval step. Who may take it is decided by the
// region of the change's origin, which an upstream checks against the
// link's token before it applies anything: a desa cannot approve itself.
//
//	approve    kecamatan  submitted -> approved, if the basis matches
//	return     kecamatan  submitted -> returned, with a note
//	unapprove  kecamatan  approved  -> submitted, with a note
//	accept     kabupaten  approved  -> accepted, if the basis matches
//	unaccept   kabupaten  accepted  -> approved, with a note
func (d *Document) approval(e *Entry, ch *schema.Change) {
	kab := ch.Op == schema.OpMonografiAccept || ch.Op == schema.OpMonografiUnaccept
	var basis, note string
	switch ch.Op {
	case schema.OpMonografiApprove, schema.OpMonografiAccept:
		var b ApproveBody
		if e.Skipped = bodySkip(ch.Body, &b); e.Skipped != "" {
			return
		}
		basis = b.Basis
	default:
		var b NoteBody
		if e.Skipped = bodySkip(ch.Body, &b); e.Skipped != "" {
			return
		}
		if len(b.Note) > MaxNote {
			e.Skipped = skipLongNote
			return
		}
		note = b.Note
		e.Note = note
	}
	switch {
	case !kab && ch.Origin.Region != Approver(d.Region):
		e.Skipped = skipNotApprover
	case kab && ch.Origin.Region != Acceptor(d.Region):
		e.Skipped = skipNotAcceptor
	default:
		e.Skipped = d.step(ch.Op, e, basis, note)
	}
}

// stepFrom is the status each approval step starts from.
var stepFrom = map[schema.Op]Status{
	schema.OpMonografiApprove: StatusSubmitted, schema.OpMonografiReturn: StatusSubmitted,
	schema.OpMonografiUnapprove: StatusApproved, schema.OpMonografiAccept: StatusApproved,
	schema.OpMonografiUnaccept: StatusAccepted,
}

// notIn says why a step that starts from a status cannot be taken.
var notIn = map[Status]string{StatusSubmitted: skipNotSubmit, StatusApproved: skipNotApproved,
	StatusAccepted: skipNotAccepted}

// StepFrom returns the status an approval step starts from, and false
// for an op that is not an approval step.
func StepFrom(op schema.Op) (Status, bool) {
	s, ok := stepFrom[op]
	return s, ok
}

// step moves the document's status for an approval step already allowed
// for its origin, or says why it cannot.
func (d *Document) step(op schema.Op, e *Entry, basis, note string) string {
	want := stepFrom[op]
	switch {
	case d.Status == StatusAccepted && want != StatusAccepted:
		return skipAccepted
	case d.Status != want:
		return notIn[want]
	case (op == schema.OpMonografiApprove || op == schema.OpMonografiAccept) && basis != Basis(d.Values):
		return skipStale
	}
	switch op {
	case schema.OpMonografiApprove:
		d.Status, d.ApprovedBy, d.ApprovedAt, d.Note = StatusApproved, e.Actor, e.At, ""
	case schema.OpMonografiReturn:
		d.Status, d.Note = StatusReturned, note
	case schema.OpMonografiUnapprove:
		d.Status, d.ApprovedBy, d.ApprovedAt, d.Note = StatusSubmitted, "", "", note
	case schema.OpMonografiAccept:
		d.Status, d.AcceptedBy, d.AcceptedAt = StatusAccepted, e.Actor, e.At
	case schema.OpMonografiUnaccept:
		d.Status, d.AcceptedBy, d.AcceptedAt, d.Note = StatusApproved, "", "", note
	}
	return ""
}
