package node

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/cockroachdb/pebble/v2"
	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/seal"
)

// complaintCreate is a complaint.create command.
type complaintCreate struct {
	Complaint *schema.ComplaintInput `json:"complaint,omitempty"`
	// Identity is an anonymous reporter's identity, sealed by the
	// proposer (version 2): the complaint's reporter then carries none,
	// so no log holds it in clear.
	Identity *sealedIdentity `json:"identity,omitempty"`
	// Shared is an ordinary reporter's identity, sealed by the proposer
	// to the office and the offices above it (version 2), written into
	// the complaint's create as its ciphertext (identity.go).
	Shared *sealedIdentity `json:"shared,omitempty"`
}

// kindComplaintCreate takes a new complaint. It is checked against the
// catalogue in effect when it runs.
var kindComplaintCreate = register(&Kind[complaintCreate, *schema.Complaint]{
	Name: "complaint.create", Version: 2, Entity: entityComplaint, Result: "complaint",
	Needs: func(in *complaintCreate) int {
		if in.Identity != nil || in.Shared != nil {
			return 2
		}
		return 1
	},
	Check: func(in *complaintCreate) error {
		if in.Complaint == nil {
			return fmt.Errorf("%w: no complaint", schema.ErrInvalid)
		}
		if in.Identity != nil {
			if !in.Complaint.Reporter.Anonymous || in.Complaint.Reporter.HasIdentity() {
				return fmt.Errorf("%w: a sealed identity beside a reporter in clear", schema.ErrInvalid)
			}
			return in.Identity.check()
		}
		if len(in.Complaint.Reporter.Ciphertext) > 0 {
			return fmt.Errorf("%w: a sealed identity in the complaint's input", schema.ErrInvalid)
		}
		if in.Shared != nil || in.Complaint.Reporter.Sealed {
			r := in.Complaint.Reporter
			if in.Shared == nil || r.Anonymous || !r.Sealed || r.HasIdentity() {
				return fmt.Errorf("%w: a sealed identity beside a reporter in clear, or none", schema.ErrInvalid)
			}
			return in.Shared.check()
		}
		return nil
	},
	Run: func(tx *Tx, in *complaintCreate) (*schema.Complaint, error) {
		if in.Shared != nil {
			if err := tx.keepEpoch(actor(in.Complaint.Officer), in.Shared); err != nil {
				return nil, err
			}
		}
		return createComplaint(tx, in.Complaint, in.Identity, in.Shared)
	},
})

// complaintAction is a complaint.action command.
type complaintAction struct {
	ID     string              `json:"id,omitempty"`
	Action *schema.ActionInput `json:"action,omitempty"`
}

// kindComplaintAction records an officer's action, refused with a
// *schema.TransitionError when the complaint's status does not allow it.
var kindComplaintAction = register(&Kind[complaintAction, *schema.Complaint]{
	Name: "complaint.action", Version: 1, Entity: entityComplaint, Result: "complaint",
	Check: func(in *complaintAction) error {
		if in.Action == nil {
			return fmt.Errorf("%w: no action", schema.ErrInvalid)
		}
		if _, err := schema.ParseTrackingNumber(in.ID); err != nil {
			return ErrNotFound
		}
		return in.Action.Validate()
	},
	Run: func(tx *Tx, in *complaintAction) (*schema.Complaint, error) {
		return actOnComplaint(tx, in.ID, in.Action)
	},
})

// CreateComplaint takes a complaint at this node. The identity of an
// anonymous reporter is kept in a local-only record, never in the change.
// It returns the complaint as this node shows it.
func (n *Node) CreateComplaint(ctx context.Context, in *schema.ComplaintInput) (*schema.Complaint, error) {
	cmd, err := n.store.intake(in)
	if err != nil {
		return nil, err
	}
	c, err := exec(ctx, n, kindComplaintCreate, cmd)
	if err != nil {
		return nil, err
	}
	return withIdentity(c, in), nil
}

