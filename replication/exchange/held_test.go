package exchange

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/lumbung/lumbung/schema"
)

// outcome is what an exchange run in the background returned.
type outcome struct {
	res *Result
	err error
	// took is how long it took.
	took time.Duration
}

// goExchange runs one exchange with wait in the background.
func goExchange(t *testing.T, u *Uplink, wait time.Duration) <-chan outcome {
	out := make(chan outcome, 1)
	go func() {
		start := time.Now()
		res, err := tryExchange(t, u, wait)
		out <- outcome{res, err, time.Since(start)}
	}()
	return out
}

// await returns the outcome, failing the test after ten seconds.
func await(t *testing.T, out <-chan outcome) outcome {
	t.Helper()
	select {
	case o := <-out:
		return o
	case <-time.After(10 * time.Second):
		t.Fatal("the exchange was not answered")
		return outcome{}
	}
}

// A held request is answered when something for the link arrives, and
// not for what the link must not receive.
func TestHeldRequestReleasedByNewData(t *testing.T) {
	up := newUpstream(t)
	s := newSender(originA)
	u := newUplink(t, up.url(), s, nil)
	out := goExchange(t, u, 10*time.Minute)
	waitFor(t, "the upstream to read the downlink", func() bool { return up.r.downlinks() >= 1 })
	if h := up.request(1).hello; h.Wait != 600 {
		t.Fatalf("an idle exchange asked to be held %d s, want 600", h.Wait)
	}

	for i, c := range []*schema.Change{
		newChange(originB, 1, desaB), // another desa's data
		newChange(originA, 1, desaA), // came up this very link
	} {
		up.r.write(c.Origin.Region, c)
		waitFor(t, "the upstream to look again", func() bool { return up.r.downlinks() >= i+2 })
	}
	select {
	case o := <-out:
		t.Fatalf("answered %+v with nothing for the link", o.res)
	default:
	}

	answer := newChange(originKec, 1, desaA)
	up.r.write("", answer)
	o := await(t, out)
	if o.err != nil || o.res.Received != 1 || !s.holds(answer) {
		t.Fatalf("held exchange: %+v %v; want the answer received", o.res, o.err)
	}
	if _, down := s.cursors(); down != 3 {
		t.Fatalf("downlink cursor %d, want 3 (the upstream's log)", down)
	}
}

// A held request with nothing for it is answered empty when its wait runs
// out, and at once when the server closes.
func TestHeldRequestAnsweredAtDeadlineAndClose(t *testing.T) {
	up := newUpstream(t)
	s := newSender(originA)
	u := newUplink(t, up.url(), s, nil)

	o := await(t, goExchange(t, u, time.Second))
	if o.err != nil || o.res.Received != 0 || o.took < time.Second {
		t.Fatalf("exchange held 1 s: %+v %v after %s; want an empty answer after the wait", o.res, o.err, o.took)
	}

	out := goExchange(t, u, 10*time.Minute)
	waitFor(t, "the upstream to hold the request", func() bool { return up.r.downlinks() >= 2 })
	close(up.close)
	if o = await(t, out); o.err != nil || o.res.Received != 0 {
		t.Fatalf("held exchange at close: %+v %v; want an empty answer", o.res, o.err)
	}
	if st := u.Status(); st.Exchanges != 2 || st.Failures != 0 {
		t.Fatalf("status %+v; want two exchanges, no failure", st)
	}
}

// A request that brought changes is answered at once, whatever it asked:
// the sender waits for its Ack.
func TestRequestWithChangesIsNotHeld(t *testing.T) {
	up := newUpstream(t)
	h := helloOf(t, newSender(originA))
	h.Wait = 600
	a := post(t, up.url(), tokenA, requestBody(t, h, batchOf(originA, 1, 2)))
	if a.status != 200 || a.ack.Applied != 2 {
		t.Fatalf("answered %d %+v; want both changes applied", a.status, a.ack)
	}
}

