package locale

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
)

// Problem is an error answer before it is put in a language: the HTTP
// status, a stable code for programs, a sentence for people and, for bad
// input, the fields at fault by their JSON path.
type Problem struct {
	Status int
	Code   string
	Msg    Text
	Fields map[string]Text
	// Both, when set, also writes the message in both languages
	// (ErrorDetail.Messages), for a program that keeps the words for
	// officers reading either: the uplink, for its sync status.
	Both bool
	// Extra, when set, is written as more members of the error object,
	// beside code, message and fields: data for the program that asked
	// (the range of versions an exchange refusal names). Its names must
	// not be those of ErrorDetail's own members.
	Extra map[string]any
}

// NewProblem returns the answer status with code and the message under
// key, formatted with args.
func NewProblem(status int, code string, key Key, args ...any) *Problem {
	return &Problem{Status: status, Code: code, Msg: key.Text(args...)}
}

// Error implements error, in English.
func (p *Problem) Error() string { return p.Code + ": " + p.Msg.In(EN) }

// ErrorBody is the one JSON shape of an error answer, on every HTTP
// surface.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is the inside of an ErrorBody: Code for programs, Message
// for people, and Fields naming what is wrong with each field of the
// input (absent when the input is not at fault).
type ErrorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
	// Messages is the message in both languages, when the answer was
	// asked to carry both (Problem.Both).
	Messages *Text `json:"messages,omitempty"`
	// Extra holds the members of the error object beyond these, as they
	// were sent (Problem.Extra; an older peer's own members).
	Extra map[string]json.RawMessage `json:"-"`
}

// errorDetail is ErrorDetail without its methods, to encode and decode
// the named members.
type errorDetail ErrorDetail

// MarshalJSON writes the named members, then Extra's.
func (d ErrorDetail) MarshalJSON() ([]byte, error) {
	b, err := marshal(errorDetail(d))
	if err != nil || len(d.Extra) == 0 {
		return b, err
	}
	all := map[string]json.RawMessage{}
	if err := json.Unmarshal(b, &all); err != nil {
		return nil, err
	}
	for k, v := range d.Extra {
		if _, ok := all[k]; !ok {
			all[k] = v
		}
	}
	return marshal(all)
}

// marshal is json.Marshal with <, > and & left as they are (the encoder
// that writes an ErrorDetail does not unescape what its marshaller wrote).
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// UnmarshalJSON reads the named members, and keeps the others in Extra.
func (d *ErrorDetail) UnmarshalJSON(b []byte) error {
	var named errorDetail
	if err := json.Unmarshal(b, &named); err != nil {
		return err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return err
	}
	for _, k := range []string{"code", "message", "fields", "messages"} {
		delete(all, k)
	}
	if len(all) > 0 {
		named.Extra = all
	}
	*d = ErrorDetail(named)
	return nil
}

// Body puts p in l.
func (p *Problem) Body(l Lang) ErrorBody {
	b := ErrorBody{Error: ErrorDetail{Code: p.Code, Message: p.Msg.In(l)}}
	if len(p.Fields) > 0 {
		b.Error.Fields = make(map[string]string, len(p.Fields))
		for f, m := range p.Fields {
			b.Error.Fields[f] = m.In(l)
		}
	}
	if p.Both {
		both := p.Msg
		if both.EN == "" {
			both.EN = both.ID
		}
		b.Error.Messages = &both
	}
	for k, v := range p.Extra {
		raw, err := json.Marshal(v)
		if err != nil {
			continue // a value that cannot be written is left out; the answer still says what went wrong
		}
		if b.Error.Extra == nil {
			b.Error.Extra = make(map[string]json.RawMessage, len(p.Extra))
		}
		b.Error.Extra[k] = raw
	}
	return b
}

// WriteError answers r with p, in the language r asks for (FromRequest),
// and returns how many bytes of body it wrote.
func WriteError(w http.ResponseWriter, r *http.Request, p *Problem) int {
	return WriteJSON(w, p.Status, p.Body(FromRequest(r)))
}

// WriteJSON answers with status and v as JSON, streamed, with the
// characters <, > and & left as they are in the words people read; it
// returns how many bytes of body it wrote.
func WriteJSON(w http.ResponseWriter, status int, v any) int {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	cw := &countingWriter{w: w}
	enc := json.NewEncoder(cw)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // the status is sent: a failure now cannot be told to the client
	return cw.n
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += n
	return n, err
}