// intake is the command taking in: the reporter's identity checked,
// then sealed and taken out of the complaint. An anonymous reporter's is
// sealed to the office's key only, and stays here; an ordinary
// reporter's to the office's and those above it, and travels beside the
// complaint (identity.go).
func (s *Store) intake(given *schema.ComplaintInput) (complaintCreate, error) {
	in := *given
	in.Reporter.Sealed, in.Reporter.Ciphertext = false, nil // the node seals, not the caller
	if !in.Reporter.HasIdentity() {
		return complaintCreate{Complaint: &in}, nil
	}
	var v schema.ValidationError
	schema.CheckReporter(&v, &in.Reporter)
	if err := v.Err(); err != nil {
		return complaintCreate{}, err
	}
	ident := encodeIdentity(in.Reporter)
	seal := s.sealShared
	if in.Reporter.Anonymous {
		seal = s.sealIdentity
	}
	sealed, err := seal(ident)
	if err != nil || sealed == nil {
		return complaintCreate{Complaint: &in}, err
	}
	stripped := in
	stripped.Reporter = in.Reporter.Flags()
	if in.Reporter.Anonymous {
		return complaintCreate{Complaint: &stripped, Identity: sealed}, nil
	}
	stripped.Reporter.Sealed = true
	return complaintCreate{Complaint: &stripped, Shared: sealed}, nil
}

// CreateComplaint is Node.CreateComplaint on the store of a stopped desa
// node (a sample, a test corpus); a cluster member's store refuses it.
func (s *Store) CreateComplaint(ctx context.Context, in *schema.ComplaintInput) (*schema.Complaint, error) {
	cmd, err := s.intake(in)
	if err != nil {
		return nil, err
	}
	c, err := runLocal(ctx, s, kindComplaintCreate, cmd)
	if err != nil {
		return nil, err
	}
	return withIdentity(c, in), nil
}

// createComplaint is the write of a new complaint.
func createComplaint(tx *Tx, in *schema.ComplaintInput, sealed, shared *sealedIdentity) (*schema.Complaint, error) {
	var cats []schema.Category
	if in.Region.Valid() {
		cat, err := tx.catalogue(in.Region)
		if err != nil {
			return nil, err
		}
		cats = cat.CategoryCodes()
	}
	if err := in.Validate(cats); err != nil {
		return nil, err
	}
	id := schema.TrackingNumber(tx.Origin(), tx.NextSeq())
	cls := in.Classification
	if cls == "" {
		cls = schema.Classifications[0]
	}
	reporter := in.Reporter.Stripped()
	reporter.IdentityLocked, reporter.IdentityErased = false, false // what a node shows, never what it records
	if shared != nil {
		reporter.Ciphertext = shared.Value
	}
	body := schema.CreateBody{ID: id, Region: in.Region, Channel: in.Channel, Category: in.Category,
		Classification: cls, Title: in.Title, Description: in.Description,
		Location: in.Location, Reporter: reporter}
	entity := schema.ComplaintEntity(id)
	state, err := appendState[*schema.Complaint](tx, actor(in.Officer), entity, in.Region, schema.OpComplaintCreate,
		body, []*schema.Change{})
	if err != nil {
		return nil, err
	}
	switch {
	case in.Reporter.Anonymous && sealed != nil:
		tx.Set(privateKey(id), sealed.Value)
		if _, ok, err := tx.Get(epochKey(sealed.EpochID)); err != nil {
			return nil, err
		} else if !ok {
			if len(sealed.EpochSealed) == 0 {
				return nil, fmt.Errorf("%w: an identity sealed under an epoch this store does not hold", schema.ErrInvalid)
			}
			tx.Set(epochKey(sealed.EpochID), sealed.EpochSealed)
		}
	case in.Reporter.Anonymous && in.Reporter.HasIdentity():
		// An office with no key yet (no officer), or a command of
		// version 1: kept as before, until the office has a key.
		ident, _ := json.Marshal(in.Reporter.Identity())
		tx.Set(privateKey(id), ident)
	}
	return state, nil
}

// withIdentity shows the reporter's identity, which the change does not
// carry in clear, to the officer who just took the complaint.
func withIdentity(c *schema.Complaint, in *schema.ComplaintInput) *schema.Complaint {
	c.Reporter.Ciphertext = nil // never shown
	if ident := in.Reporter.Identity(); ident.HasIdentity() {
		c.Reporter.Name, c.Reporter.NIK, c.Reporter.Phone = ident.Name, ident.NIK, ident.Phone
	}
	return c
}