// An exchange whose answer never comes is abandoned after its wait, its
// air time and the stall limit, and the next one probes; a held one is
// not cut while the upstream holds it.
func TestStalledExchangeAbandoned(t *testing.T) {
	up := newUpstream(t)
	up.setFault(func(n int, _ *seen, _ http.ResponseWriter, r *http.Request) bool {
		if n == 1 {
			<-r.Context().Done() // a black hole
			return true
		}
		return false
	})
	s := newSender(originA)
	u := newUplink(t, up.url(), s, func(c *UplinkConfig) {
		c.FrameTime, c.ExchangeTime, c.Stall = 10*time.Millisecond, 10*time.Millisecond, time.Second
	})
	o := await(t, goExchange(t, u, 0))
	if !errors.Is(o.err, context.DeadlineExceeded) || !errors.Is(o.err, ErrUnavailable) || o.took > 5*time.Second {
		t.Fatalf("exchange into a black hole: %v after %s; want deadline exceeded, unavailable, within its 1.02 s", o.err, o.took)
	}
	if o = await(t, goExchange(t, u, 2*time.Second)); o.err != nil || o.took < 2*time.Second {
		t.Fatalf("exchange held 2 s with a stall limit of 1 s: %v after %s", o.err, o.took)
	}
	if st := u.Status(); st.Failures != 0 || st.LastError != "" || st.Exchanges != 1 {
		t.Fatalf("status %+v; want the failure cleared by the success", st)
	}
}

// A local write cuts the uplink's held exchange short, and the next
// exchange sends it at once without a probe (nothing was in flight); a
// log that grows with nothing to send up does not.
func TestLocalWriteCutsHeldExchange(t *testing.T) {
	up := newUpstream(t)
	s := newSender(originA)
	client := &ctxRecorder{rt: &http.Transport{DisableCompression: true}}
	u := newUplink(t, up.url(), s, func(c *UplinkConfig) {
		c.Wait, c.Client = 10*time.Minute, &http.Client{Transport: client}
		c.MinBackoff, c.MaxBackoff = time.Hour, time.Hour // a cut on purpose is no failure to back off from
	})
	run(t, u)
	waitFor(t, "the second exchange to be held", func() bool { return up.r.downlinks() >= 2 })
	if h := up.request(2).hello; h.Wait != 600 {
		t.Fatalf("the idle exchange asked to be held %d s, want 600", h.Wait)
	}
	held := client.ctx(2)

	// Twice, so that the second is seen only if the first did not end
	// the watcher.
	for i := range 2 {
		before := s.pendingCount()
		s.fromUpstream(newChange(originKec, uint64(i+1), desaA))
		waitFor(t, "the uplink to look at its log", func() bool { return s.pendingCount() > before })
	}
	if held.Err() != nil {
		t.Fatal("a change with nothing to send up cut the held exchange")
	}

	s.write(1)
	req := up.request(3)
	if held.Err() == nil || req.sent() != 1 || req.hello.Wait != 0 {
		t.Fatalf("after a local write: held exchange %v, next carries %d changes waiting %d s; want it cut, 1, 0",
			held.Err(), req.sent(), req.hello.Wait)
	}
	if st := u.Status(); st.Failures != 0 {
		t.Fatalf("a held exchange cut on purpose counted as a failure: %+v", st)
	}
}

// A Kick cuts a held exchange short too.
func TestKickCutsHeldExchange(t *testing.T) {
	up := newUpstream(t)
	s := newSender(originA)
	u := newUplink(t, up.url(), s, func(c *UplinkConfig) {
		c.Wait, c.MinBackoff, c.MaxBackoff = 10*time.Minute, time.Hour, time.Hour
	})
	run(t, u)
	waitFor(t, "the second exchange to be held", func() bool { return up.r.downlinks() >= 2 })
	u.Kick()
	if req := up.request(3); req.hello.Wait != 0 {
		t.Fatalf("the exchange after a kick asks to be held %d s; want it answered at once", req.hello.Wait)
	}
	if req := up.request(4); req.hello.Wait != 600 {
		t.Fatalf("the next exchange asks to be held %d s; want 600 (nothing to send)", req.hello.Wait)
	}
}

