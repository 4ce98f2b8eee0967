package exchange

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/replication/wire"
	"github.com/lumbung/lumbung/schema"
)

// Path is where an upstream serves the exchange.
const Path = "/api/v1/sync/exchange"

// Bounds a server keeps, whatever a sender asks for.
const (
	// MaxRequestBytes bounds one request body.
	MaxRequestBytes = 16 << 20
	// MaxBudget bounds the downlink bytes of one response.
	MaxBudget = 4 << 20
	// MaxWait bounds how long a server holds an idle request.
	MaxWait  = 30 * time.Minute
	minFrame = 1 << 10
)

// Server answers exchanges for a Receiver.
type Server struct {
	R   Receiver
	Log *slog.Logger
	// Closing, when closed, makes held exchanges answer at once (the
	// server is shutting down).
	Closing <-chan struct{}
	// Stats, when set, is told what every exchange did.
	Stats func(link Link, st ExchangeStats)
	// Protocol is the range of sync protocol versions the server answers;
	// zero means wire.Supported. Tests set it to play another version.
	Protocol wire.Range
	// MaxHeld and MaxHeldPerLink bound the idle requests held open, in
	// all and per token (held.go); zero means the defaults.
	MaxHeld, MaxHeldPerLink int

	holds holds
}

func (s *Server) protocol() wire.Range {
	if s.Protocol == (wire.Range{}) {
		return wire.Supported
	}
	return s.Protocol
}

// ExchangeStats is what one served exchange did.
type ExchangeStats struct {
	// In and Out count the bytes read and written, HTTP headers included.
	In, Out int64
	// Applied and Duplicates count the changes received new and held.
	Applied, Duplicates int
	// ResentBytes counts the wire bytes of change frames that carried
	// only changes already held, and PartialBytes those of a frame the
	// body was cut inside: what a cut cost.
	ResentBytes, PartialBytes int64
	// Failed is the refusal's code, empty for a success; FailedMessage
	// and FailedMessageEN say it in plain words.
	Failed, FailedMessage, FailedMessageEN string
}

// Failure is an exchange refused: what the handler answers and what an
// uplink reports as its last error.
type Failure struct {
	Status int    `json:"-"`
	Code   string `json:"code"`
	// Message is in Indonesian, MessageEN in English.
	Message   string `json:"message"`
	MessageEN string `json:"message_en"`
	// Protocol, on a protocol_version refusal, is the range of versions
	// the server speaks, so that the sender can speak one of them.
	Protocol *wire.Range `json:"protocol,omitempty"`
	err      error
	// here, when set, is how the server's own status words the refusal
	// (Indonesian, English), where Message speaks to the sender.
	here [2]string
}

func (f *Failure) Error() string { return f.Code + ": " + f.MessageEN }

// Unwrap returns the cause, for errors.Is.
func (f *Failure) Unwrap() error { return f.err }

func fail(status int, code string, err error, id, en string) *Failure {
	return &Failure{Status: status, Code: code, Message: id, MessageEN: en, err: err}
}

// refusal is fail with words from the catalogue.
func refusal(status int, code string, err error, t locale.Text) *Failure {
	return fail(status, code, err, t.ID, t.EN)
}

// classify turns an error from the wire or the receiver into a Failure.
func classify(err error) *Failure {
	var f *Failure
	switch {
	case errors.As(err, &f):
		return f
	case errors.Is(err, wire.ErrTruncated):
		return refusal(400, "truncated", err, msgTruncated.Text())
	case errors.Is(err, wire.ErrDamaged):
		return refusal(400, "damaged_frame", err, msgDamaged.Text(err))
	case errors.Is(err, wire.ErrDictionary):
		return refusal(400, "unknown_dictionary", err, msgDictionary.Text(err))
	case errors.Is(err, wire.ErrMessage), errors.Is(err, schema.ErrDecode), errors.Is(err, schema.ErrInvalid):
		return refusal(400, "bad_message", err, msgBadMessage.Text(err))
	case errors.Is(err, ErrExpired):
		return refusal(401, "token_expired", err, msgExpired.Text())
	case errors.Is(err, ErrToken):
		return refusal(401, "bad_token", err, msgBadToken.Text())
	case errors.Is(err, ErrScope):
		return refusal(403, "out_of_scope", err, msgOutOfScope.Text(err))
	case errors.Is(err, ErrBound):
		return refusal(403, "token_bound", err, msgBound.Text(err))
	case errors.Is(err, ErrGap):
		return refusal(409, "sequence_gap", err, msgGap.Text(err))
	case errors.Is(err, ErrUnavailable), errors.Is(err, context.DeadlineExceeded):
		return refusal(503, "unavailable", err, msgUnavailable.Text(err))
	}
	return refusal(503, "unavailable", err, msgUnavailable.Text(err))
}