// ActOnComplaint records an officer's action on a complaint and returns
// it as this node shows it.
func (n *Node) ActOnComplaint(ctx context.Context, id string, in *schema.ActionInput) (*schema.Complaint, error) {
	c, err := exec(ctx, n, kindComplaintAction, complaintAction{ID: id, Action: in})
	if err != nil {
		return nil, err
	}
	return c, n.store.addIdentity(c)
}

// ActOnComplaint is Node.ActOnComplaint on the store of a stopped desa
// node; a cluster member's store refuses it.
func (s *Store) ActOnComplaint(ctx context.Context, id string, in *schema.ActionInput) (*schema.Complaint, error) {
	c, err := runLocal(ctx, s, kindComplaintAction, complaintAction{ID: id, Action: in})
	if err != nil {
		return nil, err
	}
	return c, s.addIdentity(c)
}

// actOnComplaint is the write of an officer's action.
func actOnComplaint(tx *Tx, id string, in *schema.ActionInput) (*schema.Complaint, error) {
	entity := schema.ComplaintEntity(id)
	changes, err := tx.EntityChanges(entity)
	if err != nil {
		return nil, err
	}
	cur, err := schema.FoldComplaint(changes)
	if errors.Is(err, schema.ErrNoCreate) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if _, err := cur.Next(in.Action); err != nil {
		return nil, err
	}
	return appendState[*schema.Complaint](tx, actor(in.Officer), entity, cur.Region, schema.OpComplaintAction, in, changes)
}

func actor(officer string) string {
	if strings.TrimSpace(officer) == "" {
		return "operator"
	}
	return strings.TrimSpace(officer)
}

// Complaint returns a complaint as this node shows it: the replicated
// state, with the reporter's identity added back where this node holds it.
func (s *Store) Complaint(id string) (*schema.Complaint, error) {
	var c schema.Complaint
	found, err := s.getJSON(stateKey(schema.ComplaintEntity(id)), &c)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, ErrNotFound
	}
	return &c, s.addIdentity(&c)
}

// addIdentity adds to c the reporter's identity this node holds and may
// open: an ordinary reporter's sealed in the complaint, or sealed again
// beside it (identity.go), an anonymous one's kept here. One erased reads erased; one sealed while
// the office is locked reads locked.
func (s *Store) addIdentity(c *schema.Complaint) error {
	ciphertext := c.Reporter.Ciphertext
	c.Reporter.Ciphertext = nil // opened here or not at all: never shown
	var st identityState
	found := false
	var err error
	if ciphertext == nil {
		// Sealed again, or erased, beside the complaint: either takes the
		// ciphertext out of its create.
		if found, err = s.getJSON(stateKey(identityEntity(c.ID)), &st); err != nil {
			return err
		}
	}
	var raw []byte
	switch {
	case found && st.Erased:
		c.Reporter.Name, c.Reporter.NIK, c.Reporter.Phone = "", "", ""
		c.Reporter.IdentityErased = true
		return nil
	case found:
		raw = st.Value
	case ciphertext != nil:
		raw = ciphertext
	case c.Reporter.Anonymous:
		if raw, found, err = s.get(privateKey(c.ID)); err != nil || !found {
			return err
		}
	default:
		return nil // none, or in clear in the complaint (taken before the office had a key)
	}
	if len(raw) > 0 && raw[0] != '{' {
		// Sealed (keyring.go): opened while the office is unlocked.
		raw, err = s.openIdentity(raw)
		switch {
		case errors.Is(err, ErrLocked):
			c.Reporter.IdentityLocked = true
			return nil
		case errors.Is(err, seal.ErrNotForKey) || errors.Is(err, seal.ErrOpen) || errors.Is(err, seal.ErrMalformed) ||
			errors.Is(err, ErrNotFound):
			// Sealed to a key this office no longer has, or damaged: the
			// complaint still reads, its reporter shown as unreadable.
			s.cfg.Logger.Warn("an identity kept here does not open", "complaint", c.ID, "err", err)
			c.Reporter.IdentityLocked = true
			return nil
		case err != nil:
			return fmt.Errorf("node: the identity of %s: %w", c.ID, err)
		}
	}
	ident, err := decodeIdentity(raw)
	if err != nil {
		s.cfg.Logger.Warn("an identity kept here does not read", "complaint", c.ID, "err", err)
		c.Reporter.IdentityLocked = true
		return nil
	}
	c.Reporter.Name, c.Reporter.NIK, c.Reporter.Phone = ident.Name, ident.NIK, ident.Phone
	return nil
}

