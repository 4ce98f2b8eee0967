package exchange

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/lumbung/lumbung/replication/wire"
)

// An idle uplink does not poll: after an exchange with nothing either
// way, the next asks the upstream to hold it; after one that moved
// something, the next goes at once.
func TestRunHoldsWhenIdle(t *testing.T) {
	up := newUpstream(t)
	s := newSender(originA)
	u := newUplink(t, up.url(), s, func(c *UplinkConfig) { c.Wait = 10 * time.Minute })
	run(t, u)
	if w := up.request(1).hello.Wait; w != 0 {
		t.Fatalf("the first exchange after start asks to be held %d s, want 0", w)
	}
	if w := up.request(2).hello.Wait; w != 600 {
		t.Fatalf("the exchange after an idle one asks to be held %d s, want 600", w)
	}
	waitFor(t, "the upstream to hold it", func() bool { return up.r.downlinks() >= 2 })
	up.r.write("", newChange(originKec, 1, desaA))
	if w := up.request(3).hello.Wait; w != 0 {
		t.Fatalf("the exchange after one that received asks to be held %d s, want 0", w)
	}
	if w := up.request(4).hello.Wait; w != 600 {
		t.Fatalf("the exchange after an idle one asks to be held %d s, want 600", w)
	}
}

// After a failure the uplink waits a backoff that doubles from MinBackoff
// up to MaxBackoff, with jitter, and starts again from MinBackoff after a
// success. A refusal only a person can lift (here a token not accepted)
// waits RefusedBackoff and leaves the doubling where it was. Every failure
// is retried: the uplink never gives up on its own.
func TestRunBacksOff(t *testing.T) {
	up := newUpstream(t)
	failing := []int{1, 2, 3, 4, 6, 7}
	up.setFault(func(n int, _ *seen, w http.ResponseWriter, r *http.Request) bool {
		if !slices.Contains(failing, n) {
			return false
		}
		if n == 3 {
			writeFailure(w, r, classify(ErrToken)) // refused: retried after RefusedBackoff
		} else {
			writeFailure(w, r, classify(ErrUnavailable))
		}
		return true
	})
	retries := &retryLog{}
	u := newUplink(t, up.url(), newSender(originA), func(c *UplinkConfig) {
		c.Wait, c.MinBackoff, c.MaxBackoff, c.Logger = 10*time.Minute, 20*time.Millisecond, 80*time.Millisecond, slog.New(retries)
		c.RefusedBackoff = 160 * time.Millisecond
	})
	run(t, u)
	up.request(9)

	ms := time.Millisecond
	want := []time.Duration{20 * ms, 40 * ms, 160 * ms, 80 * ms, 20 * ms, 40 * ms}
	if got := retries.all(); !slices.Equal(got, want) {
		t.Fatalf("backoffs %v, want %v", got, want)
	}
	reqs := up.requests()
	for i, n := range failing {
		if gap := reqs[n].at.Sub(reqs[n-1].at); gap < want[i]/2 {
			t.Errorf("request %d came %s after failed request %d; want at least %s", n+1, gap, n, want[i]/2)
		}
	}
	if w := reqs[8].hello.Wait; w != 600 {
		t.Fatalf("the exchange after an idle success asks to be held %d s, want 600", w)
	}
}

// A Kick cuts a backoff short.
func TestKickCutsBackoff(t *testing.T) {
	up := newUpstream(t)
	up.setFault(func(n int, _ *seen, w http.ResponseWriter, r *http.Request) bool {
		if n == 1 {
			writeFailure(w, r, classify(ErrUnavailable))
		}
		return n == 1
	})
	retries := &retryLog{}
	u := newUplink(t, up.url(), newSender(originA), func(c *UplinkConfig) {
		c.MinBackoff, c.MaxBackoff, c.Logger = time.Hour, time.Hour, slog.New(retries)
	})
	run(t, u)
	waitFor(t, "the uplink to back off", func() bool { return len(retries.all()) == 1 })
	u.Kick()
	up.request(2)
}

