package node

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/lumbung/lumbung/catalogue"
	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/schema"
)

// Kinds of Write.
const (
	WriteGenesis          = "cluster.genesis"
	WriteComplaintCreate  = "complaint.create"
	WriteComplaintAction  = "complaint.action"
	WriteMonografiSet     = "monografi.set"
	WriteMonografiSubmit  = "monografi.submit"
	WriteMonografiStep    = "monografi.step"
	WriteCatalogueSet     = "catalogue.set"
	WriteRegionsSet       = "regions.set"
	WriteChanges          = "changes"
	WriteSyncUp           = "sync.up"
	WriteToken            = "sync.token"
	maxWriteCommandBytes  = 4 << 20
	writeResultNotReady   = "not_ready"
	writeResultBadCommand = "bad_command"
)

// ErrNotReady means a cluster has not established its identity yet (its
// first leader has not written the genesis): writes wait for it.
var ErrNotReady = errors.New("node: cluster not ready")

// Write is one write as a request, before it runs: what a cluster member
// proposes through raft, so that every member runs the same write against
// the same state. A desa node runs it directly.
type Write struct {
	Kind        string                 `json:"kind"`
	Complaint   *schema.ComplaintInput `json:"complaint,omitempty"`
	ID          string                 `json:"id,omitempty"`
	Action      *schema.ActionInput    `json:"action,omitempty"`
	Region      schema.Code            `json:"region,omitempty"`
	Period      string                 `json:"period,omitempty"`
	Officer     string                 `json:"officer,omitempty"`
	Values      map[string]float64     `json:"values,omitempty"`
	Step        string                 `json:"step,omitempty"`
	StepInput   *StepInput             `json:"step_input,omitempty"`
	Incarnation string                 `json:"incarnation,omitempty"`
	Changes     []*schema.Change       `json:"changes,omitempty"`
	// From says where Changes came from: the region of the link below
	// (with Origin and Last, that origin's acknowledged position), or
	// fromUpstream (with Last, the downlink cursor). Empty: a local import.
	From   string         `json:"from,omitempty"`
	Origin *schema.Origin `json:"origin,omitempty"`
	Last   uint64         `json:"last,omitempty"`
	Token  *Token         `json:"token,omitempty"`
	// Catalogue is what a catalogue.set write adds to the catalogue of
	// the node's region.
	Catalogue *catalogue.Body `json:"catalogue,omitempty"`
	// Regions is what a regions.set write publishes.
	Regions []Region `json:"regions,omitempty"`
}

// decodeWrite reads a proposed write. It comes from another member, so it
// is checked as strictly as a client's request.
func decodeWrite(b []byte) (*Write, error) {
	if len(b) > maxWriteCommandBytes {
		return nil, fmt.Errorf("%w: write of %d bytes", schema.ErrInvalid, len(b))
	}
	var w Write
	if err := json.Unmarshal(b, &w); err != nil {
		return nil, fmt.Errorf("%w: %w", schema.ErrInvalid, err)
	}
	return &w, nil
}

// fn checks the write as the HTTP API would and returns what runs it.
func (w *Write) fn() (WriteFunc, error) {
	switch w.Kind {
	case WriteComplaintCreate:
		if w.Complaint == nil {
			return nil, fmt.Errorf("%w: no complaint", schema.ErrInvalid)
		}
		return createComplaint(w.Complaint), nil // checked against the catalogue in effect, in the write
	case WriteComplaintAction:
		if w.Action == nil {
			return nil, fmt.Errorf("%w: no action", schema.ErrInvalid)
		}
		if _, err := schema.ParseTrackingNumber(w.ID); err != nil {
			return nil, ErrNotFound
		}
		if err := w.Action.Validate(); err != nil {
			return nil, err
		}
		return actOnComplaint(w.ID, w.Action), nil
	case WriteMonografiSet, WriteMonografiSubmit:
		p, err := monografi.ParsePeriod(w.Period)
		if err != nil || !w.Region.Valid() || w.Region.Level() != schema.LevelDesa {
			return nil, fmt.Errorf("%w: monografi target %q %q", schema.ErrInvalid, w.Region, w.Period)
		}
		if err := schema.CheckOfficer(w.Officer); err != nil {
			return nil, err
		}
		if w.Kind == WriteMonografiSubmit {
			return submitMonografi(w.Region, p, w.Officer), nil
		}
		if len(w.Values) == 0 {
			return nil, &schema.ValidationError{Fields: map[string]schema.Msg{"values": msgNoValues.Text()}}
		}
		return setMonografi(w.Region, p, w.Officer, w.Values), nil
	case WriteMonografiStep:
		return w.stepFn()
	case WriteCatalogueSet:
		if w.Catalogue == nil {
			return nil, fmt.Errorf("%w: no catalogue extension", schema.ErrInvalid)
		}
		if err := schema.CheckOfficer(w.Officer); err != nil {
			return nil, err
		}
		return extendCatalogue(w.Officer, w.Catalogue), nil
	case WriteRegionsSet:
		if err := schema.CheckOfficer(w.Officer); err != nil {
			return nil, err
		}
		return publishRegions(w.Officer, w.Regions), nil
	case WriteChanges:
		return w.changesFn()
	case WriteSyncUp:
		return saveUpAcked(w.Last), nil
	case WriteToken:
		if w.Token == nil || len(w.Token.Hash) != 64 || !w.Token.Region.Valid() {
			return nil, fmt.Errorf("%w: token record", schema.ErrInvalid)
		}
		return putToken(w.Token), nil
	case WriteGenesis:
		if len(w.Incarnation) != 6 {
			return nil, fmt.Errorf("%w: genesis incarnation %q", schema.ErrInvalid, w.Incarnation)
		}
		return genesis(w.Incarnation), nil
	}
	return nil, fmt.Errorf("%w: unknown write kind %q", schema.ErrInvalid, w.Kind)
}