// ctxRecorder is a transport that keeps each request's context.
type ctxRecorder struct {
	rt   http.RoundTripper
	mu   sync.Mutex
	ctxs []context.Context
}

func (c *ctxRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.ctxs = append(c.ctxs, r.Context())
	c.mu.Unlock()
	return c.rt.RoundTrip(r)
}

// ctx returns the context of request n (from 1).
func (c *ctxRecorder) ctx(n int) context.Context {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ctxs[n-1]
}

// A local write cuts only a held exchange short: one that was sending
// changes when the write came may have had them committed upstream, so
// the next exchange probes rather than sending them all again.
func TestLocalWriteDuringUploadResendsNothingCommitted(t *testing.T) {
	up := newUpstream(t)
	arrived, committed := make(chan struct{}), make(chan struct{})
	up.setFault(func(n int, _ *seen, w http.ResponseWriter, r *http.Request) bool {
		switch n {
		case 2:
			close(arrived)
			<-r.Context().Done()        // the uplink gave up on the exchange
			up.serveRecorded(r, r.Body) // but the upstream had it all
			close(committed)
			return true
		case 3:
			<-committed // the commit ends before the next request is read
		}
		return false
	})
	s := newSender(originA)
	s.cursorsHook = func(n int) {
		switch n {
		case 2: // the second exchange starts: the officer saves complaints
			s.write(60)
		case 3: // the uplink looks at its log once the upload has arrived
			<-arrived
		}
	}
	u := newUplink(t, up.url(), s, func(c *UplinkConfig) {
		smallFrames(c)
		c.Wait = 10 * time.Minute
	})
	run(t, u)
	waitFor(t, "the changes to be acknowledged", func() bool { up, _ := s.cursors(); return up == 60 })
	if len(up.request(2).frames) < 2 {
		t.Fatalf("the upload carried %d frames; the test needs several", len(up.request(2).frames))
	}
	if distinct := up.r.distinct(); distinct != 60 || up.resent() != 0 {
		t.Fatalf("the upstream received %d changes and %d again; a cut cost more than the frame in flight", distinct, up.resent())
	}
}

// The server holds no more idle requests than MaxHeld: one more is
// answered at once, not held, and counted; a link past MaxHeldPerLink is
// refused in words.
func TestHeldRequestsBounded(t *testing.T) {
	up := newUpstream(t)
	up.srv.MaxHeld, up.srv.MaxHeldPerLink = 2, 10
	u := newUplink(t, up.url(), newSender(originA), nil)
	held := []<-chan outcome{goExchange(t, u, 10*time.Minute), goExchange(t, u, 10*time.Minute)}
	waitFor(t, "two requests held", func() bool { n, _, _ := up.srv.Held(); return n == 2 })
	o := await(t, goExchange(t, u, 10*time.Minute))
	if o.err != nil {
		t.Fatalf("a request past the bound: %v, want an answer", o.err)
	}
	if now, limit, declined := up.srv.Held(); now != 2 || limit != 2 || declined != 1 {
		t.Fatalf("held %d of %d, declined %d; want 2 of 2, 1", now, limit, declined)
	}

	close(up.close)
	for _, h := range held {
		await(t, h)
	}
	if now, _, _ := up.srv.Held(); now != 0 {
		t.Fatalf("%d requests still held after the answers", now)
	}

	one := newUpstream(t)
	one.srv.MaxHeld, one.srv.MaxHeldPerLink = 10, 1
	u = newUplink(t, one.url(), newSender(originA), nil)
	first := goExchange(t, u, 10*time.Minute)
	waitFor(t, "one request held", func() bool { n, _, _ := one.srv.Held(); return n == 1 })
	o = await(t, goExchange(t, u, 10*time.Minute))
	var f *Failure
	if !errors.As(o.err, &f) || f.Code != "too_many_held" || f.Message == "" {
		t.Fatalf("a link past its own bound: %v, want too_many_held in words", o.err)
	}
	close(one.close)
	await(t, first)
}
