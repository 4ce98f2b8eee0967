package exchange

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/lumbung/lumbung/replication/wire"
	"github.com/lumbung/lumbung/schema"
)

// A request replayed byte for byte applies nothing, and an old one
// replayed after newer ones does not lower the acknowledged position.
func TestReplayedRequestAppliesNothing(t *testing.T) {
	up := newUpstream(t)
	s, u := probed(t, up, 10)
	mustExchange(t, u)
	first := up.request(2).body
	var calls int
	up.r.locked(func() { calls = up.r.applyCalls })

	a := post(t, up.url(), tokenA, first)
	if a.status != 200 || a.ack.Applied != 0 || a.ack.Duplicates != 10 || a.ack.Acked != 10 {
		t.Fatalf("replay answered %d %+v; want nothing applied, 10 duplicates, acked 10", a.status, a.ack)
	}
	if st := up.served()[2]; st.ResentBytes == 0 || st.Duplicates != 10 {
		t.Fatalf("replay served as %+v; want its bytes counted as resent", st)
	}
	s.write(5)
	mustExchange(t, u)
	if a = post(t, up.url(), tokenA, first); a.ack.Acked != 15 || up.r.ackedOf(originA) != 15 {
		t.Fatalf("old request replayed: acked %d (receiver %d), want 15", a.ack.Acked, up.r.ackedOf(originA))
	}
	up.r.locked(func() { calls = up.r.applyCalls - calls })
	if calls != 1 {
		t.Fatalf("Apply called %d times for one new frame and two replays", calls)
	}
}

// A frame is skipped whole when it ends at or below the acked position, or
// when the sender starts past what the receiver holds; one that ends past
// it is applied, and the receiver skips the changes it holds.
func TestServerSkipsWhatItHolds(t *testing.T) {
	for _, tc := range []struct {
		name string
		held uint64 // changes 1..held held, recorded as acked or not
		ack  bool
		from uint64
		send []*wire.Batch
		// want: applied, duplicates, acked, Apply calls
		applied, dups int
		acked         uint64
		calls         int
	}{
		{"partly held", 3, false, 0, []*wire.Batch{batchOf(originA, 1, 5)}, 2, 3, 5, 1},
		{"twice in one request", 0, false, 0, []*wire.Batch{batchOf(originA, 1, 3), batchOf(originA, 1, 3)}, 3, 3, 3, 1},
		{"at the acked position", 3, true, 0, []*wire.Batch{batchOf(originA, 1, 3), batchOf(originA, 4, 5)}, 2, 3, 5, 1},
		{"sender past the receiver", 2, true, 5, []*wire.Batch{batchOf(originA, 6, 8)}, 0, 3, 2, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			up := newUpstream(t)
			up.r.write(desaA, batchOf(originA, 1, tc.held).Changes...)
			if tc.ack {
				up.r.locked(func() { up.r.acked[originA] = tc.held })
			}
			h := helloOf(t, newSender(originA))
			h.From = tc.from
			a := post(t, up.url(), tokenA, requestBody(t, h, tc.send...))
			if a.status != 200 || a.ack.Applied != tc.applied || a.ack.Duplicates != tc.dups || a.ack.Acked != tc.acked {
				t.Fatalf("answered %d %+v; want applied %d, duplicates %d, acked %d", a.status, a.ack, tc.applied, tc.dups, tc.acked)
			}
			var calls int
			up.r.locked(func() { calls = up.r.applyCalls })
			if calls != tc.calls {
				t.Fatalf("Apply called %d times, want %d", calls, tc.calls)
			}
		})
	}
}

