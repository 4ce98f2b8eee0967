package schema

import (
	"errors"
	"sort"
	"strings"

	"github.com/lumbung/lumbung/locale"
)

// Sentinel errors of the package. Match them with errors.Is.
var (
	// ErrInvalid marks input that failed validation; the error is a
	// *ValidationError that names the fields.
	ErrInvalid = errors.New("schema: invalid input")
	// ErrTransition marks an action that is not valid in the complaint's
	// current status.
	ErrTransition = errors.New("schema: action not allowed in this status")
	// ErrDecode marks bytes that are not a well-formed encoding.
	ErrDecode = errors.New("schema: malformed encoding")
)

// Msg is a message a person reads, in Indonesian (the default on screen)
// and in English: a text of the locale catalogue.
type Msg = locale.Text

// ValidationError lists what is wrong with an input, field by field. Field
// names are the JSON paths a client sent ("reporter.nik", "values.penduduk.jumlah").
type ValidationError struct {
	Fields map[string]Msg
}

// Add records a problem with field. The first problem per field is kept.
func (v *ValidationError) Add(field string, m Msg) {
	if v.Fields == nil {
		v.Fields = map[string]Msg{}
	}
	if _, ok := v.Fields[field]; !ok {
		v.Fields[field] = m
	}
}

// Err returns v as an error, or nil if no field was added.
func (v *ValidationError) Err() error {
	if v == nil || len(v.Fields) == 0 {
		return nil
	}
	return v
}

// Error implements error, in English, fields in sorted order.
func (v *ValidationError) Error() string {
	names := make([]string, 0, len(v.Fields))
	for f := range v.Fields {
		names = append(names, f)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("invalid input: ")
	for i, f := range names {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(f + ": " + v.Fields[f].EN)
	}
	return b.String()
}

// Is makes errors.Is(err, ErrInvalid) true for a *ValidationError.
func (v *ValidationError) Is(target error) bool { return target == ErrInvalid }

// Localized returns the field messages in lang.
func (v *ValidationError) Localized(lang locale.Lang) map[string]string {
	out := make(map[string]string, len(v.Fields))
	for f, m := range v.Fields {
		out[f] = m.In(lang)
	}
	return out
}

// TransitionError says why an action was refused in a status.
type TransitionError struct {
	Action Action
	Status Status
	Msg    Msg
}

// Error implements error.
func (e *TransitionError) Error() string { return e.Msg.EN }

// Is makes errors.Is(err, ErrTransition) true.
func (e *TransitionError) Is(target error) bool { return target == ErrTransition }
