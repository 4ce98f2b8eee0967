package locale

import (
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
