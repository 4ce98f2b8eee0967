package schema

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"sort"
)

// ErrNoCreate means a complaint's changes hold no create yet (its actions
// arrived first); the state is not known until the create arrives.
var ErrNoCreate = errors.New("schema: complaint has no create change yet")

// ComplaintEntity returns the entity key of a complaint.
func ComplaintEntity(id string) string { return "complaint/" + id }

// SortChanges drops repeated changes (same origin and sequence) and sorts
// the rest in fold order. It returns a new slice.
func SortChanges(changes []*Change) []*Change {
	seen := make(map[ChangeID]bool, len(changes))
	out := make([]*Change, 0, len(changes))
	for _, c := range changes {
		if !seen[c.ID()] {
			seen[c.ID()] = true
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Less(out[j]) })
	return out
}

// FoldComplaint folds a complaint's changes, in any order and with
// repeats, into its state. The first create in fold order makes the
// complaint; each action is replayed through the status machine, and one
// that is not valid at its place in the order stays in the history marked
// superseded. A malformed body never stops the fold: that change is
// marked and skipped, so one bad peer cannot wedge an entity.
func FoldComplaint(changes []*Change) (*Complaint, error) {
	var c *Complaint
	var early []ActionRecord
	for _, ch := range SortChanges(changes) {
		switch ch.Op {
		case OpComplaintCreate:
			if c == nil {
				c = createFrom(ch)
				if c != nil {
					c.Actions = append(c.Actions, early...)
				}
			}
		case OpComplaintAction:
			rec := actionFrom(ch)
			if rec.NotUnderstood {
				c, early = notFolded(c, early, rec)
				continue
			}
			if c == nil {
				rec.Superseded = "precedes the complaint's creation"
				early = append(early, rec)
				continue
			}
			c.apply(rec, ch)
		default:
			if !KnownOp(ch.Op) { // a known op of another entity kind is a peer's mistake: ignored
				c, early = notFolded(c, early, actionFrom(ch))
			}
		}
	}
	if c == nil {
		return nil, ErrNoCreate
	}
	return c, nil
}

// createFrom returns the complaint a create makes, or nil when its body
// is malformed or holds a field this version does not know.
func createFrom(ch *Change) *Complaint {
	var b CreateBody
	if err := DecodeBody(ch.Body, &b); err != nil || b.ID == "" {
		return nil
	}
	return NewComplaint(ch, &b)
}

// notFolded records a change this version does not understand in the
// complaint's history (or with the early ones before its create), where it
// changes nothing.
func notFolded(c *Complaint, early []ActionRecord, rec ActionRecord) (*Complaint, []ActionRecord) {
	if c == nil {
		return nil, append(early, rec)
	}
	rec.From, rec.To = c.Status, c.Status
	c.Actions = append(c.Actions, rec)
	return c, early
}

// NewComplaint returns the state a create change gives on its own: what
// FoldComplaint returns for ch alone, when the caller already holds the
// decoded body (a node taking a complaint it just encoded).
func NewComplaint(ch *Change, b *CreateBody) *Complaint {
	return &Complaint{
		ID: b.ID, Region: b.Region, Channel: b.Channel, Category: b.Category,
		Classification: b.Classification, Title: b.Title, Description: b.Description,
		Location: b.Location, Reporter: b.Reporter.Stripped(), Status: StatusReceived,
		CreatedAt: FormatWall(ch.HLC.Wall), UpdatedAt: FormatWall(ch.HLC.Wall),
		CreatedWall: ch.HLC.Wall, Actions: []ActionRecord{},
	}
}

func actionFrom(ch *Change) ActionRecord {
	rec := ActionRecord{Actor: ch.Actor, At: FormatWall(ch.HLC.Wall), Origin: ch.Origin.String(), Seq: ch.Seq}
	if ch.Op != OpComplaintAction {
		rec.Op, rec.NotUnderstood = ch.Op, true
		return rec
	}
	var in ActionInput
	if err := DecodeBody(ch.Body, &in); errors.Is(err, ErrNotUnderstood) {
		rec.Op, rec.NotUnderstood = ch.Op, true
		return rec
	} else if err != nil {
		rec.Superseded = "malformed action body"
		return rec
	}
	rec.Action, rec.Note, rec.Unit, rec.Reason = in.Action, in.Note, in.Unit, in.Reason
	return rec
}

func (c *Complaint) apply(rec ActionRecord, ch *Change) {
	rec.From = c.Status
	rec.To = c.Status
	if rec.Superseded == "" {
		next, err := c.Next(rec.Action)
		if err != nil {
			rec.Superseded = err.Error()
		} else {
			rec.To = next
			if next == StatusOnHold && c.Status != StatusOnHold {
				c.HeldFrom = c.Status
			} else if next != StatusOnHold {
				c.HeldFrom = ""
			}
			c.Status = next
		}
	}
	c.UpdatedAt = FormatWall(ch.HLC.Wall)
	c.Actions = append(c.Actions, rec)
}

// Digest returns the SHA-256 of v's canonical JSON encoding: two replicas
// hold the same state exactly when their digests are equal.
func Digest(v any) [32]byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("schema: digest of an unencodable value: " + err.Error())
	}
	return sha256.Sum256(b)
}
