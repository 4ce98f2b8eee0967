package exchange

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"

	"github.com/lumbung/lumbung/replication/trust"
)

// Status is what an uplink shows in `lumbung sync status`.
type Status struct {
	URL string `json:"url"`
	// Pending counts the changes not yet acknowledged upstream.
	Pending int `json:"pending"`
	// Acked is the acknowledged position of this node's log.
	Acked uint64 `json:"acked"`
	// LastSuccess and LastAttempt are the times of the last exchanges.
	LastSuccess *time.Time `json:"last_success,omitempty"`
	LastAttempt *time.Time `json:"last_attempt,omitempty"`
	// LastError is the last failure in plain words, in Indonesian and
	// English; empty after a success.
	LastError   string `json:"last_error,omitempty"`
	LastErrorEN string `json:"last_error_en,omitempty"`
	// LastErrorAt is when the last failure happened.
	LastErrorAt *time.Time `json:"last_error_at,omitempty"`
	// LastErrorCode names the last failure for a program (lumbung doctor):
	// the upstream's refusal code ("bad_token", "token_expired", …),
	// "certificate", "unreachable" or "failed".
	LastErrorCode string `json:"last_error_code,omitempty"`
	// PastError is the failure a later success ended, in both languages,
	// and PastErrorAt when it happened: kept so that whoever looks later
	// sees what went wrong, as past, not as now.
	PastError   string     `json:"past_error,omitempty"`
	PastErrorEN string     `json:"past_error_en,omitempty"`
	PastErrorAt *time.Time `json:"past_error_at,omitempty"`
	// Failures counts the failed exchanges since the last success.
	Failures int `json:"failures"`
	// Exchanges counts the exchanges that succeeded.
	Exchanges     int   `json:"exchanges"`
	BytesSent     int64 `json:"bytes_sent"`
	BytesReceived int64 `json:"bytes_received"`
	ChangesSent   int   `json:"changes_sent"`
	ChangesRecv   int   `json:"changes_received"`
	// SkewMs is how far this node's clock is ahead of the upstream's
	// (negative: behind), measured at the last exchange.
	SkewMs int64 `json:"clock_skew_ms"`
	// RateBps is the measured link rate in bytes per second.
	RateBps float64 `json:"rate_bytes_per_second"`
}

// Status returns the uplink's status now.
func (u *Uplink) Status() Status {
	u.mu.Lock()
	st := u.st
	st.RateBps = u.rate
	st.URL = u.urls[u.next%len(u.urls)]
	u.mu.Unlock()
	up, _, err := u.s.Cursors()
	if err == nil {
		st.Acked = up
		st.Pending, _ = u.s.Pending(up)
	}
	return st
}

func (u *Uplink) setSkew(ms int64) {
	u.mu.Lock()
	u.st.SkewMs = ms
	u.mu.Unlock()
}

// record notes the outcome of an exchange.
func (u *Uplink) record(start time.Time, res *Result, err error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.st.LastAttempt = &start
	if res != nil {
		u.st.BytesSent += res.BytesOut
		u.st.BytesReceived += res.BytesIn
		u.st.ChangesRecv += res.Received
		if err == nil {
			u.st.ChangesSent += res.Sent
		}
	}
	// After a failure the next exchange first asks what the upstream
	// holds, unless nothing can have reached it: a held exchange cut
	// short on purpose (one cut while it sent changes may have had them
	// committed), a connection that never opened, or a request never
	// begun (a TLS handshake that failed, a link that hung up at once).
	var op *net.OpError
	cutIdle := errors.Is(err, context.Canceled) && (res == nil || res.Sent == 0)
	neverBegun := res != nil && !res.begun.Load()
	u.probe = err != nil && !cutIdle && !neverBegun && !(errors.As(err, &op) && op.Op == "dial")
	if err == nil {
		now := u.cfg.Now()
		u.st.LastSuccess = &now
		if u.st.LastError != "" {
			u.st.PastError, u.st.PastErrorEN, u.st.PastErrorAt = u.st.LastError, u.st.LastErrorEN, u.st.LastErrorAt
		}
		u.st.LastError, u.st.LastErrorEN, u.st.LastErrorAt, u.st.Failures = "", "", nil, 0
		u.st.LastErrorCode = ""
		u.st.Exchanges++
		return
	}
	if errors.Is(err, context.Canceled) {
		return // cut short on purpose (a local write during a held exchange)
	}
	u.st.Failures++
	u.st.LastErrorAt = &start
	u.next++ // try the next member of an upstream cluster
	var f *Failure
	switch {
	case errors.As(err, &f):
		u.st.LastError, u.st.LastErrorEN, u.st.LastErrorCode = f.Message, f.MessageEN, f.Code
	case errors.Is(err, trust.ErrUpstreamCert):
		t := msgUpstreamCert.Text(err)
		u.st.LastError, u.st.LastErrorEN, u.st.LastErrorCode = t.ID, t.EN, "certificate"
	case errors.Is(err, ErrUnavailable):
		t := msgUnreachable.Text(err)
		u.st.LastError, u.st.LastErrorEN, u.st.LastErrorCode = t.ID, t.EN, "unreachable"
	default:
		t := msgSyncFailed.Text(err)
		u.st.LastError, u.st.LastErrorEN, u.st.LastErrorCode = t.ID, t.EN, "failed"
	}
}

