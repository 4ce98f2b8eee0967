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

	"github.com/lumbung/lumbung/locale"
)

// TestTooLargeIsReadable sends a body eight times the limit the way Python's
// urllib and many browsers do: the whole body first, then it reads the
// answer. The answer is a 413 in words, not a reset connection, and
// nothing is stored.
func TestTooLargeIsReadable(t *testing.T) {
	n, srv := openTestNode(t)
	before := storeDigest(t, n.Store())
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	body := append([]byte(`{"title":"`), bytes.Repeat([]byte("a"), 8<<20)...)
	body = append(body, `"}`...)
	head := fmt.Sprintf("POST /api/v1/complaints HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"+
		"Content-Length: %d\r\n\r\n", len(body))
	if _, err := conn.Write(append([]byte(head), body...)); err != nil {
		t.Fatalf("writing the whole body: %v", err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("reading the answer after the whole body: %v", err)
	}
	defer resp.Body.Close()
	var e locale.ErrorBody
	if err := json.NewDecoder(resp.Body).Decode(&e); err != nil || resp.StatusCode != 413 || e.Error.Code != "too_large" {
		t.Fatalf("answer %d %+v %v, want 413 too_large", resp.StatusCode, e.Error, err)
	}
	if storeDigest(t, n.Store()) != before {
		t.Fatal("a refused body changed the store")
	}
}
