package exchange

// Link faults: an upstream that commits and then loses or cuts its answer,
// or reads only part of a request, as a link that dies mid-exchange does.

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// serveRecorded lets the real Server answer r into a recorder, reading
// body instead of r's.
func (u *upstream) serveRecorded(r *http.Request, body io.Reader) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	r.Body = io.NopCloser(body)
	u.srv.ServeHTTP(rec, r)
	return rec
}

// cutConn takes the connection over from net/http, writes raw to it and
// closes it: the link died there.
func cutConn(t *testing.T, w http.ResponseWriter, raw []byte) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	_, _ = buf.Write(raw)
	_ = buf.Flush()
	_ = conn.Close()
}

// rawResponse is the response of rec as net/http would send it, up to
// keep bytes of its body.
func rawResponse(rec *httptest.ResponseRecorder, keep int) []byte {
	body := rec.Body.Bytes()
	head := fmt.Sprintf("HTTP/1.1 %d %s\r\nConnection: close\r\nContent-Length: %d\r\n\r\n", rec.Code, http.StatusText(rec.Code), len(body))
	return append([]byte(head), body[:min(keep, len(body))]...)
}

// loseResponse commits the request and loses the whole response.
func (u *upstream) loseResponse(w http.ResponseWriter, r *http.Request) {
	u.serveRecorded(r, r.Body)
	cutConn(u.t, w, nil)
}

// cutResponse commits the request and cuts the response after keep
// bytes of its body.
func (u *upstream) cutResponse(w http.ResponseWriter, r *http.Request, keep int) {
	cutConn(u.t, w, rawResponse(u.serveRecorded(r, r.Body), keep))
}

// cutRequest lets the Server read only the first keep bytes of the body,
// as if the link died there, and answers nothing.
func (u *upstream) cutRequest(w http.ResponseWriter, r *http.Request, keep int64) {
	u.serveRecorded(r, io.MultiReader(io.LimitReader(r.Body, keep), errReader{io.ErrUnexpectedEOF}))
	cutConn(u.t, w, nil)
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
