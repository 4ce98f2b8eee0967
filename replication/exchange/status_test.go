package exchange

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// fixedNow is the uplink's clock in the status tests.
var fixedNow = time.Date(2026, 5, 4, 9, 30, 0, 0, time.UTC)

// Status says why the last exchange failed, in the officer's words: the
// upstream's own message for a refusal, plain words for a link that is
// down or a local failure. Errors wrapping ErrUnavailable say the request
// was fine and the upstream could not take it now; a refusal is a Failure
// with the upstream's code.
func TestStatusSaysWhyItFailed(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(up *upstream, s *fakeSender, c *UplinkConfig)
		// code is the Failure's code, "" when the error is no Failure.
		code        string
		status      int
		unavailable bool
		words       string // in LastError
	}{
		{name: "unknown token", code: "bad_token", status: 401, words: "token tidak dikenal",
			setup: func(_ *upstream, _ *fakeSender, c *UplinkConfig) { c.Token = "lmb_REVOKED" }},
		{name: "origin outside the token", code: "out_of_scope", status: 403, words: "di luar wilayah",
			setup: func(_ *upstream, s *fakeSender, _ *UplinkConfig) { s.origin = originB }},
		{name: "upstream cannot commit", code: "unavailable", status: 503, unavailable: true, words: "tidak dapat menyimpan",
			setup: func(up *upstream, _ *fakeSender, _ *UplinkConfig) {
				up.r.locked(func() { up.r.failure = ErrUnavailable })
			}},
		{name: "not an exchange answer", unavailable: true, words: "tidak dapat dihubungi",
			setup: func(up *upstream, _ *fakeSender, _ *UplinkConfig) {
				up.setFault(func(_ int, _ *seen, w http.ResponseWriter, _ *http.Request) bool {
					http.Error(w, "Bad Gateway", http.StatusBadGateway)
					return true
				})
			}},
		{name: "local store fails", words: "sinkronisasi gagal",
			setup: func(_ *upstream, s *fakeSender, _ *UplinkConfig) { s.saveErr = errTest }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			up := newUpstream(t)
			s := newSender(originA)
			s.write(2)
			s.up = 1 // so that any Ack moves the cursor
			u := newUplink(t, up.url(), s, func(c *UplinkConfig) {
				c.Now = func() time.Time { return fixedNow }
				tc.setup(up, s, c)
			})
			_, err := tryExchange(t, u, 0)
			var f *Failure
			if isF := errors.As(err, &f); isF != (tc.code != "") || isF && (f.Code != tc.code || f.Status != tc.status) {
				t.Fatalf("error %v; want a Failure %d %q", err, tc.status, tc.code)
			}
			if errors.Is(err, ErrUnavailable) != tc.unavailable {
				t.Fatalf("error %v wraps ErrUnavailable: %v, want %v", err, !tc.unavailable, tc.unavailable)
			}
			st := u.Status()
			if !strings.Contains(st.LastError, tc.words) || st.LastErrorEN == "" || st.Failures != 1 || st.Exchanges != 0 {
				t.Fatalf("status %+v; want one failure saying %q", st, tc.words)
			}
			if st.LastAttempt == nil || !st.LastAttempt.Equal(fixedNow) || st.LastSuccess != nil {
				t.Fatalf("status times %v %v; want an attempt at %s and no success", st.LastAttempt, st.LastSuccess, fixedNow)
			}
		})
	}
}

// A success clears the failure; the counts add up what the exchanges did,
// and changes count as sent only once acknowledged.
func TestStatusAfterExchanges(t *testing.T) {
	up := newUpstream(t)
	up.r.locked(func() { up.r.clock = fixedNow.Add(-3 * time.Minute).UnixMilli() })
	up.r.write("", newChange(originKec, 1, desaA))
	up.setFault(func(n int, _ *seen, w http.ResponseWriter, r *http.Request) bool {
		switch n {
		case 1:
			writeFailure(w, r, classify(ErrUnavailable))
		case 4:
			up.loseResponse(w, r)
		}
		return n == 1 || n == 4
	})
	s := newSender(originA)
	s.write(4)
	u := newUplink(t, up.url(), s, func(c *UplinkConfig) { c.Now = func() time.Time { return fixedNow } })

	if _, err := tryExchange(t, u, 0); err == nil {
		t.Fatal("the first exchange succeeded")
	}
	mustExchange(t, u) // the probe, which also brings the downlink
	mustExchange(t, u)
	st := u.Status()
	if st.Failures != 0 || st.LastError != "" || st.LastErrorEN != "" || st.LastErrorAt != nil || st.Exchanges != 2 || st.LastSuccess == nil {
		t.Fatalf("status after a success %+v; want the failure cleared", st)
	}
	if st.PastError == "" || st.PastErrorEN == "" || st.PastErrorAt == nil || st.PastErrorAt.After(*st.LastSuccess) {
		t.Fatalf("status after a success %+v; want the ended failure kept as past, before the success", st)
	}
	if st.Acked != 4 || st.Pending != 0 || st.ChangesSent != 4 || st.ChangesRecv != 1 {
		t.Fatalf("status %+v; want 4 acked, none pending, 4 sent, 1 received", st)
	}
	if st.SkewMs != 180_000 || s.skews[0] != 180_000 {
		t.Fatalf("skew %d ms (told the node %v); want 180000, the node 3 minutes ahead", st.SkewMs, s.skews)
	}
	if wire := int64(len(up.request(3).body)); st.BytesSent <= wire || st.BytesReceived <= 0 {
		t.Fatalf("bytes sent %d (body of the last request alone %d), received %d", st.BytesSent, wire, st.BytesReceived)
	}

	s.write(2)
	if _, err := tryExchange(t, u, 0); err == nil {
		t.Fatal("the exchange whose answer was lost succeeded")
	}
	if st = u.Status(); st.ChangesSent != 4 || st.Pending != 2 || st.Failures != 1 {
		t.Fatalf("status after a lost answer %+v; want still 4 sent, 2 pending, one failure", st)
	}
}
