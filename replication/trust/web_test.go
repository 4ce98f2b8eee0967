package trust

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"strings"
	"testing"
	"time"
)

func webAuthority(t *testing.T, secret string) *WebAuthority {
	t.Helper()
	a, err := DeriveWeb(secret)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// Every member derives the same HTTPS CA key from the cluster secret (so
// one pin fits every member, after every restart); another secret gives
// another key; a bad secret is refused.
func TestWebPinIsDeterministic(t *testing.T) {
	s := NewSecret()
	a, b := webAuthority(t, s), webAuthority(t, s)
	if a.Pin() != b.Pin() {
		t.Fatal("two derivations from one secret have different pins")
	}
	if a.Pin() == webAuthority(t, NewSecret()).Pin() {
		t.Fatal("two secrets gave one pin")
	}
	if _, err := DeriveWeb("short"); !errors.Is(err, ErrSecret) {
		t.Fatalf("DeriveWeb(short): %v", err)
	}
	if !strings.Contains(string(a.CertPEM()), "BEGIN CERTIFICATE") {
		t.Fatal("CertPEM is not PEM")
	}
}

// A desa that pins its upstream's CA accepts any leaf that CA issued (a
// member's, a restarted member's, whatever its host name or the laptop's
// clock) and refuses a leaf of any other CA with ErrUpstreamCert, even one
// the system would trust for another name.
func TestUpstreamPinned(t *testing.T) {
	secret := NewSecret()
	ca := webAuthority(t, secret)
	now := time.Now()
	serverFor := func(a *WebAuthority, at time.Time) *tls.Config {
		leaf, err := a.Issue([]string{"kecamatan.example"}, at)
		if err != nil {
			t.Fatal(err)
		}
		return &tls.Config{Certificates: []tls.Certificate{leaf}}
	}
	client := func(pin Pin, roots *x509.CertPool, name string) *tls.Config {
		c := UpstreamConfig(pin, roots)
		c.ServerName = name
		return c
	}
	// The pin alone: any name, another member's derivation of the CA, a
	// leaf the laptop's clock thinks expired.
	other := webAuthority(t, secret)
	for _, srv := range []*tls.Config{serverFor(ca, now), serverFor(other, now), serverFor(ca, now.Add(-400*24*time.Hour))} {
		if _, _, err := handshake(t, srv, client(ca.Pin(), x509.NewCertPool(), "10.0.0.9")); err != nil {
			t.Fatalf("pinned handshake: %v", err)
		}
	}
	// Another CA: refused, with the error the uplink shows in words.
	stranger := webAuthority(t, NewSecret())
	_, _, err := handshake(t, serverFor(stranger, now), client(ca.Pin(), x509.NewCertPool(), "kecamatan.example"))
	if !errors.Is(err, ErrUpstreamCert) {
		t.Fatalf("stranger's certificate: %v, want ErrUpstreamCert", err)
	}
	// Without a pin (an upstream with a public CA's certificate), the
	// roots and the host name decide.
	roots := x509.NewCertPool()
	roots.AddCert(stranger.cert)
	if _, _, err := handshake(t, serverFor(stranger, now), client(Pin{}, roots, "kecamatan.example")); err != nil {
		t.Fatalf("valid under roots: %v", err)
	}
	if _, _, err := handshake(t, serverFor(stranger, now), client(Pin{}, roots, "elsewhere.example")); !errors.Is(err, ErrUpstreamCert) {
		t.Fatalf("wrong host name: %v, want ErrUpstreamCert", err)
	}
	// A pinned desa whose upstream moved to a certificate valid for its
	// name under the roots keeps syncing.
	if _, _, err := handshake(t, serverFor(stranger, now), client(ca.Pin(), roots, "kecamatan.example")); err != nil {
		t.Fatalf("pinned desa, upstream with a valid certificate of another CA: %v", err)
	}
}

func TestEnrollTokenRoundTrip(t *testing.T) {
	pin := webAuthority(t, NewSecret()).Pin()
	for _, tok := range []EnrollToken{{Secret: "lmb_0123456789ABCDEFGHJKMNPQRS"}, {Secret: "lmb_0123456789ABCDEFGHJKMNPQRS", Pin: pin}} {
		got, err := ParseEnrollToken("  " + tok.String() + "\n")
		if err != nil || got != tok {
			t.Fatalf("%s read as %+v, %v", tok, got, err)
		}
	}
	for _, bad := range []string{"", "lmb_", "xyz_0123456789ABCDEFGHJKMNPQRS", "lmb_0123456789ABCDEFGHJKMNPQRI",
		"lmb_0123456789ABCDEFGHJKMNPQRS.", "lmb_0123456789ABCDEFGHJKMNPQRS." + pin.String()[1:],
		"lmb_0123456789ABCDEFGHJKMNPQRS." + Pin{}.String(), "lmb_0123456789ABCDEFGHJKMNPQRS." + pin.String() + ".x"} {
		if _, err := ParseEnrollToken(bad); !errors.Is(err, ErrEnrollToken) {
			t.Errorf("ParseEnrollToken(%q): %v, want ErrEnrollToken", bad, err)
		}
	}
}

// FuzzParseEnrollToken: whatever an officer pastes, the parser answers
// with a token that prints back the same or ErrEnrollToken, never a panic.
func FuzzParseEnrollToken(f *testing.F) {
	f.Add("lmb_0123456789ABCDEFGHJKMNPQRS")
	f.Add("lmb_0123456789ABCDEFGHJKMNPQRS.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
	f.Add("lmb_.")
	f.Fuzz(func(t *testing.T, s string) {
		tok, err := ParseEnrollToken(s)
		if err != nil {
			if !errors.Is(err, ErrEnrollToken) {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		if tok.String() != strings.TrimSpace(s) {
			t.Fatalf("%q read as %q", s, tok.String())
		}
	})
}
