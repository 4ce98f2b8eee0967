package exchange

import (
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/lumbung/lumbung/replication/wire"
)

// answers writes n changes for desa A at the upstream, as the kecamatan
// would (answers, reference data).
func answers(up *upstream, n int) {
	for i := range n {
		up.r.write("", newChange(originKec, uint64(i+1), desaA))
	}
}

// A response cut inside a downlink frame keeps the whole frames before
// it; the next exchange resumes after the last of them, and no change
// comes down twice.
func TestDownlinkCutResumes(t *testing.T) {
	up := newUpstream(t)
	answers(up, 80)
	var kept uint64
	up.setFault(func(n int, _ *seen, w http.ResponseWriter, r *http.Request) bool {
		if n != 1 {
			return false
		}
		rec := up.serveRecorded(r, r.Body)
		resp := decodeRequest(rec.Body.Bytes())
		if len(resp.frames) < 3 {
			t.Errorf("the response has %d downlink frames; the test needs three", len(resp.frames))
			return true
		}
		kept = resp.frames[1].Last
		cutConn(t, w, rawResponse(rec, int(resp.ends[2]+resp.ends[3])/2)) // inside the third
		return true
	})
	s := newSender(originA)
	u := newUplink(t, up.url(), s, smallFrames)
	if _, err := tryExchange(t, u, 0); !errors.Is(err, wire.ErrTruncated) || !errors.Is(err, ErrUnavailable) {
		t.Fatalf("exchange cut in the downlink: %v; want truncated, unavailable", err)
	}
	if _, down := s.cursors(); down != kept {
		t.Fatalf("downlink cursor %d after the cut, want %d (two whole frames)", down, kept)
	}
	res := mustExchange(t, u)
	if got := up.request(2).hello.Down; got != kept {
		t.Fatalf("the next exchange resumes after %d, want %d", got, kept)
	}
	if _, down := s.cursors(); down != 80 || res.MoreDown {
		t.Fatalf("downlink cursor %d, more %v; want all 80", down, res.MoreDown)
	}
	for id, n := range s.downs {
		if n != 1 {
			t.Fatalf("change %v came down %d times", id, n)
		}
	}
}

// A response holds what its budget allows and says there is more.
func TestDownlinkBudget(t *testing.T) {
	up := newUpstream(t)
	answers(up, 80)
	s := newSender(originA)
	u := newUplink(t, up.url(), s, func(c *UplinkConfig) {
		c.Rate, c.FrameTime, c.ExchangeTime = 1000, time.Second, 2*time.Second
	})
	first := mustExchange(t, u)
	if h := up.request(1).hello; h.Budget != 2000 || h.Frame != 1024 {
		t.Fatalf("hello asks for a budget of %d in frames of %d; want 2000 in the smallest frame, 1024", h.Budget, h.Frame)
	}
	if !first.MoreDown || first.Received == 0 || first.Received >= 80 {
		t.Fatalf("first exchange %+v; want part of the 80 and more to come", first)
	}
	second := mustExchange(t, u)
	if _, down := s.cursors(); second.MoreDown || first.Received+second.Received != 80 || down != 80 {
		t.Fatalf("second exchange %+v, cursor %d; want the rest of the 80", second, down)
	}
}

// After the Ack, the cursor it carries is saved even when the rest of the
// response is wrong; the error says what was wrong.
func TestResponseRefusedAfterAck(t *testing.T) {
	for _, tc := range []struct {
		name  string
		parts []any
		want  error
	}{
		{"a frame missing", []any{wire.Ack{Acked: 2}, wire.End{Frames: 1}}, wire.ErrTruncated},
		{"a hello in a response", []any{wire.Ack{Acked: 2}, wire.Hello{}}, wire.ErrMessage},
		{"no end", []any{wire.Ack{Acked: 2}}, ErrUnavailable}, // as if cut between frames
		{"no ack", []any{wire.End{}}, wire.ErrMessage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			up := newUpstream(t)
			up.setFault(func(_ int, _ *seen, w http.ResponseWriter, _ *http.Request) bool {
				_, _ = w.Write(rawBody(t, tc.parts...))
				return true
			})
			s := newSender(originA)
			s.write(2)
			u := newUplink(t, up.url(), s, nil)
			if _, err := tryExchange(t, u, 0); !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
			wantSaved := []uint64{2}
			if _, ok := tc.parts[0].(wire.Ack); !ok {
				wantSaved = nil
			}
			if got := s.savedUps(); !slices.Equal(got, wantSaved) {
				t.Fatalf("saved %v, want %v", got, wantSaved)
			}
		})
	}
}

// The End's cursor moves past what the link does not receive, so the
// upstream does not scan it again.
func TestDownlinkCursorPassesOthersData(t *testing.T) {
	up := newUpstream(t)
	for seq := range uint64(5) {
		up.r.write(desaB, newChange(originB, seq+1, desaB))
	}
	s := newSender(originA)
	u := newUplink(t, up.url(), s, nil)
	if res := mustExchange(t, u); res.Received != 0 {
		t.Fatalf("received %d of another desa's changes", res.Received)
	}
	mustExchange(t, u)
	if down := up.request(2).hello.Down; down != 5 {
		t.Fatalf("the next exchange reads the downlink after %d, want 5", down)
	}
}
