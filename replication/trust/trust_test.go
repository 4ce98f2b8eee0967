package trust

import (
	"bytes"
	"crypto/tls"
	"errors"
	"net"
	"strings"
	"testing"
	"time"
)

func authority(t *testing.T) (string, *Authority) {
	t.Helper()
	s := NewSecret()
	a, err := Derive(s)
	if err != nil {
		t.Fatal(err)
	}
	return s, a
}

// Every member derives the same CA from the secret, byte for byte, and
// another secret gives another CA.
func TestDeriveIsDeterministic(t *testing.T) {
	s, a := authority(t)
	b, err := Derive(s)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.cert.Raw, b.cert.Raw) {
		t.Fatal("two derivations from one secret differ")
	}
	_, c := authority(t)
	if a.Fingerprint() == c.Fingerprint() {
		t.Fatal("two secrets gave one CA")
	}
	for _, bad := range []string{"", "short", strings.Repeat("A", 44)} {
		if _, err := Derive(bad); !errors.Is(err, ErrSecret) {
			t.Errorf("Derive(%q): %v, want ErrSecret", bad, err)
		}
	}
}

// handshake runs a TLS handshake between server and client configs over
// loopback and returns both sides' states, or the first error.
func handshake(t *testing.T, server, client *tls.Config) (srv, cli tls.ConnectionState, err error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	type result struct {
		cs  tls.ConnectionState
		err error
	}
	got := make(chan result, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			got <- result{err: err}
			return
		}
		defer c.Close()
		tc := tls.Server(c, server)
		_ = tc.SetDeadline(time.Now().Add(10 * time.Second))
		err = tc.Handshake()
		if err == nil { // TLS 1.3: the server learns of a refused certificate on its first read
			_, err = tc.Read(make([]byte, 1))
		}
		got <- result{tc.ConnectionState(), err}
	}()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	tc := tls.Client(conn, client)
	_ = tc.SetDeadline(time.Now().Add(10 * time.Second))
	cerr := tc.Handshake()
	if cerr == nil {
		_, cerr = tc.Write([]byte{1})
	}
	cli = tc.ConnectionState()
	tc.Close()
	r := <-got
	if cerr != nil {
		return r.cs, cli, cerr
	}
	return r.cs, cli, r.err
}

// Two members of one cluster verify each other and see each other's IDs;
// a member of another cluster, or one claiming another ID, is refused.
func TestMutualTLS(t *testing.T) {
	_, a := authority(t)
	now := time.Now()
	m1, err := a.Issue("http://10.0.0.1:8080", now)
	if err != nil {
		t.Fatal(err)
	}
	m2, _ := a.Issue("http://10.0.0.2:8080", now)
	srv, cli, err := handshake(t, a.ServerConfig(m1), a.ClientConfig(m2, ProtoRaft, "http://10.0.0.1:8080"))
	if err != nil {
		t.Fatal(err)
	}
	if id, ok := Peer(srv); !ok || id != "http://10.0.0.2:8080" || srv.NegotiatedProtocol != ProtoRaft {
		t.Errorf("server sees %q %v over %q", id, ok, srv.NegotiatedProtocol)
	}
	if id, _ := Peer(cli); id != "http://10.0.0.1:8080" {
		t.Errorf("client sees %q", id)
	}

	// The dialler expected another member at that address.
	if _, _, err := handshake(t, a.ServerConfig(m1), a.ClientConfig(m2, ProtoRaft, "http://10.0.0.3:8080")); !errors.Is(err, ErrNotMember) {
		t.Errorf("a member answering under another ID: %v", err)
	}
	// A member of another cluster, either way round.
	_, other := authority(t)
	stranger, _ := other.Issue("http://10.0.0.1:8080", now)
	if _, _, err := handshake(t, a.ServerConfig(m1), other.ClientConfig(stranger, ProtoRaft, "")); err == nil {
		t.Error("the server took a client of another cluster")
	}
	if _, _, err := handshake(t, other.ServerConfig(stranger), a.ClientConfig(m2, ProtoRaft, "")); err == nil {
		t.Error("the client took a server of another cluster")
	}
	// No certificate at all: TLS lets it through (for joins), with no
	// verified peer, which the raft port then refuses.
	srv, _, err = handshake(t, a.ServerConfig(m1), &tls.Config{InsecureSkipVerify: true, NextProtos: []string{ProtoRaft}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := Peer(srv); ok {
		t.Error("a client with no certificate counts as a member")
	}
}

// A member-to-be accepts only the cluster its join token names.
func TestJoinConfigPins(t *testing.T) {
	_, a := authority(t)
	m1, _ := a.Issue("http://10.0.0.1:8080", time.Now())
	srv, _, err := handshake(t, a.ServerConfig(m1), JoinConfig(a.Fingerprint()))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := Peer(srv); ok || srv.NegotiatedProtocol != ProtoJoin {
		t.Errorf("a member-to-be: verified %v, protocol %q", ok, srv.NegotiatedProtocol)
	}
	_, other := authority(t)
	if _, _, err := handshake(t, a.ServerConfig(m1), JoinConfig(other.Fingerprint())); !errors.Is(err, ErrNotMember) {
		t.Errorf("another cluster's fingerprint: %v", err)
	}
	// A server that sends a chain holding the right CA certificate over a
	// leaf it did not sign.
	forged, _ := other.Issue("http://10.0.0.1:8080", time.Now())
	forged.Certificate = [][]byte{forged.Certificate[0], a.cert.Raw}
	if _, _, err := handshake(t, other.ServerConfig(forged), JoinConfig(a.Fingerprint())); !errors.Is(err, ErrNotMember) {
		t.Errorf("a leaf under another CA beside this CA's certificate: %v", err)
	}
}

func TestJoinTokenRoundTrip(t *testing.T) {
	_, a := authority(t)
	tok := NewJoinToken(a.Fingerprint())
	got, err := ParseJoinToken("  " + tok.String() + "\n")
	if err != nil || got != tok {
		t.Fatalf("ParseJoinToken(String()) = %v, %v", got, err)
	}
	if !ValidHash(tok.Hash()) || tok.Hash() == NewJoinToken(a.Fingerprint()).Hash() {
		t.Error("hashes of two tokens")
	}
	s := tok.String()
	for _, bad := range []string{"", "lbj1.", "lbj2." + s[5:], s[:len(s)-1], s + "A", strings.Replace(s, ".", "", 2),
		s[:10] + "!" + s[11:]} {
		if _, err := ParseJoinToken(bad); !errors.Is(err, ErrJoinToken) {
			t.Errorf("ParseJoinToken(%q): %v", bad, err)
		}
	}
}

// FuzzParseJoinToken: whatever a person pastes, the parser answers with a
// token that prints back the same or ErrJoinToken, never a panic.
func FuzzParseJoinToken(f *testing.F) {
	_, a := func() (string, *Authority) { s := NewSecret(); a, _ := Derive(s); return s, a }()
	f.Add(NewJoinToken(a.Fingerprint()).String())
	f.Add("lbj1..")
	f.Add("lbj1.AAAA.BBBB")
	f.Fuzz(func(t *testing.T, s string) {
		tok, err := ParseJoinToken(s)
		if err != nil {
			if !errors.Is(err, ErrJoinToken) {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		if tok.String() != strings.TrimSpace(s) {
			t.Fatalf("%q read as %q", s, tok.String())
		}
	})
}
