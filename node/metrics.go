package node

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// metrics are the node's Prometheus metrics, on a registry of its own so
// that several nodes can run in one process (tests, the demo).
type metrics struct {
	reg          *prometheus.Registry
	groupSize    prometheus.Histogram
	commitDur    prometheus.Histogram
	auditDropped prometheus.Counter
}

func newMetrics(n *Node) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
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
	held := func(pick func(now, limit int, declined int64) float64) func() float64 {
		return func() float64 {
			if n.exch == nil {
				return 0
			}
			return pick(n.exch.Held())
		}
	}
	heldNow := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "lumbung_sync_held_requests",
		Help: "Idle sync requests from the tier below held open now."}, held(func(now, _ int, _ int64) float64 { return float64(now) }))
	heldLimit := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "lumbung_sync_held_requests_limit",
		Help: "The most idle sync requests held open at once; past it they are answered at once."},
		held(func(_, limit int, _ int64) float64 { return float64(limit) }))
	heldDeclined := prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "lumbung_sync_held_declined_total",
		Help: "Idle sync requests not held: their token, or the server, held all it may."},
		held(func(_, _ int, declined int64) float64 { return float64(declined) }))
	m.auditDropped = prometheus.NewCounter(prometheus.CounterOpts{Name: "lumbung_audit_dropped_total",
		Help: "Audit entries let go because the audit writer was behind."})
	m.reg.MustRegister(m.groupSize, m.commitDur, m.auditDropped, logPos, pending, healthy, heldNow, heldLimit, heldDeclined,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) observeCommit(writes int, d time.Duration) {
	m.groupSize.Observe(float64(writes))
	m.commitDur.Observe(d.Seconds())
}
