package httpapi

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	demo "github.com/lumbung/lumbung/internal/staff"
	"github.com/lumbung/lumbung/officer"
)

// BenchmarkIntakeHTTP takes complaints through the HTTP API of an
// in-process node on a real loopback server, from parallel clients
// (-cpu sets GOMAXPROCS; SetParallelism(8) gives 8 clients per proc).
// node's BenchmarkStoreCreate is the same work without HTTP.
func BenchmarkIntakeHTTP(b *testing.B) {
	b.Run("open", func(b *testing.B) { benchIntake(b, false) })
	b.Run("session", func(b *testing.B) { benchIntake(b, true) })
}

// benchIntake is BenchmarkIntakeHTTP as a logged-in operator (a session
// checked, the request kept in the audit trail), or, for the same work
// without either, on the same API with every route's access made public:
// the cost of officers on every request.
func benchIntake(b *testing.B, session bool) {
	n, srv := openTestNode(b)
	token := ""
	url := srv.URL
	if session {
		hire(b, srv.URL)
		token = demo.Lookup(srv.URL).Token(officer.Operator)
	} else {
		a := newAPI(n)
		routes := a.routeTable()
		for i := range routes {
			routes[i].who = anyone()
		}
		open := httptest.NewServer(a.handler(routes))
		b.Cleanup(open.Close)
		url = open.URL
	}
	body, _ := jsonBody(sampleComplaint())
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	var mu sync.Mutex
	var lat []time.Duration
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		defer func() { mu.Lock(); lat = append(lat, mine...); mu.Unlock() }()
		for pb.Next() {
			start := time.Now()
			req, _ := http.NewRequest("POST", url+"/api/v1/complaints", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 201 {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
			mine = append(mine, time.Since(start))
		}
	})
	b.StopTimer()
	if len(lat) > 0 {
		slices.Sort(lat)
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-us")
	}
}

// BenchmarkLogin is one login: the argon2id hash at its real cost, and a
// session written.
func BenchmarkLogin(b *testing.B) {
	n, _ := openTestNode(b)
	ctx := b.Context()
	if _, err := n.AddOfficer(ctx, officer.Account{Name: "operator1", FullName: "Op", Role: officer.Operator},
		"balai desa operator", false); err != nil {
		b.Fatal(err)
	}
	// the node hashes cheaply for tests; measure the real cost by hand
	h, err := officer.Hash("balai desa operator", officer.DefaultParams)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if ok, _ := officer.Verify("balai desa operator", h); !ok {
			b.Fatal("no match")
		}
		if _, _, err := n.Login(ctx, "operator1", "balai desa operator", officer.Token, "127.0.0.1"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSerialHTTP is one client at a time through the HTTP API:
// node's BenchmarkSerialStoreCreate is the same work without HTTP.
func BenchmarkSerialHTTP(b *testing.B) {
	_, srv := openTestNode(b)
	hire(b, srv.URL)
	body, _ := jsonBody(sampleComplaint())
	client := &http.Client{Transport: demo.Transport(officer.Operator, nil)}
	for i := 0; i < b.N; i++ {
		resp, err := client.Post(srv.URL+"/api/v1/complaints", "application/json", bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}
