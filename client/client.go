package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/lumbung/lumbung/locale"
)

// MaxAnswer bounds the body of one answer read from a node.
const MaxAnswer = 64 << 20

// Options shape New.
type Options struct {
	// Lang is the language of the node's messages: "en" for English,
	// anything else (default) for Bahasa Indonesia.
	Lang string
	// HTTP sends the requests (default: a client with a one-minute
	// timeout). Share one between clients of many nodes to share its
	// connections.
	HTTP *http.Client
	// Token is an officer's API token (Login with token): sent as
	// Authorization: Bearer on every request.
	Token string
}

// Client speaks to the node whose API is at one base URL.
type Client struct {
	base       string
	lang       string
	hc         *http.Client
	keep       *[]byte
	consistent bool
	token      string
}

// New returns a client of the node at base (http://host:port, a trailing
// slash ignored). It refuses a base that is not an http or https URL with
// a host.
func New(base string, o Options) (*Client, error) {
	base = strings.TrimRight(strings.TrimSpace(base), "/")
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%w: %q is not a node's URL (http://host:port)", ErrInvalid, base)
	}
	if o.HTTP == nil {
		o.HTTP = &http.Client{Timeout: time.Minute}
	}
	return &Client{base: base, lang: o.Lang, hc: o.HTTP, token: o.Token}, nil
}

// Base is the node's URL, as New was given it without a trailing slash.
func (c *Client) Base() string { return c.base }

// Lang is the language the client asks the node's messages in.
func (c *Client) Lang() string { return c.lang }

// Keep returns a copy of c that stores the body of each answer it
// decodes into *raw, byte for byte as the node sent it, for a caller that
// prints the answer itself (lumbung --output json). The copy is not safe
// for concurrent use.
func (c *Client) Keep(raw *[]byte) *Client {
	k := *c
	k.keep = raw
	return &k
}

// Consistent returns a copy of c whose reads a cluster member answers
// only once it has applied everything the cluster committed before the
// read arrived (?consistent=true): a read that follows an acknowledged
// write, at any member, sees it.
func (c *Client) Consistent() *Client {
	k := *c
	k.consistent = true
	return &k
}

// Error is the node's refusal of a request: its HTTP status and, from
// the API's error shape, a stable code for programs, a sentence for
// people (in the client's language) and the fields at fault. When the
// answer was not in that shape, Message is empty and Body holds the start
// of what came.
type Error struct {
	Status  int
	Code    string
	Message string
	Fields  map[string]string
	Body    string
}

// Error is the message, then each field at fault on a line of its own.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Message != "" {
		b.WriteString(e.Message)
	} else {
		fmt.Fprintf(&b, "HTTP %d %s: %s", e.Status, http.StatusText(e.Status), e.Body)
	}
	names := make([]string, 0, len(e.Fields))
	for f := range e.Fields {
		names = append(names, f)
	}
	sort.Strings(names)
	for _, f := range names {
		b.WriteString("\n  " + f + ": " + e.Fields[f])
	}
	return b.String()
}

// Unwrap is the sentinel of the status, and ErrUnknownOutcome for a write
// whose outcome the cluster could not tell.
func (e *Error) Unwrap() []error {
	var s error
	switch e.Status {
	case http.StatusNotFound:
		s = ErrNotFound
	case http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType,
		http.StatusUnprocessableEntity:
		s = ErrInvalid
	case http.StatusConflict:
		s = ErrConflict
	case http.StatusUnauthorized:
		s = ErrLogin
	case http.StatusForbidden:
		s = ErrForbidden
	case http.StatusServiceUnavailable:
		s = ErrUnavailable
	default:
		s = ErrServer
	}
	if e.Code == "unknown_outcome" {
		return []error{s, ErrUnknownOutcome}
	}
	return []error{s}
}

// TransportError is a request that got no usable answer from the node at
// Base: Kind is ErrUnreachable, ErrTimeout, ErrTransport or ErrBadAnswer,
// and Err the cause.
type TransportError struct {
	Base string
	Kind error
	Err  error
}

func (e *TransportError) Error() string { return fmt.Sprintf("%v: %s: %v", e.Kind, e.Base, e.Err) }

// Unwrap is the kind and the cause.
func (e *TransportError) Unwrap() []error { return []error{e.Kind, e.Err} }

// Do sends a request with body (nil for none) marshalled as JSON, and
// decodes the answer into out unless out is nil. The typed methods are
// built on it; it serves the API paths they do not cover.
func (c *Client) Do(ctx context.Context, method, path string, body, out any) error {
	var raw []byte
	if body != nil {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			return fmt.Errorf("client: encode the request: %w", err)
		}
	}
	return c.DoJSON(ctx, method, path, raw, out)
}

// DoJSON is Do with a body already in JSON, sent as it is so that the
// node, not the client, judges it (nil for none).
func (c *Client) DoJSON(ctx context.Context, method, path string, body []byte, out any) error {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	if c.consistent && method == http.MethodGet {
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		path += sep + "consistent=true"
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return &TransportError{Base: c.base, Kind: ErrTransport, Err: err}
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return c.transportError(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, MaxAnswer))
	if err != nil {
		return c.transportError(err)
	}
	if resp.StatusCode >= 400 {
		return answerError(resp.StatusCode, raw)
	}
	if c.keep != nil {
		*c.keep = raw
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return &TransportError{Base: c.base, Kind: ErrBadAnswer, Err: err}
		}
	}
	return nil
}

func (c *Client) transportError(err error) error {
	var op *net.OpError
	var dns *net.DNSError
	var ne net.Error
	kind := ErrTransport
	switch {
	case (errors.As(err, &op) && op.Op == "dial") || errors.As(err, &dns):
		kind = ErrUnreachable
	case errors.As(err, &ne) && ne.Timeout():
		kind = ErrTimeout
	}
	return &TransportError{Base: c.base, Kind: kind, Err: err}
}

// answerError decodes a refusal from the API's error shape.
func answerError(status int, raw []byte) *Error {
	var body locale.ErrorBody
	e := &Error{Status: status}
	if json.Unmarshal(raw, &body) == nil && body.Error.Message != "" {
		e.Code, e.Message, e.Fields = body.Error.Code, body.Error.Message, body.Error.Fields
		return e
	}
	e.Body = strings.TrimSpace(string(raw))
	if len(e.Body) > 200 {
		e.Body = e.Body[:200] + "…"
	}
	return e
}