func (s *Server) logger() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.New(slog.DiscardHandler)
}

// ServeHTTP answers one exchange.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeFailure(w, r, refusal(405, "method", nil, msgMethod.Text()))
		return
	}
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(10 * time.Minute)) // a slow link takes its time
	body := http.MaxBytesReader(w, r.Body, MaxRequestBytes)
	x := &exchange{s: s, r: r}
	resp, err := x.run(r.Context(), body)
	if s.Stats != nil {
		defer func() { s.Stats(x.link, x.stats()) }()
	}
	if err != nil {
		f := classify(err)
		x.failed = f
		s.logger().Warn("sync exchange refused", "link", x.link.Region, "origin", x.hello.Origin.String(),
			"code", f.Code, "err", err, "applied", x.ack.Applied)
		x.out = int64(writeFailure(w, r, f))
		return
	}
	if x.next != "" {
		w.Header().Set(HeaderNextToken, x.next)
	}
	if err := x.respond(r.Context(), w, resp); err != nil {
		s.logger().Info("sync response not delivered", "link", x.link.Region, "err", err)
	}
}

// writeFailure answers with f in the one error shape of every HTTP
// surface (locale.WriteError), in the language r asks for, with the
// message in both languages too (messages: the uplink keeps both for its
// sync status) and, on a protocol_version refusal, the server's range
// (protocol: {"min", "max"}, which the uplink negotiates with); it returns
// the bytes of body written.
func writeFailure(w http.ResponseWriter, r *http.Request, f *Failure) int {
	p := &locale.Problem{Status: f.Status, Code: f.Code, Msg: locale.Text{ID: f.Message, EN: f.MessageEN}, Both: true}
	if f.Protocol != nil {
		p.Extra = map[string]any{"protocol": f.Protocol}
	}
	return locale.WriteError(w, r, p)
}

// exchange is one request being served.
type exchange struct {
	s     *Server
	r     *http.Request
	link  Link
	hello wire.Hello
	ack   wire.Ack
	in    *wire.Reader
	out   int64
	// resent counts the wire bytes of frames that held nothing new.
	resent int64
	// next is the token's successor, when it is due for rotation.
	next   string
	failed *Failure
}

func (x *exchange) stats() ExchangeStats {
	st := ExchangeStats{Out: x.out, Applied: x.ack.Applied, Duplicates: x.ack.Duplicates,
		ResentBytes: x.resent, In: x.headerBytes()}
	if x.failed != nil {
		st.Failed, st.FailedMessage, st.FailedMessageEN = x.failed.Code, x.failed.Message, x.failed.MessageEN
		if x.failed.here[0] != "" {
			st.FailedMessage, st.FailedMessageEN = x.failed.here[0], x.failed.here[1]
		}
	}
	if x.in != nil {
		st.In += x.in.Bytes + x.in.Partial
		st.PartialBytes = x.in.Partial
	}
	return st
}

func (x *exchange) headerBytes() int64 {
	n := len(x.r.Method) + len(x.r.RequestURI) + 12
	for k, v := range x.r.Header {
		n += len(k) + 4 + len(strings.Join(v, ","))
	}
	return int64(n + len(x.r.Host) + 8)
}

