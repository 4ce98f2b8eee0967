package exchange

import (
	"errors"
	"net/http"
	"slices"
	"testing"

	"github.com/lumbung/lumbung/replication/wire"
)

// The uplink's first exchange after a start is a probe: it may have been
// stopped after the upstream committed a request whose Ack it never read.
func TestFirstExchangeIsProbe(t *testing.T) {
	up := newUpstream(t)
	s := newSender(originA)
	s.write(5)
	u := newUplink(t, up.url(), s, nil)

	res := mustExchange(t, u)
	if req := up.request(1); len(req.frames) != 0 || res.Sent != 0 || !res.MoreUp {
		t.Fatalf("first exchange: %d frames, result %+v; want a probe saying more is to send", len(req.frames), res)
	}
	res = mustExchange(t, u)
	if res.Sent != 5 || res.Applied != 5 || res.Acked != 5 || res.MoreUp {
		t.Fatalf("second exchange: %+v; want all 5 sent, applied and acked", res)
	}
	if got := s.savedUps(); !slices.Equal(got, []uint64{5}) {
		t.Fatalf("SaveUp calls %v, want [5]", got)
	}
}

// probed returns desa A's uplink to up after its first probe, with n
// changes pending, so that its next exchange sends them.
func probed(t *testing.T, up *upstream, n int) (*fakeSender, *Uplink) {
	t.Helper()
	s := newSender(originA)
	s.write(n)
	u := newUplink(t, up.url(), s, smallFrames)
	mustExchange(t, u)
	return s, u
}

// An Ack lost after the upstream committed costs nothing but the probe:
// the cursor stays until the probe's Ack, and nothing is sent twice.
func TestAckLostResendsNothing(t *testing.T) {
	up := newUpstream(t)
	s, u := probed(t, up, 40)
	up.setFault(func(n int, _ *seen, w http.ResponseWriter, r *http.Request) bool {
		if n == 2 {
			up.loseResponse(w, r)
			return true
		}
		return false
	})
	if _, err := tryExchange(t, u, 0); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("exchange with its response lost: %v, want ErrUnavailable", err)
	}
	if len(up.request(2).frames) < 2 {
		t.Fatalf("the cut exchange carried %d frames; the test needs several", len(up.request(2).frames))
	}
	if got, _ := s.cursors(); got != 0 || len(s.savedUps()) != 0 {
		t.Fatalf("after a lost Ack the cursor is %d (saves %v); it must move only on an Ack", got, s.savedUps())
	}

	res := mustExchange(t, u)
	if req := up.request(3); len(req.frames) != 0 || req.hello.From != 0 {
		t.Fatalf("exchange after the cut: %d frames from %d, want a probe from 0", len(req.frames), req.hello.From)
	}
	if res.Acked != 40 || !slices.Equal(s.savedUps(), []uint64{40}) {
		t.Fatalf("probe: acked %d, saves %v; want the upstream's 40", res.Acked, s.savedUps())
	}
	if res = mustExchange(t, u); res.Sent != 0 {
		t.Fatalf("after the probe %d changes were sent again", res.Sent)
	}
	if distinct := up.r.distinct(); distinct != 40 || up.resent() != 0 {
		t.Fatalf("the upstream received %d changes and %d again; want 40, none again", distinct, up.resent())
	}
}

// A request cut inside a frame keeps the whole frames before the cut; the
// probe learns where they end, and only the rest is sent again.
func TestCutRequestResendsOnlyTheFrameInFlight(t *testing.T) {
	up := newUpstream(t)
	s, u := probed(t, up, 60)
	up.setFault(func(n int, req *seen, w http.ResponseWriter, r *http.Request) bool {
		if n != 2 {
			return false
		}
		if len(req.ends) < 5 { // hello, three frames, end
			t.Errorf("the request has %d frames; the test needs three", len(req.ends)-2)
			return false
		}
		up.cutRequest(w, r, (req.ends[2]+req.ends[3])/2) // inside the third frame's bytes
		return true
	})
	if _, err := tryExchange(t, u, 0); err == nil {
		t.Fatal("an exchange whose request was cut succeeded")
	}
	cut := up.request(2)
	kept := cut.frames[1].Last // the first two frames are whole
	if got := up.r.ackedOf(originA); got != kept {
		t.Fatalf("upstream acked %d after the cut, want %d (two whole frames)", got, kept)
	}
	if st := up.served()[1]; st.PartialBytes == 0 || st.Failed != "truncated" {
		t.Fatalf("cut exchange served as %+v; want partial bytes and code truncated", st)
	}

	mustExchange(t, u) // the probe
	if req := up.request(3); len(req.frames) != 0 {
		t.Fatalf("the exchange after a cut carried %d frames; it must probe first", len(req.frames))
	}
	res := mustExchange(t, u)
	if req := up.request(4); req.hello.From != kept || req.frames[0].Changes[0].Seq != kept+1 {
		t.Fatalf("resent from %d starting at seq %d; want from %d", req.hello.From, req.frames[0].Changes[0].Seq, kept)
	}
	if distinct := up.r.distinct(); distinct != 60 || up.resent() != 0 || res.Acked != 60 || s.up != 60 {
		t.Fatalf("upstream received %d, %d again, acked %d (cursor %d); want 60, none again, 60", distinct, up.resent(), res.Acked, s.up)
	}
	for _, st := range up.served() {
		if st.Duplicates != 0 || st.ResentBytes != 0 {
			t.Fatalf("served %+v: a cut cost more than the frame in flight", st)
		}
	}
}

