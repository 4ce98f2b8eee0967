package httpapi

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lumbung/lumbung/locale"

	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/replication/exchange"
	"github.com/lumbung/lumbung/replication/trust"
)

// serveReal serves n with Serve, as lumbung serve does (the sniffing
// listener included), on addr; it returns the port.
func serveReal(t *testing.T, n *node.Node, addr string) string {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, n, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

// member opens a one-member kecamatan cluster with cfg changed by edit.
func member(t testing.TB, edit func(*node.Config)) *node.Node {
	t.Helper()
	n, _ := serveTestMemberWith(t, edit)
	return n
}

// client dials with c and no keep-alive: every request a new handshake.
func client(c *tls.Config) *http.Client {
	return &http.Client{Timeout: 20 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport: &http.Transport{TLSClientConfig: c, DisableKeepAlives: true}}
}

// nonLoopback is an address of this machine that is not loopback, or "".
func nonLoopback() string {
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if ip, ok := a.(*net.IPNet); ok && ip.IP.To4() != nil && !ip.IP.IsLoopback() && !ip.IP.IsLinkLocalUnicast() {
			return ip.IP.String()
		}
	}
	return ""
}

// A kecamatan serves HTTPS under its cluster's CA on its one port: the
// token it prints pins that CA and a client holding the pin gets in; a
// session cookie set over HTTPS is Secure; a stranger that connects and
// says nothing holds up nobody; plain HTTP from this machine is served
// whole (the node's CLI); plain HTTP from another machine reaches only
// the sync exchange (a desa enrolled before HTTPS, counted) and
// /healthz, and is otherwise sent to https:// or refused, so no password
// or session ever crosses the network in clear.
func TestHTTPSPort(t *testing.T) {
	n := member(t, func(c *node.Config) { c.HTTPAddr = "0.0.0.0:8443" }) // on the office network
	port := serveReal(t, n, ":0")
	pw := waitLeader(t, n)
	printed, _, err := n.Enroll(t.Context(), "32.14.02.2001")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := trust.ParseEnrollToken(printed)
	if err != nil || tok.Pin.IsZero() {
		t.Fatalf("the printed token %q carries no pin: %v", printed, err)
	}
	pinned := client(trust.UpstreamConfig(tok.Pin, x509.NewCertPool()))
	secure := "https://127.0.0.1:" + port

	// A stranger that opens a connection and sends nothing.
	idle, err := net.Dial("tcp", "127.0.0.1:"+port)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()

	login := `{"name":"` + node.FirstAdmin + `","password":"` + pw + `"}`
	for _, tc := range []struct {
		c      *http.Client
		base   string
		secure bool
	}{{pinned, secure, true}, {&http.Client{Timeout: 20 * time.Second}, "http://127.0.0.1:" + port, false}} {
		resp, err := tc.c.Post(tc.base+"/api/v1/login", "application/json", strings.NewReader(login))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		cookies := resp.Cookies()
		if resp.StatusCode != 200 || len(cookies) == 0 || cookies[0].Secure != tc.secure {
			t.Fatalf("login at %s: %d, cookies %v, want Secure %v", tc.base, resp.StatusCode, cookies, tc.secure)
		}
	}
	// A second connection resumes the TLS session of the first: a desa
	// reconnecting over 2G does not receive the certificate chain again.
	for i, want := range []bool{false, true} {
		resp, err := pinned.Get(secure + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if i > 0 && resp.TLS.DidResume != want {
			t.Fatalf("connection %d resumed %v, want %v", i+1, resp.TLS.DidResume, want)
		}
	}
	// Another cluster's pin: refused at the handshake, in plain words.
	other := member(t, nil)
	otherPrinted, _, err := other.Enroll(t.Context(), "32.14.02.2001")
	if err == nil {
		otherTok, _ := trust.ParseEnrollToken(otherPrinted)
		_, err = client(trust.UpstreamConfig(otherTok.Pin, x509.NewCertPool())).Get(secure + "/healthz")
		if !errors.Is(err, trust.ErrUpstreamCert) {
			t.Fatalf("a client pinning another cluster: %v, want ErrUpstreamCert", err)
		}
	}

	ip := nonLoopback()
	if ip == "" {
		t.Log("no address but loopback here: plain HTTP from another machine is not tried")
		return
	}
	plain := "http://" + net.JoinHostPort(ip, port)
	plainSeen := func() float64 {
		mfs, err := n.Metrics().Gather()
		if err != nil {
			t.Fatal(err)
		}
		for _, mf := range mfs {
			if mf.GetName() == "lumbung_sync_plain_requests_total" {
				return mf.GetMetric()[0].GetCounter().GetValue()
			}
		}
		return 0
	}
	before := plainSeen()
	noFollow := &http.Client{Timeout: 20 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, tc := range []struct {
		method, path string
		status       int
		code         string
	}{
		{"POST", "/api/v1/login", 403, "https_required"},
		{"POST", "/api/v1/officers", 403, "https_required"},
		{"GET", "/api/v1/complaints", 308, ""},
		{"GET", "/metrics", 308, ""},
		{"POST", exchange.Path, 401, "bad_token"}, // reached: it asks for a token
		{"GET", "/healthz", 200, ""},
	} {
		req, _ := http.NewRequest(tc.method, plain+tc.path, strings.NewReader(login))
		req.Header.Set("Content-Type", "application/json")
		resp, err := noFollow.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var e locale.ErrorBody
		_ = json.NewDecoder(resp.Body).Decode(&e)
		resp.Body.Close()
		if status := resp.StatusCode; status != tc.status || e.Error.Code != tc.code {
			t.Errorf("plain %s %s from %s: %d %+v, want %d %s", tc.method, tc.path, ip, resp.StatusCode, e.Error, tc.status, tc.code)
		}
	}
	if got := plainSeen() - before; got != 1 {
		t.Errorf("plain sync exchanges counted: %v, want 1", got)
	}
	resp, err := noFollow.Get(plain + "/api/v1/complaints")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); loc != "https://"+net.JoinHostPort(ip, port)+"/api/v1/complaints" {
		t.Errorf("redirected to %q", loc)
	}
}

// waitLeader waits for a one-member cluster to lead, and gives it its
// first admin, whose one-time password it returns.
func waitLeader(t testing.TB, n *node.Node) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		pw, _, err := n.AddFirstAdmin(t.Context())
		if err == nil {
			return pw
		}
		if time.Now().After(deadline) {
			t.Fatal("no leader")
		}
		time.Sleep(20 * time.Millisecond) // a young cluster elects its leader
	}
}

