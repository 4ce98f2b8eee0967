package httpapi

import (
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/replication/exchange"
	"github.com/prometheus/client_golang/prometheus"
)

// sniffTimeout bounds how long a new connection may take to send its
// first byte: a stranger that connects and says nothing holds a
// goroutine no longer.
const sniffTimeout = 10 * time.Second

// sniffListener serves TLS and plain HTTP on one port, told apart by a
// connection's first byte: a TLS record of a handshake starts with 0x16,
// an HTTP request with a method's letter. Plain HTTP is kept for the
// desa laptops enrolled before HTTPS, which go on syncing until they are
// given a new token, and for clients on the same machine; plainPolicy
// decides what plain requests may reach. Each connection is sniffed in a
// goroutine of its own, so a slow one holds up nobody; what Accept
// returns is a *tls.Conn (whose handshake http.Server runs) or the plain
// connection.
type sniffListener struct {
	net.Listener
	config *tls.Config
	conns  chan net.Conn
	done   chan struct{} // closed by Close
	ended  chan struct{} // closed when the accept loop ends, err then set
	once   sync.Once
	err    error
}

func newSniffListener(ln net.Listener, config *tls.Config) *sniffListener {
	l := &sniffListener{Listener: ln, config: config, conns: make(chan net.Conn), done: make(chan struct{}),
		ended: make(chan struct{})}
	go l.loop()
	return l
}

func (l *sniffListener) loop() {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			select {
			case <-l.done:
			default:
				if !errors.Is(err, net.ErrClosed) {
					time.Sleep(10 * time.Millisecond) // a passing failure (no file descriptors)
					continue
				}
			}
			l.err = err
			close(l.ended)
			return
		}
		go l.sniff(c)
	}
}

func (l *sniffListener) sniff(c net.Conn) {
	var first [1]byte
	_ = c.SetReadDeadline(time.Now().Add(sniffTimeout))
	if _, err := c.Read(first[:]); err != nil {
		c.Close()
		return
	}
	_ = c.SetReadDeadline(time.Time{})
	var out net.Conn = &sniffedConn{Conn: c, first: first[0], unread: true}
	if first[0] == 0x16 {
		out = tls.Server(out, l.config)
	}
	select {
	case l.conns <- out:
	case <-l.done:
		c.Close()
	case <-l.ended:
		c.Close()
	}
}

// Accept returns the next sniffed connection.
func (l *sniffListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.ended:
		return nil, l.err
	case <-l.done:
		return nil, net.ErrClosed
	}
}

// Close stops accepting; connections being sniffed are closed.
func (l *sniffListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return l.Listener.Close()
}

// sniffedConn gives back the byte sniffing read.
type sniffedConn struct {
	net.Conn
	first  byte
	unread bool
	mu     sync.Mutex
}

func (c *sniffedConn) Read(p []byte) (int, error) {
	c.mu.Lock()
	if c.unread && len(p) > 0 {
		c.unread = false
		c.mu.Unlock()
		p[0] = c.first
		return 1, nil
	}
	c.mu.Unlock()
	return c.Conn.Read(p)
}

// plainPolicy guards a node that serves HTTPS against what its plain port
// would otherwise carry in clear. A plain request from the same machine
// (the node's own CLI, an admin on the server, a reverse proxy there) is
// served whole; from another machine it may reach only the sync exchange,
// for the desa laptops enrolled before HTTPS, counted in
// lumbung_sync_plain_requests_total (each such desa shows the officer a
// warning of its own), and /healthz. Anything else, a password or a
// session above all, is refused: a page is sent to its https:// address,
// any other request answered 403 with that address in words.
func plainPolicy(n *node.Node, next http.Handler) http.Handler {
	if n.ServerTLS() == nil {
		return next
	}
	plain := register(n.Metrics(), newPlainCounter())
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.TLS != nil || fromLoopback(r) {
			next.ServeHTTP(w, r)
			return
		}
		switch {
		case r.URL.Path == exchange.Path:
			plain.Inc()
			next.ServeHTTP(w, r)
			return
		case r.URL.Path == "/healthz":
			next.ServeHTTP(w, r)
			return
		}
		to := "https://" + r.Host + r.URL.RequestURI()
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			http.Redirect(w, r, to, http.StatusPermanentRedirect)
			return
		}
		locale.WriteError(w, r, newError(http.StatusForbidden, "https_required", msgHTTPSRequired, "https://"+r.Host))
	})
}

// fromLoopback says whether r came from this machine.
func fromLoopback(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	ip := net.ParseIP(host)
	return err == nil && ip != nil && ip.IsLoopback()
}

func newPlainCounter() prometheus.Counter {
	return prometheus.NewCounter(prometheus.CounterOpts{Name: "lumbung_sync_plain_requests_total",
		Help: "Sync exchanges over plain HTTP from another machine: desa enrolled before HTTPS, to be given a new token."})
}
