package localcluster

import (
	"math/rand/v2"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Shape is how a Link treats the bytes it carries, each way.
type Shape struct {
	// Rate is the link rate in bytes per second each way; 0 is unlimited.
	Rate float64
	// Latency is the one-way delay; Jitter adds up to that much more,
	// at random, without reordering bytes.
	Latency, Jitter time.Duration
}

// Profile2G is the 2G link of the issues: 64 kbit/s each way, 300 ms
// one-way latency with up to 100 ms jitter.
var Profile2G = Shape{Rate: 8000, Latency: 300 * time.Millisecond, Jitter: 100 * time.Millisecond}

// Link is a TCP proxy between tiers on loopback: it shapes what it carries
// (rate, latency, jitter), counts bytes each way, and can cut every
// connection at a chosen byte offset, refuse connections altogether (a
// cut), swallow everything while keeping connections open (a black hole),
// or flap between up and down. Nodes below dial Link.URL instead of their
// upstream.
type Link struct {
	ln     net.Listener
	target string
	rng    *rand.Rand
	rngMu  sync.Mutex // guards rng and shape
	shape  Shape

	up, down atomic.Int64 // bytes delivered towards the target, and back
	cutAt    atomic.Int64 // cut when up+down reaches this; 0 = never
	cuts     atomic.Int64
	down_    atomic.Bool   // refuse connections
	hole     atomic.Bool   // accept, but deliver nothing either way
	flap     chan struct{} // closed to stop the flapping goroutine

	mu    sync.Mutex
	conns map[net.Conn]bool
	wg    sync.WaitGroup
}

// NewLink listens on a free loopback port and forwards to target
// (host:port).
func NewLink(target string, shape Shape, seed uint64) (*Link, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	l := &Link{ln: ln, target: target, shape: shape, rng: rand.New(rand.NewPCG(seed, 7)), conns: map[net.Conn]bool{}}
	l.wg.Add(1)
	go l.accept()
	return l, nil
}

// URL is the address nodes below dial.
func (l *Link) URL() string { return "http://" + l.ln.Addr().String() }

// Bytes returns the bytes delivered towards the target and back.
func (l *Link) Bytes() (up, down int64) { return l.up.Load(), l.down.Load() }

// Cuts returns how many times the link was cut.
func (l *Link) Cuts() int64 { return l.cuts.Load() }

// CutAt arms a cut: once n more bytes have passed (either way), every
// connection is closed mid-stream. The link then works again.
func (l *Link) CutAt(n int64) { l.cutAt.Store(l.up.Load() + l.down.Load() + n) }

// SetDown refuses (true) or accepts (false) new connections and, when
// going down, closes those open: the link is cut for as long as it lasts.
func (l *Link) SetDown(down bool) {
	l.down_.Store(down)
	if down {
		l.closeAll()
	}
}

// Down reports whether the link refuses connections now.
func (l *Link) Down() bool { return l.down_.Load() }

// SetBlackHole makes the link swallow every byte both ways (true) while
// connections stay open, as a mobile link that has lost its carrier
// without telling either end, or carry them again (false). Bytes
// swallowed are lost, not delayed.
func (l *Link) SetBlackHole(on bool) { l.hole.Store(on) }

// SetShape changes the rate, latency and jitter from now on.
func (l *Link) SetShape(s Shape) {
	l.rngMu.Lock()
	l.shape = s
	l.rngMu.Unlock()
}

// Flap takes the link down for down, up for up, and again, until Flap is
// called with down 0 (which leaves it up) or the link is closed. The
// first period is up.
func (l *Link) Flap(up, down time.Duration) {
	l.mu.Lock()
	if l.flap != nil {
		close(l.flap)
		l.flap = nil
	}
	if down <= 0 {
		l.mu.Unlock()
		l.SetDown(false)
		return
	}
	stop := make(chan struct{})
	l.flap = stop
	l.mu.Unlock()
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		for {
			for _, p := range []struct {
				d    time.Duration
				down bool
			}{{up, false}, {down, true}} {
				select {
				case <-stop:
					return
				case <-time.After(p.d):
					l.SetDown(p.down)
				}
			}
		}
	}()
}

