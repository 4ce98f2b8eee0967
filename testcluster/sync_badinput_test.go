package testcluster

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"io"
	"net/http"
	"testing"

	"github.com/lumbung/lumbung/localcluster"
	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/replication/exchange"
	"github.com/lumbung/lumbung/replication/wire"
	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/schema/sample"
)

// TestExchangeRefusals: every kind of bad exchange gets a clear 4xx with
// its code, and changes nothing upstream; a replayed request applies
// nothing twice.
func TestExchangeRefusals(t *testing.T) {
	kec := NewCluster(t, 1, ClusterOptions{})
	url := kec.Members[0].URL
	const region = schema.Code("32.14.02.2001")
	token, err := localcluster.Enroll(url, region)
	if err != nil {
		t.Fatal(err)
	}
	revoked, err := localcluster.Enroll(url, "32.14.02.2002")
	if err != nil {
		t.Fatal(err)
	}
	if err := postJSON(url+"/api/v1/sync/tokens/32.14.02.2002/revoke", nil); err != nil {
		t.Fatal(err)
	}
	changes := desaChanges(t, region, 5)
	origin := changes[0].Origin
	hello := wire.Hello{Version: wire.Version, Origin: origin, Dicts: wire.Dictionaries(),
		Catalogue: monografi.BuiltinVersion}
	good := exchangeBody(t, hello, &wire.Batch{Last: 5, Changes: changes})
	other := desaChanges(t, "32.14.02.2003", 1)

	kst := kec.Members[0].Node().Store()
	before, _ := kst.StateDigest()
	for name, tc := range map[string]struct {
		token  string
		body   []byte
		status int
		code   string
	}{
		"no token":          {"", good, 401, "bad_token"},
		"unknown token":     {"lmb_NOTATOKEN", good, 401, "bad_token"},
		"revoked token":     {revoked, good, 401, "bad_token"},
		"protocol version":  {token, exchangeBody(t, with(hello, func(h *wire.Hello) { h.Version = 99 }), nil), 409, "protocol_version"},
		"catalogue version": {token, exchangeBody(t, with(hello, func(h *wire.Hello) { h.Catalogue = 99 }), nil), 409, "catalogue_version"},
		"unknown dictionary": {token, rewriteFrame(t, good, 1, true, func(f []byte) {
			binary.BigEndian.PutUint16(f[5:], 77)
		}), 400, "unknown_dictionary"},
		"bad crc":         {token, rewriteFrame(t, good, 1, false, func(f []byte) { f[len(f)-2] ^= 1 }), 400, "damaged_frame"},
		"truncated body":  {token, good[:len(good)-40], 400, "truncated"},
		"garbage body":    {token, []byte("{\"hello\": \"world\"} and then some text"), 400, "damaged_frame"},
		"empty body":      {token, nil, 400, "truncated"},
		"another desa":    {token, exchangeBody(t, with(hello, func(h *wire.Hello) { h.Origin = other[0].Origin }), nil), 403, "out_of_scope"},
		"change of scope": {token, exchangeBody(t, hello, &wire.Batch{Last: 1, Changes: other}), 403, "out_of_scope"},
	} {
		status, code := postExchange(t, url, tc.token, tc.body)
		if status != tc.status || code != tc.code {
			t.Errorf("%s: %d %q, want %d %q", name, status, code, tc.status, tc.code)
		}
	}
	if after, _ := kst.StateDigest(); after != before {
		t.Fatal("a refused exchange changed the kecamatan's state")
	}
	// The good request, then the same bytes again (a replayed request).
	for i := 0; i < 2; i++ {
		if status, code := postExchange(t, url, token, good); status != 200 {
			t.Fatalf("delivery %d: %d %s", i+1, status, code)
		}
	}
	rep, err := kst.Check()
	if err != nil || rep.LogEntries-rep.LocalChanges != 5 { // beside the kecamatan's own (its key)
		t.Fatalf("after a replay the kecamatan holds %+v, %v; want 5 changes once", rep, err)
	}
	// A frame without changes cannot move the acknowledged position (an
	// uplink never sends one; the review's ack poisoning did).
	if status, code := postExchange(t, url, token, exchangeBody(t, with(hello, func(h *wire.Hello) { h.From = 5 }),
		&wire.Batch{Last: 9})); status != 409 || code != "sequence_gap" {
		t.Fatalf("empty frame: %d %s, want 409 sequence_gap", status, code)
	}
	if acked, err := kst.LinkAcked(origin); err != nil || acked != 5 {
		t.Fatalf("acknowledged position after an empty frame: %d %v, want 5 as it was", acked, err)
	}
	for _, l := range kec.Members[0].Node().SyncStatus().Below {
		if l.Region == string(region) && (l.ChangesApplied != 5 || l.ChangesDuplicate != 5) {
			t.Fatalf("link counts %+v, want 5 applied then 5 held", l)
		}
	}
}

func with(h wire.Hello, f func(*wire.Hello)) wire.Hello { f(&h); return h }

// desaChanges takes n complaints at a desa store of its own and returns
// its changes.
func desaChanges(t *testing.T, region schema.Code, n int) []*schema.Change {
	st, err := openCorpusStore(t.TempDir(), region, Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	gen := sample.New(5)
	for i := 0; i < n; i++ {
		if _, err := st.CreateComplaint(context.Background(), gen.Complaint(region)); err != nil {
			t.Fatal(err)
		}
	}
	cs, _, err := st.LogRange(0, n)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func exchangeBody(t *testing.T, h wire.Hello, b *wire.Batch) []byte {
	var buf bytes.Buffer
	w, err := wire.NewWriter(&buf, 1)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = w.WriteJSON(wire.KindHello, h)
	frames := 0
	if b != nil {
		if _, err := w.WriteBatch(b); err != nil {
			t.Fatal(err)
		}
		frames++
	}
	_, _ = w.WriteJSON(wire.KindEnd, wire.End{Frames: frames})
	return buf.Bytes()
}

// rewriteFrame changes frame i of body with f and, when fixCRC, makes its
// CRC match again, so the frame is well formed but says something else.
func rewriteFrame(t *testing.T, body []byte, i int, fixCRC bool, f func([]byte)) []byte {
	out := bytes.Clone(body)
	off := 0
	for ; i > 0; i-- {
		off += 4 + int(binary.BigEndian.Uint32(out[off:]))
	}
	size := 4 + int(binary.BigEndian.Uint32(out[off:]))
	frame := out[off : off+size]
	f(frame)
	if fixCRC {
		tab := crc32.MakeTable(crc32.Castagnoli)
		binary.BigEndian.PutUint32(frame[7:], crc32.Update(crc32.Checksum(frame[4:7], tab), tab, frame[wire.HeaderBytes:]))
	}
	return out
}

func postExchange(t *testing.T, url, token string, body []byte) (int, string) {
	req, _ := http.NewRequest(http.MethodPost, url+exchange.Path, bytes.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == 200 {
		return 200, ""
	}
	var e struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(raw, &e); err != nil || e.Error.Message == "" {
		t.Errorf("status %d without a plain error: %s", resp.StatusCode, raw)
	}
	return resp.StatusCode, e.Error.Code
}

// postJSON posts v to url as the node's admin.
func postJSON(url string, v any) error {
	b, _ := json.Marshal(v)
	resp, err := as(officer.Admin).Post(url, "application/json", bytes.NewReader(b))
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		return &httpStatusError{resp.StatusCode}
	}
	return nil
}

type httpStatusError struct{ status int }

func (e *httpStatusError) Error() string { return http.StatusText(e.status) }
