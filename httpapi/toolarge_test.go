package httpapi

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	demo "github.com/lumbung/lumbung/internal/staff"
	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/officer"
)

// TestTooLargeIsReadable sends a body eight times the limit the way Python's
// urllib and many browsers do: the whole body first, then it reads the
// answer. The answer is a 413 in words for an operator, a 401 in words
// for a caller with no login, not a reset connection, and nothing is
// stored.
func TestTooLargeIsReadable(t *testing.T) {
	n, srv := openTestNode(t)
	hire(t, srv.URL)
	before := storeDigest(t, n.Store())
	for _, tc := range []struct {
		name, auth string
		status     int
		code       string
	}{
		{"an operator", "Authorization: Bearer " + demo.Lookup(srv.URL).Token(officer.Operator) + "\r\n", 413, "too_large"},
		{"no login", "", 401, "login_required"},
	} {
		conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
		body := append([]byte(`{"title":"`), bytes.Repeat([]byte("a"), 8<<20)...)
		body = append(body, `"}`...)
		head := fmt.Sprintf("POST /api/v1/complaints HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n%s"+
			"Content-Length: %d\r\n\r\n", tc.auth, len(body))
		if _, err := conn.Write(append([]byte(head), body...)); err != nil {
			t.Fatalf("%s: writing the whole body: %v", tc.name, err)
		}
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("%s: reading the answer after the whole body: %v", tc.name, err)
		}
		var e locale.ErrorBody
		if err := json.NewDecoder(resp.Body).Decode(&e); err != nil || resp.StatusCode != tc.status || e.Error.Code != tc.code {
			t.Fatalf("%s: answer %d %+v %v, want %d %s", tc.name, resp.StatusCode, e.Error, err, tc.status, tc.code)
		}
		resp.Body.Close()
	}
	if storeDigest(t, n.Store()) != before {
		t.Fatal("a refused body changed the store")
	}
}
