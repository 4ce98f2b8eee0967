package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Compatibility with other versions. Desa laptops are upgraded one at a
// time, so a node holds changes written by versions newer than its own. A
// change whose op this version does not know, or whose body holds a field
// that the op's body type here does not have, is well formed but not
// understood: it is kept, replicated and counted like any other, shown in
// its entity's history as not understood, and not folded. A newer version
// that knows it folds it (see replication/DESIGN.md, "Versions mix").

// ErrNotUnderstood marks a change or a body this version cannot read: an
// op or a field made by a newer version. It is not an error of the peer.
var ErrNotUnderstood = errors.New("schema: not understood by this version")

// opRE is the form every op takes, known or not: dotted lower-case words,
// the entity kind first ("complaint.attach").
var opRE = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$`)

// maxOpBytes bounds an op's length.
const maxOpBytes = 64

// knownOps are the ops this version folds.
var knownOps = map[Op]bool{
	OpComplaintCreate: true, OpComplaintAction: true,
	OpMonografiSet: true, OpMonografiSubmit: true, OpMonografiApprove: true, OpMonografiReturn: true,
	OpMonografiUnapprove: true, OpMonografiAccept: true, OpMonografiUnaccept: true,
	OpCatalogueSet: true, OpRegionsSet: true,
	OpOfficeKeySet: true, OpSealKeySet: true, OpIdentitySet: true, OpIdentityErase: true,
}

// KnownOp reports whether this version knows op.
func KnownOp(op Op) bool { return knownOps[op] }

// wellFormedOp reports whether op has the form of an op, known or not.
func wellFormedOp(op Op) bool { return len(op) <= maxOpBytes && opRE.MatchString(string(op)) }

// DecodeBody decodes a change body into v, strictly: a field v does not
// have gives ErrNotUnderstood (a newer version wrote it), anything else
// that does not decode gives ErrDecode. v must be a pointer.
func DecodeBody(body json.RawMessage, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	switch {
	case err == nil:
		return nil
	case unknownField(err):
		return fmt.Errorf("%w: %w", ErrNotUnderstood, err)
	}
	return fmt.Errorf("%w: %w", ErrDecode, err)
}

// unknownField reports whether err is encoding/json's refusal of a field
// under DisallowUnknownFields, which has no type of its own.
func unknownField(err error) bool {
	return strings.HasPrefix(err.Error(), "json: unknown field ")
}

// Understood reports whether this version knows c's op and every field of
// its body, for the ops whose body types live in this package (complaint
// ops). For other ops it reports only whether the op is known; their
// packages check their bodies.
func (c *Change) Understood() bool {
	switch c.Op {
	case OpComplaintCreate:
		return !errors.Is(DecodeBody(c.Body, new(CreateBody)), ErrNotUnderstood)
	case OpComplaintAction:
		return !errors.Is(DecodeBody(c.Body, new(ActionInput)), ErrNotUnderstood)
	}
	return KnownOp(c.Op)
}