// writePair writes a's new certificate for 127.0.0.1 and its key as PEM.
func writePair(t *testing.T, a *trust.WebAuthority, certPath, keyPath string) *x509.Certificate {
	t.Helper()
	c, err := a.Issue(nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var certPEM []byte
	for _, der := range c.Certificate {
		certPEM = append(certPEM, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})...)
	}
	key, err := x509.MarshalPKCS8PrivateKey(c.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	// The key first: a reload between the two writes finds a pair that
	// does not match and keeps the previous one.
	if err := os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: key}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(certPath, certPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	return c.Leaf
}

// A node given a real CA's certificate (--tls-cert, --tls-key) serves it,
// prints tokens with no pin (the node below checks the certificate as any
// HTTPS client does), serves a renewed certificate without a restart,
// and keeps the one it has when the files turn out broken.
func TestCertificateFilesReload(t *testing.T) {
	dir := t.TempDir()
	certPath, keyPath := filepath.Join(dir, "tls.crt"), filepath.Join(dir, "tls.key")
	ca, err := trust.DeriveWeb(trust.NewSecret())
	if err != nil {
		t.Fatal(err)
	}
	first := writePair(t, ca, certPath, keyPath)
	n := member(t, func(c *node.Config) { c.TLSCert, c.TLSKey = certPath, keyPath })
	port := serveReal(t, n, "127.0.0.1:0")
	waitLeader(t, n)
	printed, _, err := n.Enroll(t.Context(), "32.14.02.2001")
	if err != nil {
		t.Fatal(err)
	}
	if tok, err := trust.ParseEnrollToken(printed); err != nil || !tok.Pin.IsZero() {
		t.Fatalf("a node with a real CA's certificate printed %q (%v): want no pin", printed, err)
	}
	block, _ := pem.Decode(ca.CertPEM())
	root, _ := x509.ParseCertificate(block.Bytes)
	roots := x509.NewCertPool()
	roots.AddCert(root)
	c := client(&tls.Config{RootCAs: roots})
	served := func() *x509.Certificate {
		resp, err := c.Get("https://127.0.0.1:" + port + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.TLS.PeerCertificates[0]
	}
	if got := served(); !got.Equal(first) {
		t.Fatalf("served serial %v, want the files' %v", got.SerialNumber, first.SerialNumber)
	}
	second := writePair(t, ca, certPath, keyPath)
	deadline := time.Now().Add(20 * time.Second)
	for !served().Equal(second) {
		if time.Now().After(deadline) {
			t.Fatal("the renewed certificate is not served")
		}
		time.Sleep(50 * time.Millisecond) // the files are looked at once a second
	}
	if err := os.WriteFile(certPath, []byte("not a certificate"), 0o644); err != nil {
		t.Fatal(err)
	}
	until := time.Now().Add(2 * certCheck)
	for time.Now().Before(until) {
		if got := served(); !got.Equal(second) {
			t.Fatalf("after a broken renewal the node serves %v", got.SerialNumber)
		}
		time.Sleep(100 * time.Millisecond) // across at least one look at the files
	}
}

// certCheck is how often node looks at its certificate files (a second).
const certCheck = time.Second

// Connections still being sniffed when the listener closes (a node
// shutting down under load, as the fault suite does) are closed, and
// nothing panics or stays behind.
func TestSniffListenerClose(t *testing.T) {
	for range 20 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		l := newSniffListener(ln, &tls.Config{})
		var conns []net.Conn
		for range 10 {
			c, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			_, _ = c.Write([]byte("GET / HTTP/1.1\r\n"))
			conns = append(conns, c)
		}
		if c, err := l.Accept(); err == nil {
			c.Close()
		}
		l.Close()
		for _, c := range conns {
			_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
			if _, err := c.Read(make([]byte, 1)); err == nil {
				t.Fatal("a connection sniffed as the listener closed was served")
			}
			c.Close()
		}
		if _, err := l.Accept(); err == nil {
			t.Fatal("Accept after Close")
		}
	}
}
