package exchange

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestFailureRoundTrip: a refusal the server writes, in the one error
// shape, is what the uplink reads back: its code and its words in both
// languages (the server sends both, messages); an answer in the shape
// with one language gives English readers the code with its words; an
// upstream from before the one shape still gives its English words.
func TestFailureRoundTrip(t *testing.T) {
	srv := httptest.NewServer(&Server{R: nil})
	defer srv.Close()
	resp, err := http.Get(srv.URL + Path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	err = readFailure(resp.StatusCode, resp.Body)
	var f *Failure
	if !errors.As(err, &f) || f.Status != 405 || f.Code != "method" || f.Message != "gunakan POST" ||
		f.MessageEN != "use POST" {
		t.Fatalf("read back %#v (%v)", f, err)
	}
	err = readFailure(409, strings.NewReader(`{"error":{"code":"method","message":"gunakan POST"}}`))
	if !errors.As(err, &f) || f.Message != "gunakan POST" || f.MessageEN != "the upstream refused the exchange (method): gunakan POST" {
		t.Errorf("one language: %#v (%v)", f, err)
	}

	legacy := `{"error":{"code":"bad_token","message":"token tidak dikenal","message_en":"unknown or revoked token"}}`
	err = readFailure(401, strings.NewReader(legacy))
	if !errors.As(err, &f) || f.Code != "bad_token" || f.MessageEN != "unknown or revoked token" {
		t.Errorf("an older upstream's refusal: %#v (%v)", f, err)
	}
	err = readFailure(503, strings.NewReader(`{"error":{"code":"unavailable","message":"sibuk"}}`))
	if !errors.Is(err, ErrUnavailable) {
		t.Errorf("a 5xx refusal is not ErrUnavailable: %v", err)
	}
	if err := readFailure(502, strings.NewReader("<html>proxy</html>")); !errors.Is(err, ErrUnavailable) {
		t.Errorf("a body not in the shape: %v", err)
	}
}
