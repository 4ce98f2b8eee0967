package exchange

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/replication/trust"
	"github.com/lumbung/lumbung/replication/wire"
)

// UplinkConfig is how a node reaches its upstream.
type UplinkConfig struct {
	// URL is the upstream's base URL (http://host:port). A cluster's
	// members may be listed separated by commas: after a failed exchange
	// the uplink tries the next one.
	URL string
	// Token is the enrolment token the upstream issued for this region.
	Token string
	// Client makes the requests; nil uses a client without a timeout
	// (each exchange bounds itself), dialling HTTPS with TLS.
	Client *http.Client
	// TLS is how an https:// upstream is verified (trust.UpstreamConfig:
	// by the pin of its enrolment token); nil means the system's roots.
	TLS *tls.Config
	// OnToken keeps a successor token the upstream gave
	// (HeaderNextToken), as `lumbung enroll` prints tokens; once it
	// returns nil the uplink uses the successor. Nil ignores successors.
	OnToken func(printed string) error
	// Wait is how long an idle exchange asks the upstream to hold it
	// (Hello.Wait). Longer waits cost fewer bytes a day; answers reach a
	// connected node at once whatever the wait. 20 minutes keeps an idle
	// desa near 25 KB a day.
	Wait time.Duration
	// MinBackoff and MaxBackoff bound the pause after a failed exchange;
	// it doubles from the first to the second, with jitter.
	MinBackoff, MaxBackoff time.Duration
	// RefusedBackoff is the pause after a refusal only a person can lift:
	// a token not accepted, protocol ranges that do not overlap, a change
	// outside the link's region. Asking again every MaxBackoff would cost
	// a 2G link a hello frame 288 times a day for nothing; a Kick (sync
	// now) cuts the pause short. Zero means MaxBackoff.
	RefusedBackoff time.Duration
	// Rate is the link rate in bytes per second assumed until one is
	// measured. 8,000 is a 64 kbit/s 2G link.
	Rate float64
	// FrameTime is the air time one frame should take at the measured
	// rate: a cut loses at most that much. ExchangeTime bounds the air
	// time of one request's frames, so acknowledgements come often.
	FrameTime, ExchangeTime time.Duration
	// Stall bounds how much longer than its wait and twice ExchangeTime
	// (the air time up and down) one exchange may take before it is
	// abandoned and retried. Without it, an exchange whose bytes vanished
	// (a link that lost its carrier, a middlebox that acknowledges and
	// drops) would wait for TCP to give up, which a middlebox never lets
	// happen.
	Stall time.Duration
	// Logger receives one line per failed exchange; nil discards.
	Logger *slog.Logger
	// Now is the clock; nil is time.Now.
	Now func() time.Time
	// Protocol is the range of sync protocol versions the uplink speaks;
	// zero means wire.Supported. Tests set it to play another version.
	Protocol wire.Range
}

func (c *UplinkConfig) protocol() wire.Range {
	if c.Protocol == (wire.Range{}) {
		return wire.Supported
	}
	return c.Protocol
}

// KeepAlive is the TCP keep-alive of both ends of a sync link. Each probe
// and its answer cost about 100 bytes of TCP/IP headers on a metered
// link, and Go probes every 15 seconds by default: 2,880 probes, about
// 288 KB, a day. One probe after 4 minutes of silence (then every minute,
// 3 unanswered end it) keeps a carrier's NAT mapping alive through a held
// request, at 4 probes per idle exchange.
var KeepAlive = net.KeepAliveConfig{Enable: true, Idle: 4 * time.Minute, Interval: time.Minute, Count: 3}

// DefaultUplinkConfig returns the defaults for an upstream URL and token.
func DefaultUplinkConfig(url, token string) UplinkConfig {
	return UplinkConfig{URL: url, Token: token, Wait: 20 * time.Minute, MinBackoff: 2 * time.Second,
		MaxBackoff: 5 * time.Minute, RefusedBackoff: time.Hour, Rate: 8000, FrameTime: 2 * time.Second, ExchangeTime: 30 * time.Second,
		Stall: time.Minute}
}

