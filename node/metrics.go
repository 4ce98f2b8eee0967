package node

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the node's Prometheus metrics, on a registry of its own so
// that several nodes can run in one process (tests, the demo).
type metrics struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	groupSize prometheus.Histogram
	commitDur prometheus.Histogram
}

func newMetrics(n *Node) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "lumbung_http_requests_total",
		Help: "HTTP requests by route and status code."}, []string{"route", "code"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "lumbung_http_request_seconds",
		Help: "HTTP request latency by route.", Buckets: prometheus.ExponentialBuckets(0.0001, 4, 10)}, []string{"route"})
	m.groupSize = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "lumbung_commit_group_writes",
		Help: "Writes committed together with one fsync.", Buckets: prometheus.ExponentialBuckets(1, 2, 10)})
	m.commitDur = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "lumbung_commit_seconds",
		Help: "Time to run and fsync one commit group.", Buckets: prometheus.ExponentialBuckets(0.0001, 3, 10)})
	logPos := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "lumbung_log_position",
		Help: "Durable position of the node's change log."}, func() float64 { return float64(n.store.DurablePos()) })
	pending := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "lumbung_sync_pending_changes",
		Help: "Changes not yet acknowledged by the upstream."}, func() float64 { return float64(n.SyncStatus().Pending) })
	healthy := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "lumbung_store_ok",
		Help: "1 while the store accepts writes, 0 after a failed commit."}, func() float64 {
		if n.store.Err() != nil {
			return 0
		}
		return 1
	})
	m.reg.MustRegister(m.requests, m.latency, m.groupSize, m.commitDur, logPos, pending, healthy,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

func (m *metrics) observeCommit(writes int, d time.Duration) {
	m.groupSize.Observe(float64(writes))
	m.commitDur.Observe(d.Seconds())
}

type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	w.code = code
	w.ResponseWriter.WriteHeader(code)
}

func (m *metrics) instrument(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, code: http.StatusOK}
		next.ServeHTTP(sw, r)
		route := r.Pattern
		if route == "" {
			route = "other"
		}
		m.requests.WithLabelValues(route, strconv.Itoa(sw.code)).Inc()
		m.latency.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}
