package httpapi

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/replication/exchange"
	"github.com/lumbung/lumbung/web"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Handler is everything n answers over HTTP: the JSON API, the sync
// exchange of the nodes below it and its raft member's endpoints (on a
// kecamatan or kabupaten), and /metrics. Every request is counted by
// route and status, and a panic in a handler becomes a logged 500.
func Handler(n *node.Node) http.Handler {
	a := newAPI(n)
	return a.handler(a.routeTable())
}

func newAPI(n *node.Node) *api {
	return &api{n: n, cfg: n.Config(), st: n.Store(), log: n.Logger(), gate: newGate(), pages: renderer()}
}

// renderer is the screens' templates, parsed once per process: a
// template that does not parse is a programming error the tests catch.
var renderer = sync.OnceValue(func() *web.Renderer {
	r, err := web.New()
	if err != nil {
		panic(err)
	}
	return r
})

// handler is Handler with routes, each behind the access it declares.
func (a *api) handler(routes []route) http.Handler {
	n := a.n
	mux := http.NewServeMux()
	a.mount(mux, routes)
	reg := n.Metrics()
	for path, h := range map[string]http.Handler{exchange.Path: n.SyncHandler(), "/static": web.Static(),
		"/metrics": metricsGuard(n.Config().MetricsToken, promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))} {
		if _, declared := otherRoutes[path]; !declared {
			panic("httpapi: a route without a declared access: " + path)
		}
		if h != nil && !reflect.ValueOf(h).IsNil() {
			mux.Handle(path, h)
			mux.Handle(path+"/", h)
		}
	}
	var h http.Handler = mux
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		locale.WriteError(w, r, newError(http.StatusForbidden, "cross_origin", msgCrossOrigin))
	}))
	h = csrf.Handler(h)
	if loopback(n.Config().HTTPAddr) {
		h = loopbackHost(h)
	}
	return instrument(reg, recoverer(a.log, plainPolicy(n, secureHeaders(h))))
}

// metricsGuard lets /metrics answer a caller on loopback, or one that
// shows the configured metrics token; anyone else gets a 401: the
// figures say how busy an office is and when its link is down.
func metricsGuard(token string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		ip := net.ParseIP(host)
		shown, bearer := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		switch {
		case err == nil && ip != nil && ip.IsLoopback():
		case token != "" && bearer && subtle.ConstantTimeCompare([]byte(shown), []byte(token)) == 1:
		default:
			locale.WriteError(w, r, newError(http.StatusUnauthorized, "metrics_token", msgMetricsToken))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// secureHeaders sets what every answer to a person's client carries: no
// sniffing, no framing, no referrer, nothing cached, and a policy that
// lets a JSON answer run nothing if a browser opens it. The sync exchange
// is spared: it answers a desa's uplink, never a browser, and 150 bytes
// more on each of its held answers cost an idle desa a third more a day.
func secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == exchange.Path {
			next.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// loopback says whether addr (host:port) listens on loopback only.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// loopbackHost refuses a request to a loopback node whose Host names
// anything but loopback: a web page on another name that resolves to
// 127.0.0.1 (DNS rebinding) cannot reach the desa laptop's API.
func loopbackHost(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := r.Host
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		host = strings.Trim(host, "[]")
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			locale.WriteError(w, r, newError(http.StatusMisdirectedRequest, "foreign_host", msgForeignHost, r.Host))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Serve answers HTTP on ln with Handler(n) until ctx is done, then shuts
// down gracefully: held sync exchanges answer at once, requests in flight
// finish (their writes are committed or refused), and the node is left
// open for the caller to Close.
func Serve(ctx context.Context, n *node.Node, ln net.Listener) error {
	return serve(ctx, n, ln, Handler(n))
}

// SyncHandler is what a node answers on its sync listener
// (Config.SyncAddr): the sync exchange of the nodes below, and /healthz
// for a load balancer; every other path is 404, so a kecamatan can face
// the internet with this alone and keep its officers' API on the office
// network.
func SyncHandler(n *node.Node) http.Handler {
	mux := http.NewServeMux()
	if h := n.SyncHandler(); h != nil {
		mux.Handle(exchange.Path, h)
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		locale.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		locale.WriteError(w, r, newError(http.StatusNotFound, "no_route", msgSyncOnly, r.URL.Path))
	}))
	return instrument(n.Metrics(), recoverer(n.Logger(), plainPolicy(n, mux)))
}

// ServeSync serves SyncHandler on ln until ctx is done.
func ServeSync(ctx context.Context, n *node.Node, ln net.Listener) error {
	return serve(ctx, n, ln, SyncHandler(n))
}

func serve(ctx context.Context, n *node.Node, ln net.Listener, h http.Handler) error {
	log := n.Logger()
	// A port facing a network sees scanners and failed handshakes all
	// day: http.Server's own complaints go to the log at debug level.
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelDebug)}
	if c := n.ServerTLS(); c != nil {
		ln = newSniffListener(ln, c)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("serving", "addr", ln.Addr().String())
	select {
	case err := <-errc:
		return fmt.Errorf("httpapi: serve: %w", err)
	case <-ctx.Done():
	}
	n.CloseHeld()
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		// A request still waiting (a write behind a leader election) is cut,
		// as a crash would cut it: its outcome is unknown to its client.
		log.Warn("requests still running at shutdown were cut", "err", err)
		_ = srv.Close()
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("httpapi: serve: %w", err)
	}
	return nil
}

func recoverer(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.Error("panic in handler", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v))
				locale.WriteError(w, r, errorFor(fmt.Errorf("panic: %v", v)))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	w.code = code
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection (the held
// sync exchange flushes through it).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// instrument counts requests by route and status code, and times them,
// on reg (registered once per registry, however often Handler is called).
func instrument(reg *prometheus.Registry, next http.Handler) http.Handler {
	requests := register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{Name: "lumbung_http_requests_total",
		Help: "HTTP requests by route and status code."}, []string{"route", "code"}))
	latency := register(reg, prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "lumbung_http_request_seconds",
		Help: "HTTP request latency by route.", Buckets: prometheus.ExponentialBuckets(0.0001, 4, 10)}, []string{"route"}))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, code: http.StatusOK}
		next.ServeHTTP(sw, r)
		route := r.Pattern
		if route == "" {
			route = "other"
		}
		requests.WithLabelValues(route, strconv.Itoa(sw.code)).Inc()
		latency.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}

// register registers c on reg, or returns the collector registered there
// already under its name.
func register[C prometheus.Collector](reg *prometheus.Registry, c C) C {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			return are.ExistingCollector.(C)
		}
		panic(err) // a metric described two ways: a programming error
	}
	return c
}
