package exchange

import (
	"bytes"
	"context"
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

// serve reads each body whole, so that a test sees every request's bytes,
// and then lets the fault or the Server answer it from those bytes (the
// Server still reads them frame by frame).
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

// closedURL returns the URL of a loopback port nothing listens on.
func closedURL(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return "http://" + l.Addr().String()
}

// testLogger sends a node's logs to t.Log.
func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
}

var errTest = errors.New("test: injected failure")
