package httpapi

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// TestInstrumentKeepsConnectionControl: a handler behind the metrics
// wrapper still reaches its connection, so the sync exchange's longer
// read deadline (a slow 2G upload takes minutes) replaces the server's
// 60 s. Without statusWriter.Unwrap it is silently not supported.
func TestInstrumentKeepsConnectionControl(t *testing.T) {
	errc := make(chan error, 1)
	h := instrument(prometheus.NewRegistry(), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		errc <- http.NewResponseController(w).SetReadDeadline(time.Now().Add(10 * time.Minute))
	}))
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if err := <-errc; err != nil {
		t.Fatalf("read deadline behind the metrics wrapper: %v", err)
	}
}

// TestHandlerTwice: serving one node twice (a restart of its listener)
// registers its HTTP metrics once and counts on the same series.
func TestHandlerTwice(t *testing.T) {
	n, _ := openTestNode(t)
	for range 2 {
		srv := httptest.NewServer(Handler(n))
		resp, err := http.Get(srv.URL + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		srv.Close()
	}
	mfs, err := n.Metrics().Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "lumbung_http_requests_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			if m.GetCounter().GetValue() >= 2 {
				return
			}
		}
	}
	t.Fatal("two requests to /healthz through two handlers are not counted together")
}

// TestMetricsGuard: /metrics answers loopback and the metrics token, and
// no one else.
func TestMetricsGuard(t *testing.T) {
	h := metricsGuard("rahasia-metrik", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	for name, tc := range map[string]struct {
		addr, auth string
		want       int
	}{
		"loopback":      {"127.0.0.1:5000", "", 200},
		"loopback v6":   {"[::1]:5000", "", 200},
		"elsewhere":     {"192.0.2.7:5000", "", 401},
		"with token":    {"192.0.2.7:5000", "Bearer rahasia-metrik", 200},
		"a wrong token": {"192.0.2.7:5000", "Bearer rahasia-metriK", 401},
	} {
		req := httptest.NewRequest("GET", "/metrics", nil)
		req.RemoteAddr = tc.addr
		if tc.auth != "" {
			req.Header.Set("Authorization", tc.auth)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != tc.want {
			t.Errorf("%s: %d, want %d", name, rec.Code, tc.want)
		}
	}
	open := metricsGuard("", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	req := httptest.NewRequest("GET", "/metrics", nil)
	req.RemoteAddr = "192.0.2.7:5000"
	req.Header.Set("Authorization", "Bearer ")
	rec := httptest.NewRecorder()
	open.ServeHTTP(rec, req)
	if rec.Code != 401 {
		t.Errorf("no token configured, an empty one shown: %d", rec.Code)
	}
}
