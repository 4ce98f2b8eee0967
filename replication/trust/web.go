package trust

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/binary"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"strings"
	"time"
)

// The HTTPS side of a kecamatan or kabupaten: what its officers' browsers
// and the nodes below it reach over the network.
//
// A cluster's members serve HTTPS under a second CA derived from the same
// cluster secret (WebAuthority): ECDSA P-256, which every browser can
// verify, where the members' Ed25519 CA cannot be. Its key is fixed by
// the secret, but an ECDSA signature is not, so two members' copies of
// the CA certificate differ in their signature bytes: what the nodes
// below pin is therefore the CA's public key (Pin, the SHA-256 of its
// SubjectPublicKeyInfo, as HTTP public key pinning did), which is the
// same at every member, in every release, after every restart. Each
// member issues itself a fresh leaf at every start, so a restart is how
// the leaf rotates, and no node below notices.

// ErrUpstreamCert means the upstream showed a certificate that neither
// chains to the key its enrolment token pins nor is valid for its host
// name under the system's roots.
var ErrUpstreamCert = errors.New("trust: the upstream's certificate is not the one its token names")

// ErrEnrollToken means an enrolment token is malformed.
var ErrEnrollToken = errors.New("trust: not an enrolment token")

// Pin is the SHA-256 of a certificate authority's SubjectPublicKeyInfo.
type Pin [32]byte

// PinOf returns the pin of a certificate's public key.
func PinOf(c *x509.Certificate) Pin { return sha256.Sum256(c.RawSubjectPublicKeyInfo) }

// String is the pin as an enrolment token carries it: 43 characters of
// base64url.
func (p Pin) String() string { return base64.RawURLEncoding.EncodeToString(p[:]) }

// IsZero says whether p is no pin at all.
func (p Pin) IsZero() bool { return p == Pin{} }

// webInfo and webTemplate fix the HTTPS CA's derivation: changing either
// changes the pin every desa holds, and every desa stops syncing.
const webInfo = "lumbung https ca v1"

func webTemplate() *x509.Certificate { return authorityTemplate("Lumbung HTTPS CA") }

// WebAuthority is a cluster's HTTPS CA, derived from its secret.
type WebAuthority struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

// DeriveWeb returns the HTTPS CA of the cluster whose secret is secret.
// Its key, and so its Pin, is the same wherever it is derived.
func DeriveWeb(secret string) (*WebAuthority, error) {
	raw, err := base64.RawURLEncoding.DecodeString(secret)
	if err != nil || len(raw) != 32 {
		return nil, ErrSecret
	}
	// A P-256 scalar must be below the group order; about one 32-byte
	// string in 2^32 is not, and the next counter is taken then.
	var key *ecdsa.PrivateKey
	for i := uint32(0); key == nil; i++ {
		info := binary.BigEndian.AppendUint32([]byte(webInfo), i)
		scalar, err := hkdf.Key(sha256.New, raw, nil, string(info), 32)
		if err != nil {
			return nil, fmt.Errorf("trust: derive: %w", err)
		}
		key, _ = ecdsa.ParseRawPrivateKey(elliptic.P256(), scalar)
	}
	cert, err := selfSign(webTemplate(), key)
	if err != nil {
		return nil, err
	}
	return &WebAuthority{cert: cert, key: key}, nil
}

// Pin is what enrolment tokens carry for this CA.
func (a *WebAuthority) Pin() Pin { return PinOf(a.cert) }

// CertPEM is the CA certificate in PEM, for an admin who installs it in
// the office's browsers.
func (a *WebAuthority) CertPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: a.cert.Raw})
}

// webLeafLifetime stays under the 398 days browsers accept for a server
// certificate; a member running longer is given a new one (WebServer).
const webLeafLifetime = 397 * 24 * time.Hour

// Issue returns a new server certificate, with a new key, for hosts (host
// names or IP addresses), its chain holding the CA.
func (a *WebAuthority) Issue(hosts []string, now time.Time) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("trust: server key: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: new(big.Int).SetBytes(random(16)),
		Subject:      pkix.Name{CommonName: "Lumbung", Organization: []string{"Lumbung"}},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(webLeafLifetime),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	seen := map[string]bool{}
	for _, h := range append(hosts, "localhost", "127.0.0.1", "::1") {
		h = strings.Trim(h, "[]")
		if h == "" || seen[h] {
			continue
		}
		seen[h] = true
		if ip := net.ParseIP(h); ip != nil {
			if !ip.IsUnspecified() {
				tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
			}
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, a.cert, key.Public(), a.key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("trust: issue: %w", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("trust: issue: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{der, a.cert.Raw}, PrivateKey: key, Leaf: leaf}, nil
}

// UpstreamConfig is the TLS of a node below dialling its upstream. The
// upstream's certificate is accepted when its chain holds a certificate
// whose public key is pin and that key signed the leaf (host names are
// not checked: the pin names the cluster), or, failing that, when it is
// valid for the host dialled under roots (nil: the system's), as any
// HTTPS client checks it: an upstream that moved to a certificate of a
// public CA keeps its desa syncing. A zero pin leaves the second way
// alone. TLS sessions are resumed from a cache, so a reconnect over 2G
// does not carry the certificate chain again.
func UpstreamConfig(pin Pin, roots *x509.CertPool) *tls.Config {
	return &tls.Config{
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: true, // verified below, by pin or by roots
		ClientSessionCache: tls.NewLRUClientSessionCache(8),
		// X25519 alone: Go's default also offers the post-quantum hybrid
		// X25519MLKEM768, whose key shares add about 2.3 KB to every
		// handshake, a third of an idle desa's day over 2G for each
		// reconnect. Revisit when links are not metered by the kilobyte.
		CurvePreferences: []tls.CurveID{tls.X25519},
		VerifyConnection: func(cs tls.ConnectionState) error {
			return verifyUpstream(cs, pin, roots)
		},
	}
}

func verifyUpstream(cs tls.ConnectionState, pin Pin, roots *x509.CertPool) error {
	chain := cs.PeerCertificates
	if len(chain) == 0 {
		if cs.DidResume {
			return nil // verified when the session was made
		}
		return fmt.Errorf("%w: it showed no certificate", ErrUpstreamCert)
	}
	if !pin.IsZero() {
		for _, c := range chain {
			if PinOf(c) != pin {
				continue
			}
			if c == chain[0] {
				return nil // the pinned key is the server's own
			}
			// Under a pin the laptop's clock is not consulted: the pin,
			// not the time, says whom to trust, and a desa laptop whose
			// battery died wakes up in another year.
			at := chain[0].NotBefore
			if c.NotBefore.After(at) {
				at = c.NotBefore
			}
			pool := x509.NewCertPool()
			pool.AddCert(c)
			if _, err := chain[0].Verify(x509.VerifyOptions{Roots: pool, CurrentTime: at.Add(time.Second),
				KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}); err == nil {
				return nil
			}
		}
	}
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	_, err := chain[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, DNSName: cs.ServerName})
	if err == nil {
		return nil
	}
	if pin.IsZero() {
		return fmt.Errorf("%w: %w", ErrUpstreamCert, err)
	}
	return fmt.Errorf("%w: no key in its chain has the pin %s, and %w", ErrUpstreamCert, pin, err)
}