// run reads the request and applies its frames; it returns what to send
// back.
func (x *exchange) run(ctx context.Context, body io.Reader) (*downlink, error) {
	link, err := x.s.R.Authorize(ctx, strings.TrimPrefix(x.r.Header.Get("Authorization"), "Bearer "))
	if err != nil {
		return nil, err
	}
	x.link = link
	x.in = wire.NewReader(body)
	defer x.in.Close()
	if err := x.readHello(); err != nil {
		return nil, err
	}
	if err := x.s.R.Bind(ctx, x.link, x.hello.Origin); err != nil {
		return nil, err
	}
	if rot, ok := x.s.R.(Rotator); ok && x.link.Rotate {
		next, err := rot.Rotate(ctx, x.link)
		if err != nil {
			x.s.logger().Warn("sync token not rotated; offered again at the next exchange", "link", x.link.Region,
				"token", x.link.TokenID, "err", err)
		}
		x.next = next
	}
	acked, err := x.s.R.Acked(ctx, x.hello.Origin)
	if err != nil {
		return nil, err
	}
	x.ack.Acked = acked
	if err := x.readFrames(ctx); err != nil {
		return nil, err
	}
	x.ack.Clock = x.s.R.Now()
	if p := x.s.protocol(); x.hello.Version >= 3 && p.Max > x.hello.Version {
		x.ack.Min, x.ack.Max = p.Min, p.Max // the sender may move up
	}
	return x.downlink(ctx)
}

func (x *exchange) readHello() error {
	f, err := x.in.Next()
	if err == io.EOF {
		return fmt.Errorf("%w: the body is empty", wire.ErrTruncated)
	}
	if err != nil {
		return err
	}
	if f.Kind != wire.KindHello {
		return fmt.Errorf("%w: the body must open with a hello, not %s", wire.ErrMessage, f.Kind)
	}
	if err := f.JSON(&x.hello); err != nil {
		return err
	}
	h := &x.hello
	switch {
	case !x.s.protocol().Has(h.Version):
		return versionFailure(h.Range(), x.s.protocol())
	case h.Catalogue > x.s.R.Catalogue():
		return refusal(409, "catalogue_version", ErrCatalogue, msgCatalogue.Text(h.Catalogue, x.s.R.Catalogue()))
	case !h.Origin.Region.Valid() || !schema.ValidIncarnation(h.Origin.Incarnation):
		return fmt.Errorf("%w: hello origin %q", wire.ErrMessage, h.Origin.String())
	case !x.link.Region.Contains(h.Origin.Region):
		return fmt.Errorf("%w: node %s is not inside the token's region %s", ErrScope, h.Origin.Region, x.link.Region)
	}
	return nil
}

// readFrames applies the request's change frames as they arrive, each
// committed before the next is read, until the End.
func (x *exchange) readFrames(ctx context.Context) error {
	frames, gap := 0, x.hello.From > x.ack.Acked
	for {
		f, err := x.in.Next()
		if err == io.EOF {
			return fmt.Errorf("%w: it has no end frame", wire.ErrTruncated)
		}
		if err != nil {
			return err
		}
		switch f.Kind {
		case wire.KindEnd:
			var end wire.End
			if err := f.JSON(&end); err != nil {
				return err
			}
			if end.Frames != frames {
				return fmt.Errorf("%w: %d change frames announced, %d received", wire.ErrTruncated, end.Frames, frames)
			}
			return nil
		case wire.KindChanges:
			frames++
			before := x.ack.Applied
			if err := x.apply(ctx, f.Payload, gap); err != nil {
				return err
			}
			if x.ack.Applied == before {
				x.resent += int64(f.WireBytes)
			}
		default:
			return fmt.Errorf("%w: a %s frame inside a request", wire.ErrMessage, f.Kind)
		}
	}
}

