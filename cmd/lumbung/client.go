package main

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
	"os"
	"sort"
	"strings"
	"time"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/node"
	"github.com/urfave/cli/v2"
)

// defaultNode is where a desa node listens unless init was told otherwise.
const defaultNode = "http://127.0.0.1:8080"

// nodeFlag and outputFlag are shared by the client commands.
func nodeFlag() cli.Flag {
	return &cli.StringFlag{Name: "node", Value: defaultNode, Usage: "flag.node"}
}

func outputFlag() cli.Flag {
	return &cli.StringFlag{Name: "output", Aliases: []string{"o"}, Value: "text", Usage: "flag.output"}
}

// client speaks to one node's HTTP API, asking for messages in lang.
type client struct {
	base string
	lang locale.Lang
	hc   *http.Client
}

func newClient(c *cli.Context) (*client, error) {
	lang := langOf(c)
	base := strings.TrimRight(strings.TrimSpace(c.String("node")), "/")
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New(tr(lang, "err.node_url", base))
	}
	switch o := c.String("output"); o {
	case "", "text", "json":
	default:
		return nil, errors.New(tr(lang, "err.output", o))
	}
	return &client{base: base, lang: lang, hc: &http.Client{Timeout: time.Minute}}, nil
}

// remoteError is a 4xx or 5xx answer: the node's message and the fields
// it names, one per line.
type remoteError struct {
	Status  int
	Code    string
	Message string
	Fields  map[string]string
}

func (e *remoteError) Error() string {
	var b strings.Builder
	b.WriteString(e.Message)
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

// do sends a request with an optional JSON body and returns the raw answer,
// decoded into out when out is not nil.
func (cl *client) do(ctx context.Context, method, path string, body []byte, out any) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, cl.base+path, rd)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", tr(cl.lang, "err.transport", cl.base), err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Accept-Language", string(cl.lang))
	resp, err := cl.hc.Do(req)
	if err != nil {
		return nil, cl.transportError(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, cl.transportError(err)
	}
	if resp.StatusCode >= 400 {
		return nil, cl.answerError(resp.StatusCode, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return nil, fmt.Errorf("%s: %w", tr(cl.lang, "err.bad_answer", cl.base), err)
		}
	}
	return raw, nil
}

func (cl *client) transportError(err error) error {
	var op *net.OpError
	var dns *net.DNSError
	if (errors.As(err, &op) && op.Op == "dial") || errors.As(err, &dns) {
		return &plainError{tr(cl.lang, "err.unreachable", cl.base), err}
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return &plainError{tr(cl.lang, "err.timeout", cl.base), err}
	}
	return fmt.Errorf("%s: %w", tr(cl.lang, "err.transport", cl.base), err)
}

func (cl *client) answerError(status int, raw []byte) error {
	var body locale.ErrorBody
	e := &remoteError{Status: status}
	if json.Unmarshal(raw, &body) == nil && body.Error.Message != "" {
		e.Code, e.Message, e.Fields = body.Error.Code, body.Error.Message, body.Error.Fields
		return e
	}
	text := strings.TrimSpace(string(raw))
	if len(text) > 200 {
		text = text[:200] + "…"
	}
	e.Message = tr(cl.lang, "err.http_status", status, http.StatusText(status), text)
	return e
}

// nodeRegion asks the node which region it serves: the default region of
// what an officer enters at a desa node.
func (cl *client) nodeRegion(ctx context.Context) (string, error) {
	var info node.Info
	if _, err := cl.do(ctx, http.MethodGet, "/api/v1/node", nil, &info); err != nil {
		return "", err
	}
	return info.Region, nil
}

// printJSON writes a raw JSON answer indented, for --output json.
func printJSON(w io.Writer, raw []byte) error {
	var b bytes.Buffer
	if err := json.Indent(&b, bytes.TrimSpace(raw), "", "  "); err != nil {
		_, err = w.Write(raw)
		return err
	}
	b.WriteByte('\n')
	_, err := w.Write(b.Bytes())
	return err
}

// readInput reads a file, or standard input when name is "-".
func readInput(c *cli.Context, name string) ([]byte, error) {
	if name == "-" {
		b, err := io.ReadAll(c.App.Reader)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", tr(langOf(c), "err.read", "stdin"), err)
		}
		return b, nil
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", tr(langOf(c), "err.read", name), err)
	}
	return b, nil
}