// Validate checks the configuration.
func (c *UplinkConfig) Validate() error {
	switch {
	case c.URL == "":
		return errors.New("exchange: uplink URL is empty")
	case c.Token == "":
		return errors.New("exchange: uplink token is empty (lumbung enroll at the upstream prints one)")
	case c.MinBackoff <= 0 || c.MaxBackoff < c.MinBackoff:
		return fmt.Errorf("exchange: backoff %s..%s", c.MinBackoff, c.MaxBackoff)
	case c.Stall <= 0:
		return fmt.Errorf("exchange: stall limit %s", c.Stall)
	case c.Rate <= 0 || c.FrameTime <= 0 || c.ExchangeTime < c.FrameTime:
		return fmt.Errorf("exchange: rate %.0f B/s, frame time %s, exchange time %s", c.Rate, c.FrameTime, c.ExchangeTime)
	}
	return nil
}

// Uplink runs a node's exchanges with its upstream.
type Uplink struct {
	cfg  UplinkConfig
	s    Sender
	kick chan struct{}
	mu   sync.Mutex
	st   Status
	rate float64
	urls []string
	next int // the URL the next exchange goes to
	// probe makes the next exchange carry no changes: after a failure the
	// uplink first learns what the upstream committed, so that it resends
	// only what never arrived.
	probe bool
	// version is the protocol version the next exchange speaks: the
	// highest of the range at first, then what the upstream shares.
	version int
	// token is the sync token's secret the next exchange shows, pin the
	// upstream's key pin (SetToken); ownClient says cfg.Client is the
	// uplink's own, remade when the pin changes.
	token     string
	pin       trust.Pin
	ownClient bool
}