// Every refusal has its status and code, and a refused frame is refused
// whole: only the whole frames before it are kept.
func TestServerRefusals(t *testing.T) {
	good := batchOf(originA, 1, 3)
	outside := batchOf(originA, 4, 5)
	outside.Changes[1].Scope = desaB
	hello := func(edit func(h *wire.Hello)) wire.Hello {
		h := helloOf(t, newSender(originA))
		if edit != nil {
			edit(&h)
		}
		return h
	}
	for _, tc := range []struct {
		name    string
		method  string
		token   string
		body    func(t *testing.T) []byte
		status  int
		code    string
		applied int
	}{
		{name: "get", method: http.MethodGet, status: 405, code: "method"},
		{name: "unknown token", token: "lmb_NOPE", status: 401, code: "bad_token",
			body: func(t *testing.T) []byte { return requestBody(t, hello(nil), good) }},
		{name: "empty body", status: 400, code: "truncated",
			body: func(t *testing.T) []byte { return nil }},
		{name: "no end", status: 400, code: "truncated", applied: 3,
			body: func(t *testing.T) []byte { return rawBody(t, hello(nil), good) }},
		{name: "a frame missing", status: 400, code: "truncated", applied: 3,
			body: func(t *testing.T) []byte { return rawBody(t, hello(nil), good, wire.End{Frames: 2}) }},
		{name: "changes before hello", status: 400, code: "bad_message",
			body: func(t *testing.T) []byte { return rawBody(t, good, hello(nil), wire.End{Frames: 1}) }},
		{name: "ack inside a request", status: 400, code: "bad_message", applied: 3,
			body: func(t *testing.T) []byte { return rawBody(t, hello(nil), good, wire.Ack{}, wire.End{Frames: 1}) }},
		{name: "other protocol", status: 409, code: "protocol_version", body: func(t *testing.T) []byte {
			return requestBody(t, hello(func(h *wire.Hello) { h.Version = wire.Version + 100 }), good)
		}},
		{name: "newer catalogue", status: 409, code: "catalogue_version", body: func(t *testing.T) []byte {
			return requestBody(t, hello(func(h *wire.Hello) { h.Catalogue = 2 }), good)
		}},
		{name: "bad origin", status: 400, code: "bad_message", body: func(t *testing.T) []byte {
			return requestBody(t, hello(func(h *wire.Hello) { h.Origin.Incarnation = "lower" }), good)
		}},
		{name: "origin outside the token", status: 403, code: "out_of_scope", body: func(t *testing.T) []byte {
			return requestBody(t, hello(func(h *wire.Hello) { h.Origin = originB }))
		}},
		{name: "change outside the token", status: 403, code: "out_of_scope", applied: 3,
			body: func(t *testing.T) []byte { return requestBody(t, hello(nil), good, outside) }},
		{name: "damaged frame", status: 400, code: "damaged_frame", applied: 3, body: func(t *testing.T) []byte {
			b := requestBody(t, hello(nil), good, batchOf(originA, 4, 5))
			ends := decodeRequest(b).ends
			b[ends[1]+wire.HeaderBytes+2] ^= 0xFF // inside the second frame's payload
			return b
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			up := newUpstream(t)
			a := send(t, up, tc.method, tc.token, tc.body)
			if a.status != tc.status || a.failure.Code != tc.code || a.failure.Message == "" || a.failure.MessageEN == "" {
				t.Fatalf("answered %d %+v; want %d %s in both languages", a.status, a.failure, tc.status, tc.code)
			}
			if distinct := up.r.distinct(); distinct != tc.applied {
				t.Fatalf("%d changes applied, want %d", distinct, tc.applied)
			}
			if st := up.served(); tc.method == "" && (len(st) != 1 || st[0].Failed != tc.code) {
				t.Fatalf("served %+v, want one exchange failed with %s", st, tc.code)
			}
		})
	}
}

// classify gives every error its status and code, and keeps the cause for
// errors.Is.
func TestClassify(t *testing.T) {
	own := fail(409, "protocol_version", ErrVersion, "id", "en")
	for _, tc := range []struct {
		err    error
		status int
		code   string
	}{
		{fmt.Errorf("%w: cut", wire.ErrTruncated), 400, "truncated"},
		{fmt.Errorf("%w: crc", wire.ErrDamaged), 400, "damaged_frame"},
		{fmt.Errorf("%w: 9", wire.ErrDictionary), 400, "unknown_dictionary"},
		{fmt.Errorf("%w: json", wire.ErrMessage), 400, "bad_message"},
		{fmt.Errorf("%w: body", schema.ErrDecode), 400, "bad_message"},
		{fmt.Errorf("%w: field", schema.ErrInvalid), 400, "bad_message"},
		{fmt.Errorf("%w: revoked", ErrToken), 401, "bad_token"},
		{fmt.Errorf("%w: desa B", ErrScope), 403, "out_of_scope"},
		{fmt.Errorf("%w: no leader", ErrUnavailable), 503, "unavailable"},
		{context.DeadlineExceeded, 503, "unavailable"},
		{errTest, 503, "unavailable"},
		{fmt.Errorf("wrapped: %w", own), 409, "protocol_version"},
	} {
		f := classify(tc.err)
		if f.Status != tc.status || f.Code != tc.code || f.Message == "" || f.MessageEN == "" {
			t.Errorf("classify(%v) = %d %s %q; want %d %s in both languages", tc.err, f.Status, f.Code, f.MessageEN, tc.status, tc.code)
		}
		if errors.Unwrap(tc.err) != nil && !errors.Is(f, errors.Unwrap(tc.err)) && f != own {
			t.Errorf("classify(%v) lost its cause", tc.err)
		}
	}
}
