package client

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/lumbung/lumbung/schema"
)

// TestErrors: a refusal in the API's error shape comes back as an *Error
// matching the sentinel of its status; one in another shape keeps the
// start of its body; a node nobody serves is ErrUnreachable; a body that
// is not the JSON expected is ErrBadAnswer.
func TestErrors(t *testing.T) {
	mux := http.NewServeMux()
	refuse := func(status int, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Accept-Language") != "en" {
				t.Errorf("Accept-Language %q, want en", r.Header.Get("Accept-Language"))
			}
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
		}
	}
	mux.Handle("GET /api/v1/complaints/missing", refuse(404, `{"error":{"code":"not_found","message":"Not found on this node."}}`))
	mux.Handle("POST /api/v1/complaints", refuse(422, `{"error":{"code":"invalid_input","message":"The data is not valid.","fields":{"title":"required","category":"unknown"}}}`))
	mux.Handle("POST /api/v1/complaints/x/actions", refuse(503, `{"error":{"code":"unknown_outcome","message":"The leader changed."}}`))
	mux.Handle("GET /api/v1/node", refuse(502, "<html>bad gateway</html>"))
	mux.Handle("GET /api/v1/sync/status", refuse(200, "not json"))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c, err := New(srv.URL+"/", Options{Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	_, err = c.Complaint(ctx, "missing")
	var ae *Error
	if !errors.Is(err, ErrNotFound) || !errors.As(err, &ae) || ae.Code != "not_found" || err.Error() != "Not found on this node." {
		t.Errorf("404: %v", err)
	}
	_, err = c.CreateComplaint(ctx, &schema.ComplaintInput{})
	if !errors.Is(err, ErrInvalid) || err.Error() != "The data is not valid.\n  category: unknown\n  title: required" {
		t.Errorf("422: %q", err)
	}
	_, err = c.Act(ctx, "x", &schema.ActionInput{})
	if !errors.Is(err, ErrUnavailable) || !errors.Is(err, ErrUnknownOutcome) {
		t.Errorf("503 unknown_outcome: %v", err)
	}
	_, err = c.Node(ctx)
	if !errors.Is(err, ErrServer) || !errors.As(err, &ae) || ae.Message != "" || !strings.Contains(ae.Body, "bad gateway") {
		t.Errorf("502 in HTML: %v", err)
	}
	_, err = c.SyncStatus(ctx)
	if !errors.Is(err, ErrBadAnswer) {
		t.Errorf("a body that is not JSON: %v", err)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	gone, _ := New("http://"+addr, Options{})
	var te *TransportError
	if err := gone.SyncNow(ctx); !errors.Is(err, ErrUnreachable) || !errors.As(err, &te) || te.Base != "http://"+addr {
		t.Errorf("nobody listening: %v", err)
	}
	if _, err := New("127.0.0.1:8080", Options{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("a base without a scheme: %v", err)
	}
}

// TestKeep: a kept copy stores the answer as the node sent it, and the
// typed value decoded from it; the original keeps nothing.
func TestKeep(t *testing.T) {
	const body = `{"id":"3214022001-AB","status":"received","title":"Jalan rusak"}` + "\n"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/complaints/3214022001-AB" {
			t.Errorf("path %s", r.URL.Path)
		}
		_, _ = w.Write([]byte(body))
	}))
	defer srv.Close()
	c, _ := New(srv.URL, Options{})
	var raw []byte
	x, err := c.Keep(&raw).Complaint(context.Background(), "3214022001-AB")
	if err != nil || x.ID != "3214022001-AB" || x.Status != "received" || string(raw) != body {
		t.Fatalf("got %+v, %v, raw %q", x, err, raw)
	}
	if c.keep != nil {
		t.Fatal("Keep changed the original")
	}
}