// NewUplink returns an uplink for s; Run starts it.
func NewUplink(cfg UplinkConfig, s Sender) (*Uplink, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	own := cfg.Client == nil
	if own {
		cfg.Client = newUplinkClient(cfg.TLS)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	u := &Uplink{cfg: cfg, s: s, kick: make(chan struct{}, 1), rate: cfg.Rate, st: Status{URL: cfg.URL}, probe: true,
		version: cfg.protocol().Max, token: cfg.Token, ownClient: own}
	for _, url := range strings.Split(cfg.URL, ",") {
		if url = strings.TrimRight(strings.TrimSpace(url), "/"); url != "" {
			u.urls = append(u.urls, url)
		}
	}
	return u, nil
}

// SecureURLs is a comma-separated list of upstream URLs as an uplink
// with pin dials them: over HTTPS whatever scheme was written (an
// officer who types http:// still gets TLS; the pin says it is there).
// Without a pin the list is returned as it is.
func SecureURLs(list string, pin trust.Pin) string {
	if pin.IsZero() {
		return list
	}
	urls := strings.Split(list, ",")
	for i, u := range urls {
		u = strings.TrimSpace(u)
		if rest, ok := strings.CutPrefix(u, "http://"); ok {
			u = "https://" + rest
		}
		urls[i] = u
	}
	return strings.Join(urls, ",")
}

// SetToken makes the uplink use printed (a token as `lumbung enroll`
// prints it) from its next exchange: its secret, and its pin, which
// moves a plain http:// upstream to HTTPS verified by it.
func (u *Uplink) SetToken(printed string) error {
	tok, err := trust.ParseEnrollToken(printed)
	if err != nil {
		return err
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	u.token = tok.Secret
	if tok.Pin.IsZero() || tok.Pin == u.pin {
		return nil
	}
	u.pin = tok.Pin
	u.st.URL = SecureURLs(u.st.URL, tok.Pin)
	for i := range u.urls {
		u.urls[i] = SecureURLs(u.urls[i], tok.Pin)
	}
	if u.ownClient {
		u.cfg.Client = newUplinkClient(trust.UpstreamConfig(tok.Pin, nil))
	}
	return nil
}

// newUplinkClient is the HTTP client of an uplink with no client of its
// own: no timeout (each exchange bounds itself), sparse keep-alives.
func newUplinkClient(c *tls.Config) *http.Client {
	dialer := &net.Dialer{Timeout: 60 * time.Second, KeepAliveConfig: KeepAlive}
	return &http.Client{Transport: &http.Transport{DisableCompression: true, MaxIdleConns: 1,
		DialContext: dialer.DialContext, TLSClientConfig: c, TLSHandshakeTimeout: 60 * time.Second}}
}

// offered keeps and takes up a successor token from an exchange's
// answer; it says nothing when the header names the token in use.
func (u *Uplink) offered(printed string) {
	tok, err := trust.ParseEnrollToken(printed)
	u.mu.Lock()
	same := err == nil && tok.Secret == u.token
	u.mu.Unlock()
	if same || u.cfg.OnToken == nil {
		return
	}
	if err != nil {
		u.cfg.Logger.Warn("the upstream offered a token that does not read", "err", err)
		return
	}
	if err := u.cfg.OnToken(printed); err != nil {
		u.cfg.Logger.Warn("the successor of the sync token could not be kept; the upstream offers it again", "err", err)
		return
	}
	if err := u.SetToken(printed); err == nil {
		u.cfg.Logger.Info("sync token replaced by its successor")
	}
}

// Result is what one exchange did.
type Result struct {
	// Sent and Received count the changes that went up and came down.
	Sent, Received int
	// Applied counts the sent changes the upstream did not hold yet.
	Applied int
	// BytesOut and BytesIn count the bytes on the wire, HTTP included.
	BytesOut, BytesIn int64
	// MoreUp and MoreDown say that another exchange should follow at once.
	MoreUp, MoreDown bool
	// Acked is the uplink position acknowledged after the exchange.
	Acked uint64
	// begun says the request's headers were written to the connection:
	// without it (a dial, or a TLS handshake, that failed) nothing of
	// the exchange can have reached the upstream.
	begun atomic.Bool
}

// Kick asks a running uplink to exchange now.
func (u *Uplink) Kick() {
	select {
	case u.kick <- struct{}{}:
	default:
	}
}

// Exchange runs one exchange. wait > 0 lets the upstream hold the request
// that long when neither side has anything.
func (u *Uplink) Exchange(ctx context.Context, wait time.Duration) (*Result, error) {
	start := u.cfg.Now()
	res, err := u.exchange(ctx, wait)
	// An upstream that refused the version before reading anything else
	// is asked again at once in a version both speak.
	for f := (*Failure)(nil); errors.As(err, &f) && f.Code == "protocol_version" && u.negotiate(f); {
		res, err = u.exchange(ctx, wait)
	}
	u.record(start, res, err)
	return res, err
}

func (u *Uplink) exchange(ctx context.Context, wait time.Duration) (*Result, error) {
	up, down, err := u.s.Cursors()
	if err != nil {
		return nil, err
	}
	res := &Result{Acked: up}
	ctx, cancel := context.WithTimeout(ctx, wait+2*u.cfg.ExchangeTime+u.cfg.Stall)
	defer cancel()
	body, sentTo, err := u.request(up, down, wait, res)
	if err != nil {
		return res, err
	}
	trace := &httptrace.ClientTrace{WroteHeaders: func() { res.begun.Store(true) }}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), http.MethodPost, u.url()+Path, bytes.NewReader(body))
	if err != nil {
		return res, err
	}
	req.Header["User-Agent"] = []string{""} // every idle byte counts
	u.mu.Lock()
	token, client := u.token, u.cfg.Client
	u.mu.Unlock()
	req.Header.Set("Authorization", "Bearer "+token)
	res.BytesOut = int64(len(body)) + requestHeaderBytes(req)
	sendStart := u.cfg.Now()
	resp, err := client.Do(req)
	if err != nil {
		return res, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	defer resp.Body.Close()
	if next := resp.Header.Get(HeaderNextToken); next != "" && resp.StatusCode == http.StatusOK {
		u.offered(next)
	}
	u.measure(len(body), sendStart, wait)
	counted := &countingReader{r: resp.Body}
	defer func() { res.BytesIn += counted.n + responseHeaderBytes(resp) }()
	if resp.StatusCode != http.StatusOK {
		return res, readFailure(resp.StatusCode, counted)
	}
	return res, u.readResponse(ctx, counted, sendStart, sentTo, res)
}

// request builds the request body: Hello, change frames of about
// FrameTime of air time each, up to ExchangeTime, and the End.
func (u *Uplink) request(up, down uint64, wait time.Duration, res *Result) ([]byte, uint64, error) {
	var buf bytes.Buffer
	w, err := wire.NewWriter(&buf, wire.Choose(wire.Dictionaries()))
	if err != nil {
		return nil, 0, err
	}
	defer w.Close()
	frame, total := u.frameBytes()
	ours := u.cfg.protocol()
	hello := wire.Hello{Version: u.speaking(), Origin: u.s.Origin(), Dicts: wire.Dictionaries(),
		Catalogue: u.s.Catalogue(), From: up, Down: down, Budget: total, Frame: frame,
		Clock: u.cfg.Now().UnixMilli()}
	hello.SetRange(ours)
	pending, err := u.s.Pending(up)
	if err != nil {
		return nil, 0, err
	}
	if pending == 0 {
		hello.Wait = int(wait / time.Second)
	}
	if _, err := w.WriteJSON(wire.KindHello, hello); err != nil {
		return nil, 0, err
	}
	frames, pos := 0, up
	if u.probing() {
		total = 0
	}
	// Batches are read in raw bytes: aim each at a frame of air time by
	// the ratio measured so far in this body.
	var raw, sent int
	for int(w.Bytes) < total {
		ratio := float64(wire.ExpectedRatio)
		if sent > 0 {
			ratio = min(max(float64(raw)/float64(sent), 2), 30)
		}
		want := int(float64(frame) * ratio)
		b, err := u.s.Outbound(pos, want)
		if err != nil {
			return nil, 0, err
		}
		if len(b.Changes) == 0 {
			break
		}
		n, err := w.WriteBatch(b)
		if err != nil {
			return nil, 0, err
		}
		raw += want // a batch short of it is the last one
		sent += n
		frames++
		res.Sent += len(b.Changes)
		pos = b.Last
	}
	res.MoreUp = pending > res.Sent
	_, err = w.WriteJSON(wire.KindEnd, wire.End{Frames: frames})
	return buf.Bytes(), pos, err
}

// url returns the upstream URL the next exchange goes to.
func (u *Uplink) url() string {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.urls[u.next%len(u.urls)]
}

func (u *Uplink) probing() bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.probe
}