// The acknowledged cursor moves only when a whole Ack says so: a response
// that is lost, cut, damaged, refused or malformed leaves it, and the next
// exchange probes.
func TestCursorMovesOnlyOnAck(t *testing.T) {
	for _, tc := range []struct {
		name   string
		answer func(up *upstream, w http.ResponseWriter, r *http.Request)
	}{
		{"lost", func(up *upstream, w http.ResponseWriter, r *http.Request) { up.loseResponse(w, r) }},
		{"cut inside the ack", func(up *upstream, w http.ResponseWriter, r *http.Request) { up.cutResponse(w, r, 8) }},
		{"damaged ack", func(up *upstream, w http.ResponseWriter, r *http.Request) {
			rec := up.serveRecorded(r, r.Body)
			raw := rawResponse(rec, rec.Body.Len())
			raw[len(raw)-rec.Body.Len()+wire.HeaderBytes] ^= 0xFF // the first payload byte of the ack
			cutConn(t, w, raw)
		}},
		{"no ack first", func(up *upstream, w http.ResponseWriter, r *http.Request) {
			up.serveRecorded(r, r.Body)
			wr, _ := wire.NewWriter(w, 0)
			defer wr.Close()
			_, _ = wr.WriteJSON(wire.KindEnd, wire.End{})
		}},
		{"refused after commit", func(up *upstream, w http.ResponseWriter, r *http.Request) {
			up.serveRecorded(r, r.Body)
			writeFailure(w, r, classify(ErrUnavailable))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			up := newUpstream(t)
			s, u := probed(t, up, 3)
			up.setFault(func(n int, _ *seen, w http.ResponseWriter, r *http.Request) bool {
				if n == 2 {
					tc.answer(up, w, r)
					return true
				}
				return false
			})
			if _, err := tryExchange(t, u, 0); err == nil {
				t.Fatal("the exchange succeeded")
			}
			if pos, _ := s.cursors(); pos != 0 || up.r.ackedOf(originA) != 3 {
				t.Fatalf("cursor %d, upstream acked %d; want 0 and 3", pos, up.r.ackedOf(originA))
			}
			res := mustExchange(t, u)
			if len(up.request(3).frames) != 0 || res.Acked != 3 || !slices.Equal(s.savedUps(), []uint64{3}) {
				t.Fatalf("next exchange: %d frames, acked %d, saves %v; want a probe that saves 3",
					len(up.request(3).frames), res.Acked, s.savedUps())
			}
		})
	}
}

// An Ack that repeats the cursor writes nothing: an idle exchange costs
// the node no commit.
func TestAckAtCursorSavesNothing(t *testing.T) {
	up := newUpstream(t)
	s, u := probed(t, up, 2)
	mustExchange(t, u)
	mustExchange(t, u)
	mustExchange(t, u)
	if got := s.savedUps(); !slices.Equal(got, []uint64{2}) {
		t.Fatalf("SaveUp calls %v, want [2]", got)
	}
}

// An upstream that holds less than it acknowledged once (restored from a
// backup) skips what the node sends past its position and says where it
// stands; the cursor moves back and the node sends again from there.
func TestUpstreamBehindMovesCursorBack(t *testing.T) {
	up := newUpstream(t)
	s, u := probed(t, up, 8)
	mustExchange(t, u)
	up.r.restore(originA, 3)
	s.write(2)

	res := mustExchange(t, u)
	if res.Sent != 2 || res.Applied != 0 || res.Acked != 3 || !res.MoreUp {
		t.Fatalf("exchange with the upstream behind: %+v; want 2 sent, none applied, acked back at 3, more to send", res)
	}
	res = mustExchange(t, u)
	if res.Sent != 7 || res.Acked != 10 || up.request(4).hello.From != 3 {
		t.Fatalf("after: %+v from %d; want 7 sent from 3", res, up.request(4).hello.From)
	}
	if distinct := up.r.distinct(); distinct != 10 {
		t.Fatalf("the upstream received %d changes, want 10", distinct)
	}
}

// A connection that never opened needs no probe, and the next exchange
// goes to the next member of an upstream cluster.
func TestDialFailureTriesNextMemberWithoutProbe(t *testing.T) {
	up := newUpstream(t)
	dead := closedURL(t)
	s := newSender(originA)
	s.write(4)
	u := newUplink(t, dead+","+up.url()+"/", s, nil)

	_, err := tryExchange(t, u, 0)
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("exchange with a dead member: %v, want ErrUnavailable", err)
	}
	if st := u.Status(); st.URL != up.url() || st.Failures != 1 || st.LastError == "" {
		t.Fatalf("status after a refused dial: %+v; want the next member and one failure", st)
	}
	res := mustExchange(t, u)
	if res.Sent != 4 || res.Acked != 4 {
		t.Fatalf("exchange after a refused dial: %+v; want all 4 sent without a probe", res)
	}
}
