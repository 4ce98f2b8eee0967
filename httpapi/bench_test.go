package httpapi

import (
	"bytes"
	"io"
	"net/http"
	"testing"
)

// BenchmarkIntakeHTTP takes complaints through the HTTP API of an
// in-process node on a real loopback server, from parallel clients
// (-cpu sets GOMAXPROCS; SetParallelism(8) gives 8 clients per proc).
// node's BenchmarkStoreCreate is the same work without HTTP.
func BenchmarkIntakeHTTP(b *testing.B) {
	_, srv := openTestNode(b)
	body, _ := jsonBody(sampleComplaint())
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := client.Post(srv.URL+"/api/v1/complaints", "application/json", bytes.NewReader(body))
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
		}
	})
}

// BenchmarkSerialHTTP is one client at a time through the HTTP API:
// node's BenchmarkSerialStoreCreate is the same work without HTTP.
func BenchmarkSerialHTTP(b *testing.B) {
	_, srv := openTestNode(b)
	body, _ := jsonBody(sampleComplaint())
	client := &http.Client{}
	for i := 0; i < b.N; i++ {
		resp, err := client.Post(srv.URL+"/api/v1/complaints", "application/json", bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}