// apply commits one frame. A frame at or below the acked position is
// counted and skipped; so is every frame when the sender starts past what
// this node holds (gap): its Ack then tells it where to resume.
func (x *exchange) apply(ctx context.Context, payload []byte, gap bool) error {
	b, err := wire.DecodeBatch(payload)
	if err != nil {
		return err
	}
	for _, c := range b.Changes {
		if !InScope(c, x.link.Region) {
			return fmt.Errorf("%w: change %s/%d (scope %s) is outside %s", ErrScope, c.Origin.String(), c.Seq, c.Scope, x.link.Region)
		}
	}
	if gap || b.Last <= x.ack.Acked {
		x.ack.Duplicates += len(b.Changes)
		return nil
	}
	if len(b.Changes) == 0 {
		// A sender's batch ends at its last change: one with none cannot
		// move the position (the review's ack poisoning did).
		return fmt.Errorf("%w: a batch with no change claims position %d, past %d", ErrGap, b.Last, x.ack.Acked)
	}
	// A commit once started is seen through even if the sender hangs up
	// (its wait ran out on a slow upstream): abandoned, its outcome would
	// be unknown here, so the changes would be stored and acknowledged by
	// the next probe but never counted as applied. Apply bounds itself.
	n, err := x.s.R.Apply(context.WithoutCancel(ctx), x.link, x.hello.Origin, b)
	if err != nil {
		return err
	}
	x.ack.Applied += n
	x.ack.Duplicates += len(b.Changes) - n
	x.ack.Acked = b.Last
	return nil
}

// downlink is the response being built.
type downlink struct {
	batches []*wire.Batch
	end     wire.End
}

// downlink reads what to send down, holding an idle request until
// something arrives or its wait runs out.
func (x *exchange) downlink(ctx context.Context) (*downlink, error) {
	budget := min(max(x.hello.Budget, minFrame), MaxBudget)
	frame := min(max(x.hello.Frame, minFrame), budget)
	wait := min(time.Duration(x.hello.Wait)*time.Second, MaxWait)
	deadline := time.Now().Add(wait)
	held := false
	for {
		changed := x.s.R.Changed()
		d, err := x.read(ctx, budget, frame)
		if err != nil || len(d.batches) > 0 || x.ack.Applied > 0 || wait <= 0 {
			return d, err
		}
		left := time.Until(deadline)
		if left <= 0 {
			return d, nil
		}
		if !held {
			ok, full := x.s.holds.take(x.link.TokenID, x.s.maxHeld(), x.s.maxHeldPerLink())
			if full {
				return nil, refusal(http.StatusTooManyRequests, "too_many_held", nil, msgTooManyHeld.Text(x.s.maxHeldPerLink()))
			}
			if !ok {
				return d, nil // the server holds all it may: answer now
			}
			held = true
			defer x.s.holds.give(x.link.TokenID)
		}
		t := time.NewTimer(left)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
			return d, nil
		case <-x.s.Closing:
			t.Stop()
			return d, nil
		case <-changed:
			t.Stop()
		}
	}
}

// read collects downlink batches of about frame bytes each on the wire,
// read as wire.ExpectedRatio times that in raw bytes.
func (x *exchange) read(ctx context.Context, budget, frame int) (*downlink, error) {
	d := &downlink{end: wire.End{Down: x.hello.Down}}
	for budget > 0 {
		b, more, err := x.s.R.Downlink(ctx, x.link, d.end.Down, min(frame, budget)*wire.ExpectedRatio)
		if err != nil {
			return nil, err
		}
		d.end.Down, d.end.More = b.Last, more
		if len(b.Changes) > 0 {
			d.batches = append(d.batches, b)
			budget -= frame
		}
		if !more {
			break
		}
	}
	d.end.Frames = len(d.batches)
	return d, nil
}

// respond writes the Ack, the downlink frames and the End.
func (x *exchange) respond(ctx context.Context, w http.ResponseWriter, d *downlink) error {
	x.ack.Clock = x.s.R.Now()
	w.Header()["Date"] = nil
	w.Header()["Content-Type"] = nil
	dict := wire.Choose(x.hello.Dicts)
	out, err := wire.NewWriter(w, dict)
	if err != nil {
		return err
	}
	defer func() { x.out = out.Bytes; out.Close() }()
	if _, err := out.WriteJSON(wire.KindAck, x.ack); err != nil {
		return err
	}
	for _, b := range d.batches {
		if _, err := out.WriteBatch(b); err != nil {
			return err
		}
	}
	_, err = out.WriteJSON(wire.KindEnd, d.end)
	return err
}
