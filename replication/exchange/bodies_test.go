package exchange

// Bodies in the package's own wire format: requests built and sent by
// hand, and answers read as a raw client reads them.

import (
	"bufio"
	"bytes"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/lumbung/lumbung/replication/wire"
	"github.com/lumbung/lumbung/schema"
)

// decodeRequest reads what it can of a request body.
func decodeRequest(body []byte) *seen {
	req := &seen{body: body}
	rd := wire.NewReader(bytes.NewReader(body))
	defer rd.Close()
	for {
		f, err := rd.Next()
		if err != nil {
			return req
		}
		req.ends = append(req.ends, rd.Bytes)
		switch f.Kind {
		case wire.KindHello:
			_ = f.JSON(&req.hello)
		case wire.KindChanges:
			if b, err := wire.DecodeBatch(f.Payload); err == nil {
				req.frames = append(req.frames, b)
			}
		}
	}
}

// answer is a response as a raw client reads it.
type answer struct {
	status  int
	ack     wire.Ack
	batches []*wire.Batch
	end     wire.End
	failure Failure
	err     error
}

// testClient bounds what a test waits for a raw request.
var testClient = &http.Client{Timeout: 10 * time.Second}

// post sends a request body as it is, with token.
func post(t *testing.T, url, token string, body []byte) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url+Path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := testClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	return readAnswer(resp)
}

func readAnswer(resp *http.Response) answer {
	a := answer{status: resp.StatusCode}
	if resp.StatusCode != http.StatusOK {
		var f *Failure // read as the uplink reads it
		if err := readFailure(resp.StatusCode, resp.Body); !errors.As(err, &f) {
			a.err = err
		} else {
			a.failure = *f
		}
		return a
	}
	rd := wire.NewReader(bufio.NewReader(resp.Body))
	defer rd.Close()
	for {
		f, err := rd.Next()
		if err != nil {
			a.err = err
			return a
		}
		switch f.Kind {
		case wire.KindAck:
			a.err = f.JSON(&a.ack)
		case wire.KindChanges:
			b, err := wire.DecodeBatch(f.Payload)
			a.batches, a.err = append(a.batches, b), err
		case wire.KindEnd:
			a.err = f.JSON(&a.end)
			return a
		}
		if a.err != nil {
			return a
		}
	}
}

// requestBody builds a request: hello, one frame per batch, and an End
// counting them.
func requestBody(t *testing.T, h wire.Hello, batches ...*wire.Batch) []byte {
	t.Helper()
	parts := []any{h}
	for _, b := range batches {
		parts = append(parts, b)
	}
	return rawBody(t, append(parts, wire.End{Frames: len(batches)})...)
}

// writeBody returns the body fill writes, compressed as this build does.
func writeBody(t *testing.T, fill func(w *wire.Writer)) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := wire.NewWriter(&buf, wire.Choose(wire.Dictionaries()))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	fill(w)
	return buf.Bytes()
}

// helloOf returns the Hello desa A's uplink sends now: the package's own,
// so that a field added to it reaches these tests too.
func helloOf(t *testing.T, s *fakeSender) wire.Hello {
	t.Helper()
	u := newUplink(t, "http://unused", s, nil)
	up, down := s.cursors()
	body, _, err := u.request(up, down, 0, &Result{})
	if err != nil {
		t.Fatal(err)
	}
	return decodeRequest(body).hello
}

// batchOf returns the batch of changes seqs from..to of origin o.
func batchOf(o schema.Origin, from, to uint64) *wire.Batch {
	b := &wire.Batch{Last: to}
	for seq := from; seq <= to; seq++ {
		b.Changes = append(b.Changes, newChange(o, seq, o.Region))
	}
	return b
}

// send posts what body builds (nil: no body) with method and token
// (defaults: POST, desa A's token).
func send(t *testing.T, up *upstream, method, token string, body func(t *testing.T) []byte) answer {
	t.Helper()
	if token == "" {
		token = tokenA
	}
	if method != "" && method != http.MethodPost {
		req, _ := http.NewRequest(method, up.url()+Path, nil)
		resp, err := testClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		return readAnswer(resp)
	}
	return post(t, up.url(), token, body(t))
}

// rawBody writes the messages and batches of parts in order, nothing
// added.
func rawBody(t *testing.T, parts ...any) []byte {
	t.Helper()
	return writeBody(t, func(w *wire.Writer) {
		for _, p := range parts {
			var err error
			switch p := p.(type) {
			case wire.Hello:
				_, err = w.WriteJSON(wire.KindHello, p)
			case *wire.Batch:
				_, err = w.WriteBatch(p)
			case wire.Ack:
				_, err = w.WriteJSON(wire.KindAck, p)
			case wire.End:
				_, err = w.WriteJSON(wire.KindEnd, p)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	})
}
