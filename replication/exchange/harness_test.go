package exchange

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/lumbung/lumbung/replication/wire"
	"github.com/lumbung/lumbung/schema"
)

// seen is one request as the upstream received it, decoded from its
// bytes (the package's own wire format).
type seen struct {
	hello  wire.Hello
	frames []*wire.Batch
	// ends holds the body offset at which each frame ends, hello first.
	ends []int64
	body []byte
	// at is when the upstream received it.
	at time.Time
}

// sent counts the changes the request carried.
func (s *seen) sent() int {
	n := 0
	for _, b := range s.frames {
		n += len(b.Changes)
	}
	return n
}

// fault lets a test decide how the upstream answers request n (from 1):
// it returns false to let the real Server answer.
type fault func(n int, req *seen, w http.ResponseWriter, r *http.Request) bool

// upstream is a real Server for a fakeReceiver on a loopback HTTP server,
// which records every request and can break the link around it.
type upstream struct {
	t     *testing.T
	r     *fakeReceiver
	srv   *Server
	http  *httptest.Server
	close chan struct{}

	mu    sync.Mutex
	reqs  []*seen
	stats []ExchangeStats
	fault fault
}

func newUpstream(t *testing.T) *upstream {
	u := &upstream{t: t, r: newReceiver(), close: make(chan struct{})}
	u.srv = &Server{R: u.r, Log: testLogger(t), Closing: u.close, Stats: func(_ Link, st ExchangeStats) {
		u.mu.Lock()
		defer u.mu.Unlock()
		u.stats = append(u.stats, st)
	}}
	u.http = httptest.NewServer(http.HandlerFunc(u.serve))
	t.Cleanup(u.http.Close)
	return u
}

func (u *upstream) url() string { return u.http.URL }

func (u *upstream) setFault(f fault) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.fault = f
}

func (u *upstream) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	req := decodeRequest(body)
	req.at = time.Now()
	u.mu.Lock()
	u.reqs = append(u.reqs, req)
	n, f := len(u.reqs), u.fault
	u.mu.Unlock()
	r.Body = io.NopCloser(bytes.NewReader(body))
	if f == nil || !f(n, req, w, r) {
		u.srv.ServeHTTP(w, r)
	}
}

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

// requests returns the requests received so far.
func (u *upstream) requests() []*seen {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]*seen(nil), u.reqs...)
}

// request returns request n (from 1), waiting for it.
func (u *upstream) request(n int) *seen {
	u.t.Helper()
	waitFor(u.t, fmt.Sprintf("request %d", n), func() bool { return len(u.requests()) >= n })
	return u.requests()[n-1]
}

// served returns the stats of the exchanges served so far.
func (u *upstream) served() []ExchangeStats {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]ExchangeStats(nil), u.stats...)
}

// resent counts the changes the upstream received again (skipped whole
// or by the receiver).
func (u *upstream) resent() int {
	n := 0
	for _, st := range u.served() {
		n += st.Duplicates
	}
	return n
}

// serveRecorded lets the real Server answer r into a recorder, reading
// body instead of r's.
func (u *upstream) serveRecorded(r *http.Request, body io.Reader) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	r.Body = io.NopCloser(body)
	u.srv.ServeHTTP(rec, r)
	return rec
}

// cutConn takes the connection over from net/http, writes raw to it and
// closes it: the link died there.
func cutConn(t *testing.T, w http.ResponseWriter, raw []byte) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	_, _ = buf.Write(raw)
	_ = buf.Flush()
	_ = conn.Close()
}

// rawResponse is the response of rec as net/http would send it, up to
// keep bytes of its body.
func rawResponse(rec *httptest.ResponseRecorder, keep int) []byte {
	body := rec.Body.Bytes()
	head := fmt.Sprintf("HTTP/1.1 %d %s\r\nConnection: close\r\nContent-Length: %d\r\n\r\n", rec.Code, http.StatusText(rec.Code), len(body))
	return append([]byte(head), body[:min(keep, len(body))]...)
}

// loseResponse commits the request and loses the whole response.
func (u *upstream) loseResponse(w http.ResponseWriter, r *http.Request) {
	u.serveRecorded(r, r.Body)
	cutConn(u.t, w, nil)
}

// cutResponse commits the request and cuts the response after keep
// bytes of its body.
func (u *upstream) cutResponse(w http.ResponseWriter, r *http.Request, keep int) {
	cutConn(u.t, w, rawResponse(u.serveRecorded(r, r.Body), keep))
}

// cutRequest lets the Server read only the first keep bytes of the body,
// as if the link died there, and answers nothing.
func (u *upstream) cutRequest(w http.ResponseWriter, r *http.Request, keep int64) {
	u.serveRecorded(r, io.MultiReader(io.LimitReader(r.Body, keep), errReader{io.ErrUnexpectedEOF}))
	cutConn(u.t, w, nil)
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// newUplink returns desa A's uplink to up, with the defaults but for what
// edit changes.
func newUplink(t *testing.T, url string, s Sender, edit func(*UplinkConfig)) *Uplink {
	t.Helper()
	cfg := DefaultUplinkConfig(url, tokenA)
	cfg.Logger = testLogger(t)
	if edit != nil {
		edit(&cfg)
	}
	u, err := NewUplink(cfg, s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// smallFrames makes frames of about 1 KiB on the wire, so a few dozen
// changes fill several of them.
func smallFrames(c *UplinkConfig) {
	c.Rate, c.FrameTime, c.ExchangeTime = 1000, time.Second, 30*time.Second
}

// run starts u.Run; the test's cleanup stops it and waits for it.
func run(t *testing.T, u *Uplink) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); u.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("Run did not return after its context ended")
		}
	})
}

// tryExchange runs one exchange with a deadline that no test should reach.
func tryExchange(t *testing.T, u *Uplink, wait time.Duration) (*Result, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return u.Exchange(ctx, wait)
}

// mustExchange runs one exchange that must succeed.
func mustExchange(t *testing.T, u *Uplink) *Result {
	t.Helper()
	res, err := tryExchange(t, u, 0)
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	return res
}

// waitFor polls cond until it holds or ten seconds pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		<-tick.C
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
		var e struct{ Error *Failure }
		e.Error = &a.failure
		a.err = json.NewDecoder(resp.Body).Decode(&e)
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

// closedURL returns the URL of a loopback port nothing listens on.
func closedURL(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return "http://" + l.Addr().String()
}

// testLogger logs to t while the test runs.
func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tWriter struct{ t *testing.T }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(string(bytes.TrimRight(p, "\n")))
	return len(p), nil
}

var errTest = errors.New("test: injected failure")