// stepFn checks an approval step and returns it. Accepting a kecamatan
// accepts every approved desa in it.
func (w *Write) stepFn() (WriteFunc, error) {
	p, err := monografi.ParsePeriod(w.Period)
	if err != nil || !w.Region.Valid() || w.StepInput == nil {
		return nil, fmt.Errorf("%w: monografi step %q %q", schema.ErrInvalid, w.Region, w.Period)
	}
	if err := checkStep(w.Step, w.StepInput); err != nil {
		return nil, err
	}
	if err := schema.CheckOfficer(w.StepInput.Officer); err != nil {
		return nil, err
	}
	switch {
	case w.Step == StepAccept && w.Region.Level() == schema.LevelKecamatan:
		return acceptKecamatan(w.Region, p, *w.StepInput), nil
	case w.Region.Level() != schema.LevelDesa:
		return nil, fmt.Errorf("%w: monografi step %q on %q", schema.ErrInvalid, w.Step, w.Region)
	}
	return monografiStep(w.Region, p, w.Step, *w.StepInput), nil
}

// changesFn checks a write of changes from elsewhere and returns it.
func (w *Write) changesFn() (WriteFunc, error) {
	for _, c := range w.Changes {
		if err := c.Check(); err != nil {
			return nil, err
		}
	}
	switch {
	case w.From == fromUpstream:
		return receiveDownlink(w.Last, w.Changes), nil
	case w.From == "":
		return func(tx *Tx) (any, error) { return tx.applyRemote(w.Changes, "") }, nil
	case schema.Code(w.From).Valid() && w.Origin != nil && w.Origin.Region.Valid():
		return receiveChanges(schema.Code(w.From), *w.Origin, w.Last, w.Changes), nil
	}
	return nil, fmt.Errorf("%w: changes from %q", schema.ErrInvalid, w.From)
}

// keyGenesis holds the incarnation a cluster's first leader chose: the
// origin every member writes the cluster's changes under.
var keyGenesis = []byte(prefixMeta + "genesis")

// genesis gives a cluster its identity, once: the first genesis applied
// wins on every member, a later one changes nothing.
func genesis(inc string) WriteFunc {
	return func(tx *Tx) (any, error) {
		if _, done, err := tx.Get(keyGenesis); err != nil || done {
			return nil, err
		}
		tx.Set(keyGenesis, []byte(inc))
		tx.Set(keyIncarnation, []byte(inc))
		o := schema.Origin{Region: tx.s.cfg.Region, Incarnation: inc}
		tx.s.origin.Store(&o)
		tx.s.genesis.Store(true)
		return nil, tx.err
	}
}

// requireGenesis refuses a write on a cluster that has no identity yet.
func requireGenesis(fn WriteFunc) WriteFunc {
	return func(tx *Tx) (any, error) {
		if tx.s.genesis.Load() {
			return fn(tx) // the flag mirrors keyGenesis, which is never removed once written
		}
		if _, done, err := tx.Get(keyGenesis); err != nil || !done {
			if err == nil {
				err = ErrNotReady
			}
			return nil, err
		}
		return fn(tx)
	}
}

// Genesis reports whether the store has a cluster identity.
func (s *Store) Genesis() (bool, error) {
	_, ok, err := s.get(keyGenesis)
	return ok, err
}