// jitter spreads a pause over its upper half.
func TestJitter(t *testing.T) {
	for _, d := range []time.Duration{time.Millisecond, 2 * time.Second, 5 * time.Minute} {
		seen := map[time.Duration]bool{}
		for range 200 {
			j := jitter(d)
			if j < d/2 || j > d {
				t.Fatalf("jitter(%s) = %s, outside [%s, %s]", d, j, d/2, d)
			}
			seen[j] = true
		}
		if len(seen) < 10 {
			t.Fatalf("jitter(%s) took %d values in 200 draws", d, len(seen))
		}
	}
}

// Validate names what is wrong.
func TestValidateUplinkConfig(t *testing.T) {
	for _, tc := range []struct {
		edit func(c *UplinkConfig)
		ok   bool
	}{
		{func(c *UplinkConfig) {}, true},
		{func(c *UplinkConfig) { c.URL = "" }, false},
		{func(c *UplinkConfig) { c.Token = "" }, false},
		{func(c *UplinkConfig) { c.MinBackoff = 0 }, false},
		{func(c *UplinkConfig) { c.MaxBackoff = c.MinBackoff / 2 }, false},
		{func(c *UplinkConfig) { c.Stall = 0 }, false},
		{func(c *UplinkConfig) { c.Rate = 0 }, false},
		{func(c *UplinkConfig) { c.FrameTime = 0 }, false},
		{func(c *UplinkConfig) { c.ExchangeTime = c.FrameTime / 2 }, false},
	} {
		c := DefaultUplinkConfig("http://kecamatan:8080", tokenA)
		tc.edit(&c)
		err := c.Validate()
		if (err == nil) != tc.ok {
			t.Errorf("Validate(%+v) = %v, want ok %v", c, err, tc.ok)
		}
		if _, nerr := NewUplink(c, newSender(originA)); (nerr == nil) != tc.ok {
			t.Errorf("NewUplink(%+v) = %v, want ok %v", c, nerr, tc.ok)
		}
	}
}

// retryLog is a log handler that keeps the backoff of every failed
// exchange the uplink logs.
type retryLog struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *retryLog) Enabled(context.Context, slog.Level) bool { return true }
func (l *retryLog) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *retryLog) WithGroup(string) slog.Handler            { return l }

func (l *retryLog) Handle(_ context.Context, r slog.Record) error {
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "retry_in" {
			l.mu.Lock()
			l.d = append(l.d, a.Value.Duration())
			l.mu.Unlock()
		}
		return true
	})
	return nil
}

func (l *retryLog) all() []time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.d)
}

// A refusal read back by the uplink carries its cause, so the uplink
// tells a refusal only a person can lift from a passing failure.
func TestReadFailureKeepsCause(t *testing.T) {
	for _, tc := range []struct {
		f       *Failure
		cause   error
		refused bool
	}{
		{classify(ErrToken), ErrToken, true},
		{classify(fmt.Errorf("%w: 32.15.01.2001", ErrScope)), ErrScope, true},
		{versionFailure(wire.Range{Min: 9, Max: 9}, wire.Supported), ErrVersion, true},
		{classify(ErrUnavailable), ErrUnavailable, false},
		{classify(wire.ErrTruncated), nil, false},
	} {
		rec := httptest.NewRecorder()
		writeFailure(rec, httptest.NewRequest("POST", Path, nil), tc.f)
		err := readFailure(rec.Code, rec.Body)
		if tc.cause != nil && !errors.Is(err, tc.cause) {
			t.Errorf("%s read back as %v, not %v", tc.f.Code, err, tc.cause)
		}
		if refused(err) != tc.refused {
			t.Errorf("%s: refused %v, want %v", tc.f.Code, refused(err), tc.refused)
		}
	}
}