// Close stops the link and every connection through it.
func (l *Link) Close() {
	l.mu.Lock()
	if l.flap != nil {
		close(l.flap)
		l.flap = nil
	}
	l.mu.Unlock()
	_ = l.ln.Close()
	l.closeAll()
	l.wg.Wait()
}

func (l *Link) closeAll() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for c := range l.conns {
		_ = c.Close()
	}
}

func (l *Link) track(c net.Conn, on bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if on {
		l.conns[c] = true
	} else {
		delete(l.conns, c)
	}
}

func (l *Link) accept() {
	defer l.wg.Done()
	for {
		c, err := l.ln.Accept()
		if err != nil {
			return
		}
		if l.down_.Load() {
			_ = c.Close()
			continue
		}
		l.wg.Add(1)
		go l.serve(c)
	}
}

func (l *Link) serve(in net.Conn) {
	defer l.wg.Done()
	out, err := net.Dial("tcp", l.target)
	if err != nil {
		_ = in.Close()
		return
	}
	l.track(in, true)
	l.track(out, true)
	var pipes sync.WaitGroup
	pipes.Add(2)
	go func() { defer pipes.Done(); l.pipe(out, in, &l.up) }()
	go func() { defer pipes.Done(); l.pipe(in, out, &l.down) }()
	pipes.Wait()
	_ = in.Close()
	_ = out.Close()
	l.track(in, false)
	l.track(out, false)
}

// chunk is a piece of the stream and when it may be delivered.
type chunk struct {
	b  []byte
	at time.Time
}

// pipe copies src to dst: each chunk leaves after the previous one has
// been serialised at Rate and arrives Latency (+ jitter) later.
func (l *Link) pipe(dst, src net.Conn, count *atomic.Int64) {
	q := make(chan chunk, 1024)
	go func() {
		defer close(q)
		var free, last time.Time
		buf := make([]byte, 256)
		for {
			n, err := src.Read(buf)
			if n > 0 {
				now := time.Now()
				free = later(free, now).Add(l.airTime(n))
				at := later(free.Add(l.delay()), last)
				last = at
				q <- chunk{append([]byte(nil), buf[:n]...), at}
			}
			if err != nil {
				return
			}
		}
	}()
	for c := range q {
		time.Sleep(time.Until(c.at))
		if l.hole.Load() {
			continue // swallowed
		}
		b, cut := l.admit(c.b, count)
		if len(b) > 0 {
			if _, err := dst.Write(b); err != nil {
				break
			}
		}
		if cut {
			l.cuts.Add(1)
			l.closeAll()
			break
		}
	}
	_ = dst.Close()
	_ = src.Close()
	for range q {
		// drain, so the reader can see its source closed and exit
	}
}

// admit counts b and returns the part of it before an armed cut, and
// whether the cut falls inside it.
func (l *Link) admit(b []byte, count *atomic.Int64) ([]byte, bool) {
	at := l.cutAt.Load()
	if at == 0 {
		count.Add(int64(len(b)))
		return b, false
	}
	passed := l.up.Load() + l.down.Load()
	if passed+int64(len(b)) < at {
		count.Add(int64(len(b)))
		return b, false
	}
	if !l.cutAt.CompareAndSwap(at, 0) {
		count.Add(int64(len(b)))
		return b, false
	}
	keep := max(at-passed, 0)
	count.Add(keep)
	return b[:keep], true
}

func (l *Link) airTime(n int) time.Duration {
	l.rngMu.Lock()
	rate := l.shape.Rate
	l.rngMu.Unlock()
	if rate <= 0 {
		return 0
	}
	return time.Duration(float64(n) / rate * float64(time.Second))
}

func (l *Link) delay() time.Duration {
	l.rngMu.Lock()
	defer l.rngMu.Unlock()
	d := l.shape.Latency
	if l.shape.Jitter > 0 {
		d += time.Duration(l.rng.Int64N(int64(l.shape.Jitter)))
	}
	return d
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
