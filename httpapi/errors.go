package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/replication/cluster"
	"github.com/lumbung/lumbung/schema"
)

// apiError is what a client is told when a request cannot be served, in
// the one shape of every HTTP surface (locale.Problem).
type apiError = locale.Problem

// newError is the answer status with code and the message under key.
func newError(status int, code string, key locale.Key, args ...any) *apiError {
	return locale.NewProblem(status, code, key, args...)
}

// errorFor maps an error from the store or the model to what the client
// is told. Only an error no input can cause becomes a 500.
func errorFor(err error) *apiError {
	var ve *schema.ValidationError
	var te *schema.TransitionError
	var ae *node.ApprovalError
	var re *node.RegionError
	switch {
	case errors.As(err, &re):
		return regionProblem(re)
	case errors.As(err, &ae):
		return &apiError{Status: ae.Status, Code: ae.Code, Msg: ae.Msg}
	case errors.As(err, &ve):
		e := newError(http.StatusUnprocessableEntity, "invalid_input", msgInvalidInput)
		e.Fields = ve.Fields
		return e
	case errors.Is(err, schema.ErrInvalid):
		// A refusal without named fields (a role unknown, a record
		// malformed): the input's fault, said as such, never a 500.
		return newError(http.StatusUnprocessableEntity, "invalid_input", msgInvalidInput)
	case errors.As(err, &te):
		return &apiError{Status: http.StatusConflict, Code: "invalid_action", Msg: te.Msg}
	case errors.Is(err, node.ErrOfficerExists):
		return newError(http.StatusConflict, "officer_exists", msgOfficerExists)
	case errors.Is(err, node.ErrBadLogin):
		return newError(http.StatusUnauthorized, "login_failed", msgLoginFailed)
	case errors.Is(err, officer.ErrSessionEnded), errors.Is(err, officer.ErrBadSecret):
		return newError(http.StatusUnauthorized, "session_ended", msgSessionEnded)
	case errors.Is(err, node.ErrNotFound):
		return newError(http.StatusNotFound, "not_found", msgNotFound)
	case errors.Is(err, node.ErrAlreadySubmitted):
		return newError(http.StatusConflict, "already_submitted", msgAlreadySubmitted)
	case errors.Is(err, node.ErrNotAbove):
		return newError(http.StatusForbidden, "not_above", msgNotAbove)
	case errors.Is(err, node.ErrBadCursor):
		return newError(http.StatusBadRequest, "bad_cursor", msgBadCursor)
	case errors.Is(err, cluster.ErrUnknownOutcome):
		return newError(http.StatusServiceUnavailable, "unknown_outcome", msgUnknownOutcome)
	case errors.Is(err, node.ErrBadResult):
		return newError(http.StatusBadGateway, "bad_leader_answer", msgBadResult)
	case errors.Is(err, node.ErrUpgrading):
		return newError(http.StatusServiceUnavailable, "upgrading", msgUpgrading)
	case errors.Is(err, cluster.ErrNoLeader), errors.Is(err, cluster.ErrShutdown), errors.Is(err, node.ErrNotReady):
		return newError(http.StatusServiceUnavailable, "no_leader", msgNoLeader)
	case errors.Is(err, node.ErrStoreFailed), errors.Is(err, node.ErrClosed), errors.Is(err, context.Canceled),
		errors.Is(err, context.DeadlineExceeded):
		return newError(http.StatusServiceUnavailable, "unavailable", msgUnavailable)
	}
	return newError(http.StatusInternalServerError, "internal", msgInternal)
}

// regionProblem says why the node does not serve a region a request
// names, on its "region" field.
func regionProblem(re *node.RegionError) *apiError {
	var e *apiError
	switch {
	case errors.Is(re, node.ErrEntryNotDesa):
		return newError(http.StatusUnprocessableEntity, "not_a_desa", msgEntryNotDesa, re.Region)
	case errors.Is(re, node.ErrUnknownRegion):
		e = newError(http.StatusUnprocessableEntity, "unknown_region", msgUnknownRegion, re.Region)
	default:
		e = newError(http.StatusForbidden, "out_of_scope", msgOutOfScope, re.Region, re.Node)
	}
	e.Fields = map[string]locale.Text{"region": e.Msg}
	return e
}

// decodeJSON reads one JSON object into v, refusing unknown fields, wrong
// types, trailing data and bodies over max bytes.
func decodeJSON(w http.ResponseWriter, r *http.Request, max int64, v any) *apiError {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		return newError(http.StatusUnsupportedMediaType, "unsupported_media_type", msgNotJSON)
	}
	body := &countingBody{r: io.LimitReader(r.Body, max+1)}
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("trailing data after the JSON object")
	}
	if err == nil {
		if _, terr := dec.Token(); terr != io.EOF {
			err = errors.New("trailing data after the JSON object")
		}
	}
	if body.n > max {
		drain(r)
		return newError(http.StatusRequestEntityTooLarge, "too_large", msgTooLarge, max)
	}
	if err == nil {
		return nil
	}
	return jsonError(err, max)
}

// countingBody counts the bytes read through it.
type countingBody struct {
	r io.Reader
	n int64
}

func (c *countingBody) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// maxDrain bounds what is read and dropped of a body too large, so its
// sender, which writes the whole body before it reads (Python's urllib,
// many browsers), gets the 413 instead of a reset connection. A body
// larger still ends its connection.
const maxDrain = 16 << 20

// drain reads and drops the rest of r's body, up to maxDrain.
func drain(r *http.Request) {
	_, _ = io.CopyN(io.Discard, r.Body, maxDrain)
}

func jsonError(err error, max int64) *apiError {
	var tooBig *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	var syntax *json.SyntaxError
	switch {
	case errors.As(err, &tooBig):
		return newError(http.StatusRequestEntityTooLarge, "too_large", msgTooLarge, max)
	case errors.As(err, &typeErr):
		e := newError(http.StatusBadRequest, "invalid_json", msgWrongType)
		field := typeErr.Field
		if field == "" {
			field = "(body)"
		}
		e.Fields = map[string]locale.Text{field: msgMustBe.Text(typeID(typeErr.Type.Kind().String()),
			typeErr.Type.String(), typeErr.Value)}
		return e
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return newError(http.StatusBadRequest, "invalid_json", msgBadJSON, err.Error())
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		e := newError(http.StatusBadRequest, "invalid_json", msgUnknownField)
		e.Fields = map[string]locale.Text{f: msgFieldUnknown.Text()}
		return e
	}
	return newError(http.StatusBadRequest, "invalid_json", msgUnreadable, err.Error())
}

func typeID(kind string) string {
	switch kind {
	case "string":
		return "teks"
	case "bool":
		return "true atau false"
	case "float64", "int", "int64", "uint64":
		return "angka"
	case "map", "struct":
		return "objek JSON"
	case "slice":
		return "daftar"
	}
	return kind
}