// Run exchanges until ctx ends: at once while either side has more,
// held by the upstream while idle, after a failure again after a backoff
// that doubles up to MaxBackoff, and after a refusal only a person can
// lift after RefusedBackoff. A Kick or a local write cuts a wait short.
func (u *Uplink) Run(ctx context.Context) {
	backoff := u.cfg.MinBackoff
	wait := time.Duration(0) // the first exchange after start does not wait
	for ctx.Err() == nil {
		res, err := u.runOne(ctx, wait)
		switch {
		case ctx.Err() != nil:
			return
		case refused(err):
			pause := max(u.cfg.RefusedBackoff, u.cfg.MaxBackoff)
			u.cfg.Logger.Warn("sync exchange refused", "upstream", u.cfg.URL, "err", err, "retry_in", pause)
			u.pause(ctx, jitter(pause))
			wait = 0
		case err != nil:
			u.cfg.Logger.Warn("sync exchange failed", "upstream", u.cfg.URL, "err", err, "retry_in", backoff)
			u.pause(ctx, jitter(backoff))
			backoff = min(backoff*2, u.cfg.MaxBackoff)
			wait = 0
		default:
			backoff = u.cfg.MinBackoff
			wait = u.cfg.Wait
			if res.MoreUp || res.MoreDown || res.Sent > 0 || res.Received > 0 {
				wait = 0
			}
		}
	}
}

// refused says whether the upstream refused for a reason only a person
// can lift (see UplinkConfig.RefusedBackoff).
func refused(err error) bool {
	return errors.Is(err, ErrToken) || errors.Is(err, ErrVersion) || errors.Is(err, ErrScope) || errors.Is(err, ErrBound) ||
		errors.Is(err, ErrGap)
}

// runOne runs an exchange; a held one is cut short when a local change
// or a Kick arrives, and then counts as a success with nothing done.
func (u *Uplink) runOne(ctx context.Context, wait time.Duration) (*Result, error) {
	if wait <= 0 {
		return u.Exchange(ctx, 0)
	}
	ectx, cancel := context.WithCancel(ctx)
	defer cancel()
	// The watcher is gone before runOne returns: the node closes its
	// store once Run has returned, and a watcher reading it then would
	// read a closed store.
	done := make(chan struct{})
	var watcher sync.WaitGroup
	defer watcher.Wait()
	defer close(done)
	changed := u.s.Changed()
	watcher.Add(1)
	go func() {
		defer watcher.Done()
		for {
			select {
			case <-done:
				return
			case <-u.kick:
				cancel()
				return
			case <-changed:
				changed = u.s.Changed()
				up, _, err := u.s.Cursors()
				if n, _ := u.s.Pending(up); err == nil && n > 0 {
					cancel()
					return
				}
			}
		}
	}()
	res, err := u.Exchange(ectx, wait)
	if err != nil && ectx.Err() != nil && ctx.Err() == nil {
		return &Result{MoreUp: true}, nil // cut short on purpose
	}
	return res, err
}

// pause sleeps d, or less when kicked.
func (u *Uplink) pause(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	case <-u.kick:
	}
}