// frameBytes returns the wire size to aim a frame at and the bound on
// one request, from the measured rate.
func (u *Uplink) frameBytes() (frame, total int) {
	u.mu.Lock()
	rate := u.rate
	u.mu.Unlock()
	frame = min(max(int(rate*u.cfg.FrameTime.Seconds()), 1<<10), 128<<10)
	total = min(max(int(rate*u.cfg.ExchangeTime.Seconds()), frame), wire.MaxFrameBytes)
	return frame, total
}

// measure updates the link rate from a request that took long enough to
// say something (at least a few frames of air time at the assumed rate).
func (u *Uplink) measure(n int, start time.Time, wait time.Duration) {
	el := u.cfg.Now().Sub(start).Seconds()
	if n < 4<<10 || el <= 0 || wait > 0 {
		return
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	u.rate = 0.5*u.rate + 0.5*float64(n)/el
}

// readResponse reads the Ack, applies the downlink frames, and saves
// each cursor as soon as what it covers is durable here.
func (u *Uplink) readResponse(ctx context.Context, body io.Reader, sendStart time.Time, sentTo uint64, res *Result) error {
	r := wire.NewReader(body)
	defer r.Close()
	f, err := r.Next()
	if err != nil {
		return fmt.Errorf("%w: response: %w", ErrUnavailable, err)
	}
	var ack wire.Ack
	if f.Kind != wire.KindAck || f.JSON(&ack) != nil {
		return fmt.Errorf("%w: the response does not open with an ack", wire.ErrMessage)
	}
	u.learn(&ack)
	now := u.cfg.Now()
	u.s.ObserveSkew(sendStart.Add(now.Sub(sendStart)/2).UnixMilli() - ack.Clock)
	u.setSkew(sendStart.Add(now.Sub(sendStart)/2).UnixMilli() - ack.Clock)
	res.Applied = ack.Applied
	if ack.Acked != res.Acked {
		if err := u.s.SaveUp(ctx, ack.Acked); err != nil {
			return err
		}
		res.Acked = ack.Acked
	}
	if ack.Acked < sentTo {
		res.MoreUp = true // the upstream lacks part of what was sent: resume from its position
	}
	return u.readDownlink(ctx, r, res)
}

func (u *Uplink) readDownlink(ctx context.Context, r *wire.Reader, res *Result) error {
	frames := 0
	for {
		f, err := r.Next()
		if err != nil {
			return fmt.Errorf("%w: response: %w", ErrUnavailable, err)
		}
		switch f.Kind {
		case wire.KindChanges:
			b, err := wire.DecodeBatch(f.Payload)
			if err != nil {
				return err
			}
			if err := u.s.ApplyDown(ctx, b); err != nil {
				return err
			}
			frames++
			res.Received += len(b.Changes)
		case wire.KindEnd:
			var end wire.End
			if err := f.JSON(&end); err != nil {
				return err
			}
			if end.Frames != frames {
				return fmt.Errorf("%w: response: %d frames announced, %d received", wire.ErrTruncated, end.Frames, frames)
			}
			res.MoreDown = end.More
			return u.s.ApplyDown(ctx, &wire.Batch{Last: end.Down})
		default:
			return fmt.Errorf("%w: a %s frame inside a response", wire.ErrMessage, f.Kind)
		}
	}
}

// readFailure reads a refusal in the one error shape (locale.ErrorBody):
// the message in both languages when the upstream gives both (messages),
// else its message (in Indonesian: the request asked for no language)
// with, for English readers, the upstream's message_en if it predates the
// one shape, or the code; and the upstream's protocol range on a
// protocol_version refusal.
func readFailure(status int, body io.Reader) error {
	var e struct {
		Error *locale.ErrorDetail `json:"error"`
	}
	b, _ := io.ReadAll(io.LimitReader(body, 64<<10))
	if json.Unmarshal(b, &e) != nil || e.Error == nil || e.Error.Code == "" {
		return fmt.Errorf("%w: upstream answered %d", ErrUnavailable, status)
	}
	d := e.Error
	f := &Failure{Status: status, Code: d.Code, Message: d.Message}
	if d.Messages != nil && d.Messages.ID != "" {
		f.Message, f.MessageEN = d.Messages.ID, d.Messages.EN
	}
	if f.MessageEN == "" {
		if raw, ok := d.Extra["message_en"]; ok {
			_ = json.Unmarshal(raw, &f.MessageEN)
		}
	}
	if f.MessageEN == "" {
		f.MessageEN = msgRefused.In(locale.EN, f.Code, f.Message)
	}
	if raw, ok := d.Extra["protocol"]; ok {
		var r wire.Range
		if json.Unmarshal(raw, &r) == nil && r.Max > 0 {
			f.Protocol = &r
		}
	}
	switch {
	case status >= 500:
		f.err = ErrUnavailable
	case f.Code == "token_expired":
		f.err = ErrExpired
	case f.Code == "bad_token":
		f.err = ErrToken
	case f.Code == "protocol_version":
		f.err = ErrVersion
	case f.Code == "out_of_scope":
		f.err = ErrScope
	case f.Code == "token_bound":
		f.err = ErrBound
	case f.Code == "sequence_gap":
		f.err = ErrGap
	}
	return f
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// requestHeaderBytes is the size of the request line and headers as Go
// writes them.
func requestHeaderBytes(r *http.Request) int64 {
	n := len(r.Method) + 1 + len(r.URL.RequestURI()) + len(" HTTP/1.1\r\n") + len("Host: \r\n") + len(r.URL.Host)
	for k, vs := range r.Header {
		for _, v := range vs {
			if v != "" {
				n += len(k) + 2 + len(v) + 2
			}
		}
	}
	n += len("Content-Length: \r\n") + len(fmt.Sprint(r.ContentLength)) + 2
	return int64(n)
}

func responseHeaderBytes(r *http.Response) int64 {
	n := len("HTTP/1.1 \r\n") + len(r.Status)
	for k, vs := range r.Header {
		for _, v := range vs {
			n += len(k) + 2 + len(v) + 2
		}
	}
	if r.ContentLength >= 0 && r.Header.Get("Content-Length") == "" {
		n += len("Content-Length: \r\n") + len(fmt.Sprint(r.ContentLength))
	}
	return int64(n + 2)
}

func jitter(d time.Duration) time.Duration { return d/2 + rand.N(d/2+1) }
