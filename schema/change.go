package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"
)

// Origin names the node that wrote a change: its region and the random
// incarnation made at init (and made again at restore, so a restored node
// never reuses a sequence number it sent before the backup).
type Origin struct {
	Region      Code   `json:"region"`
	Incarnation string `json:"inc"`
}

// String formats o as "region/incarnation".
func (o Origin) String() string { return string(o.Region) + "/" + o.Incarnation }

// Less orders origins by their string form.
func (o Origin) Less(p Origin) bool { return o.String() < p.String() }

var incarnationRE = regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{6}$`)

// ValidIncarnation reports whether s is six Crockford base-32 characters.
func ValidIncarnation(s string) bool { return incarnationRE.MatchString(s) }

// Op is what a change does to its entity.
type Op string

// The operations.
const (
	OpComplaintCreate Op = "complaint.create"
	OpComplaintAction Op = "complaint.action"
	OpMonografiSet    Op = "monografi.set"
	OpMonografiSubmit Op = "monografi.submit"
	// The approval steps: a kecamatan approves a submitted period or
	// returns it with a note, and un-approves what it approved; the
	// kabupaten accepts an approved period and un-accepts it.
	OpMonografiApprove   Op = "monografi.approve"
	OpMonografiReturn    Op = "monografi.return"
	OpMonografiUnapprove Op = "monografi.unapprove"
	OpMonografiAccept    Op = "monografi.accept"
	OpMonografiUnaccept  Op = "monografi.unaccept"
	// OpCatalogueSet adds to or amends the reference data of a region and
	// everything below it (indicators, complaint categories).
	OpCatalogueSet Op = "catalogue.set"
	// OpRegionsSet adds to or renames entries of the region list of a
	// region, for it and everything below it.
	OpRegionsSet Op = "regions.set"
	// OpOfficeKeySet publishes an office's public identity key to the
	// offices below it (and up), so they can seal reporters to it.
	OpOfficeKeySet Op = "officekey.set"
	// OpSealKeySet carries an epoch's data key sealed to the offices
	// that may read the identities sealed under it.
	OpSealKeySet Op = "sealkey.set"
	// OpIdentitySet and OpIdentityErase write and erase a reporter's
	// sealed identity, an entity apart from its complaint.
	OpIdentitySet   Op = "identity.set"
	OpIdentityErase Op = "identity.erase"
)

// Change is the immutable record every write becomes. (Origin, Seq)
// identifies it everywhere; (HLC, Origin, Seq) orders it.
type Change struct {
	Origin Origin          `json:"origin"`
	Seq    uint64          `json:"seq"`
	HLC    HLC             `json:"hlc"`
	Actor  string          `json:"actor"`
	Entity string          `json:"entity"`
	Scope  Code            `json:"scope"`
	Op     Op              `json:"op"`
	Body   json.RawMessage `json:"body"`
}

// ChangeID is the identity of a change.
type ChangeID struct {
	Origin Origin
	Seq    uint64
}

// ID returns the identity of c.
func (c *Change) ID() ChangeID { return ChangeID{c.Origin, c.Seq} }

// Less orders changes by (HLC, Origin, Seq), the fold order.
func (c *Change) Less(o *Change) bool {
	if c.HLC != o.HLC {
		return c.HLC.Less(o.HLC)
	}
	if c.Origin != o.Origin {
		return c.Origin.Less(o.Origin)
	}
	return c.Seq < o.Seq
}

// MaxChangeSize bounds an encoded change from a peer.
const MaxChangeSize = 256 << 10

// EncodeChange returns the canonical encoding of c: compact JSON with the
// fields in declaration order and the body compacted. It is assembled by
// hand (the same bytes json.Marshal gives, tested) because every write
// and every replicated change passes through it on the node's single
// writer goroutine.
func EncodeChange(c *Change) []byte {
	return encodeChange(c, false)
}

// EncodeMarshalled is EncodeChange for a change whose Body came straight
// from json.Marshal (compact, with HTML characters escaped): it copies the
// body instead of compacting it again. A node's own writes use it.
func EncodeMarshalled(c *Change) []byte {
	return encodeChange(c, true)
}

func encodeChange(c *Change, marshalled bool) []byte {
	b := make([]byte, 0, 160+len(c.Body))
	b = append(b, `{"origin":{"region":`...)
	b = appendString(b, string(c.Origin.Region))
	b = append(b, `,"inc":`...)
	b = appendString(b, c.Origin.Incarnation)
	b = append(b, `},"seq":`...)
	b = strconv.AppendUint(b, c.Seq, 10)
	b = append(b, `,"hlc":{"w":`...)
	b = strconv.AppendInt(b, c.HLC.Wall, 10)
	b = append(b, `,"l":`...)
	b = strconv.AppendUint(b, uint64(c.HLC.Logical), 10)
	b = append(b, `},"actor":`...)
	b = appendString(b, c.Actor)
	b = append(b, `,"entity":`...)
	b = appendString(b, c.Entity)
	b = append(b, `,"scope":`...)
	b = appendString(b, string(c.Scope))
	b = append(b, `,"op":`...)
	b = appendString(b, string(c.Op))
	b = append(b, `,"body":`...)
	if marshalled && len(c.Body) > 0 {
		b = append(b, c.Body...)
	} else {
		b = appendBody(b, c.Body)
	}
	return append(b, '}')
}

// appendString appends s as a JSON string, escaped as json.Marshal does.
func appendString(b []byte, s string) []byte {
	safe := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c >= 0x80 {
			safe = false
			break
		}
	}
	if safe {
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	q, _ := json.Marshal(s)
	return append(b, q...)
}

// appendBody appends the body compacted, or null when it is empty or not
// JSON (a change with such a body fails Check, so it is never stored).
func appendBody(b []byte, body json.RawMessage) []byte {
	if len(body) == 0 {
		return append(b, "null"...)
	}
	var buf bytes.Buffer
	buf.Grow(len(body))
	if err := json.Compact(&buf, body); err != nil {
		return append(b, "null"...)
	}
	out := buf.Bytes()
	if !bytes.ContainsAny(out, "<>&\u2028\u2029") {
		return append(b, out...)
	}
	// json.Marshal escapes these inside strings; do the same.
	var esc bytes.Buffer
	json.HTMLEscape(&esc, out)
	return append(b, esc.Bytes()...)
}

// DecodeChange parses and checks an encoded change, as received from a
// peer or read back from disk. It never panics.
func DecodeChange(b []byte) (*Change, error) {
	if len(b) > MaxChangeSize {
		return nil, fmt.Errorf("%w: change of %d bytes exceeds %d", ErrDecode, len(b), MaxChangeSize)
	}
	var c Change
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDecode, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: data after the change", ErrDecode)
	}
	if err := c.Check(); err != nil {
		return nil, err
	}
	// The canonical form can be up to six times larger than b (EncodeChange
	// writes < as \u003c): bound it too, so that a change accepted here is
	// accepted again when it is sent on. Below MaxChangeSize/8 it fits.
	if len(b) > MaxChangeSize/8 {
		if n := len(EncodeChange(&c)); n > MaxChangeSize {
			return nil, fmt.Errorf("%w: change of %d bytes in canonical form exceeds %d", ErrDecode, n, MaxChangeSize)
		}
	}
	return &c, nil
}

// Check verifies the envelope of a change: identity, clock, entity, scope
// and the form of its op. An op this version does not know passes (a newer
// version made it: see compat.go); the body is checked by the fold that
// reads it.
func (c *Change) Check() error {
	switch {
	case !c.Origin.Region.Valid():
		return fmt.Errorf("%w: change origin region %q", ErrDecode, c.Origin.Region)
	case !ValidIncarnation(c.Origin.Incarnation):
		return fmt.Errorf("%w: change origin incarnation %q", ErrDecode, c.Origin.Incarnation)
	case c.Seq == 0:
		return fmt.Errorf("%w: change sequence must start at 1", ErrDecode)
	case c.HLC.Wall <= 0:
		return fmt.Errorf("%w: change clock %s", ErrDecode, c.HLC)
	case c.Entity == "" || len(c.Entity) > 128:
		return fmt.Errorf("%w: change entity %q", ErrDecode, c.Entity)
	case !c.Scope.Valid():
		return fmt.Errorf("%w: change scope %q", ErrDecode, c.Scope)
	case len(c.Actor) > MaxActorBytes:
		return fmt.Errorf("%w: change actor longer than %d bytes", ErrDecode, MaxActorBytes)
	}
	if !wellFormedOp(c.Op) {
		return fmt.Errorf("%w: op %q", ErrDecode, c.Op)
	}
	if !json.Valid(c.Body) {
		return fmt.Errorf("%w: change body is not JSON", ErrDecode)
	}
	return nil
}