// ComplaintFilter selects complaints to list, newest first.
type ComplaintFilter struct {
	Status   schema.Status
	Category schema.Category
	Region   schema.Code // this region or any below it
	Query    string      // case-insensitive, in title and description
	// From and To bound the time taken (ms since the epoch, To
	// exclusive); zero leaves that side open.
	From, To int64
	Limit    int
	Cursor   string // from the previous page's Next
	// Public leaves out confidential complaints, for the public view.
	Public bool
}

// ComplaintPage is one page of a listing.
type ComplaintPage struct {
	Complaints []*schema.Complaint `json:"complaints"`
	Next       string              `json:"next_cursor,omitempty"`
}

// ListComplaints pages through complaints newest first, using the status,
// region or time index, whichever is the most selective that applies.
func (s *Store) ListComplaints(f ComplaintFilter) (*ComplaintPage, error) {
	lower := []byte(prefixTime)
	switch {
	case f.Status != "":
		lower = append([]byte(prefixStatus+string(f.Status)), 0)
	case f.Region != "":
		lower = []byte(prefixRegion + string(f.Region))
	}
	upper := prefixEnd(lower)
	// The status and time indexes run in the time taken: the period
	// bounds the scan, where the region index (by region first) cannot.
	ordered := f.Region == "" || f.Status != ""
	if ordered && f.To > 0 {
		upper = append(append([]byte(nil), lower...), u64(uint64(f.To))...)
	}
	if f.Cursor != "" {
		c, err := base64.RawURLEncoding.DecodeString(f.Cursor)
		if err != nil || !bytes.HasPrefix(c, lower) {
			return nil, ErrBadCursor
		}
		upper = c
	}
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: lower, UpperBound: upper})
	if err != nil {
		return nil, fmt.Errorf("node: list complaints: %w", err)
	}
	defer it.Close()
	page := &ComplaintPage{Complaints: []*schema.Complaint{}}
	for it.Last(); it.Valid(); it.Prev() {
		k := it.Key()
		c, err := s.Complaint(string(k[bytes.LastIndexByte(k, 0)+1:]))
		if err != nil {
			return nil, err
		}
		if ordered && c.CreatedWall < f.From {
			break
		}
		if !f.match(c) {
			continue
		}
		if len(page.Complaints) == f.Limit {
			page.Next = base64.RawURLEncoding.EncodeToString(lastKey(page, lower, f))
			break
		}
		page.Complaints = append(page.Complaints, c)
	}
	return page, it.Error()
}

// lastKey rebuilds the index key of the last complaint on the page: the
// exclusive upper bound of the next page.
func lastKey(p *ComplaintPage, lower []byte, f ComplaintFilter) []byte {
	c := p.Complaints[len(p.Complaints)-1]
	switch {
	case f.Status != "":
		return statusKey(f.Status, c.CreatedWall, c.ID)
	case f.Region != "":
		return regionIndexKey(c.Region, c.CreatedWall, c.ID)
	}
	return timeKey(c.CreatedWall, c.ID)
}

func (f *ComplaintFilter) match(c *schema.Complaint) bool {
	if f.Public && c.Reporter.Confidential {
		return false
	}
	if f.Status != "" && c.Status != f.Status {
		return false
	}
	if f.Category != "" && c.Category != f.Category {
		return false
	}
	if c.CreatedWall < f.From || (f.To > 0 && c.CreatedWall >= f.To) {
		return false
	}
	if f.Region != "" && !f.Region.Contains(c.Region) {
		return false
	}
	if f.Query != "" {
		q := strings.ToLower(f.Query)
		return strings.Contains(strings.ToLower(c.Title), q) || strings.Contains(strings.ToLower(c.Description), q)
	}
	return true
}
