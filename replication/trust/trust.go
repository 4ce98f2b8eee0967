// Package trust is how the members of a regional cluster prove to each
// other who they are, and how a new member learns that the cluster it
// joins is the one its admin meant.
//
// Every member holds the cluster's secret (32 random bytes, made when the
// first member bootstraps; node.MemberKeyFile). The cluster's certificate
// authority is derived from it: an Ed25519 key from HKDF-SHA256 of the
// secret, and a self-signed certificate whose every field is fixed, so
// every member derives the same CA, byte for byte, with no file to copy
// and no network step (a cluster made before members had certificates
// gets them on its first start after the upgrade, from the secret it
// already shares). Each member issues itself a fresh leaf certificate at
// every start (Authority.Issue): its member ID as a URI name, ServerName
// as its DNS name, a key that never touches the disk.
//
// Members speak mutual TLS 1.3 on the raft port, choosing by ALPN what
// the connection carries (ProtoRaft, ProtoMember, ProtoJoin). A stranger
// without a certificate of this CA fails at the handshake. A member ID is
// checked: the peer's certificate must name the ID the dialler expects,
// so a member never forwards a write to anyone but the member raft names.
//
// A new member joins with a join token (JoinToken) an admin issues: the
// CA certificate's SHA-256 fingerprint and a one-time secret, in the
// manner of kubeadm's --discovery-token-ca-cert-hash. It dials a member
// with JoinConfig, which accepts only a chain under the CA with that
// fingerprint, shows the secret and receives the cluster's secret.
//
// The HTTPS that officers' browsers and the nodes below reach is served
// under a second CA derived from the same secret (WebAuthority, ECDSA
// P-256); the nodes below pin its key (Pin), carried in the enrolment
// token `lumbung enroll` prints (EnrollToken), and dial with
// UpstreamConfig.
//
// Pitfalls kept here: Chromium cannot verify Ed25519 certificates, so
// the members' CA is for members (Go on both ends) and never for a
// browser; and
// the derivation's inputs (info string, template) must never change, or
// members of different releases stop trusting each other.
package trust

import (
	"crypto"
	"crypto/ed25519"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"time"
)

// The protocols a member's raft port speaks, negotiated by ALPN.
const (
	// ProtoRaft is hashicorp/raft's own RPCs; both ends are members.
	ProtoRaft = "lumbung-raft/1"
	// ProtoMember is the members' HTTP endpoints (propose, readindex,
	// join, remove); both ends are members.
	ProtoMember = "lumbung-member/1"
	// ProtoJoin is a member-to-be showing a join token; it has no
	// certificate yet and reaches nothing but the enrolment endpoint.
	ProtoJoin = "lumbung-join/1"
)

// ServerName is the DNS name every member certificate carries and every
// member dials another by: members are told apart by their URI (the
// member ID), not by host names, which a member may not know it has.
const ServerName = "member.lumbung.invalid"

// Errors of the package.
var (
	// ErrSecret means a cluster secret is malformed.
	ErrSecret = errors.New("trust: not a cluster secret")
	// ErrJoinToken means a join token is malformed.
	ErrJoinToken = errors.New("trust: not a join token")
	// ErrNotMember means a peer's certificate is not a member's of this
	// cluster, or names another member than the one expected.
	ErrNotMember = errors.New("trust: peer is not the expected member")
)

// NewSecret returns a new cluster secret: 32 random bytes, base64url.
func NewSecret() string {
	return base64.RawURLEncoding.EncodeToString(random(32))
}

// ValidSecret says whether s is a cluster secret.
func ValidSecret(s string) bool {
	b, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil && len(b) == 32
}

func random(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("trust: no randomness: " + err.Error())
	}
	return b
}

// Fingerprint is the SHA-256 of a certificate's DER bytes.
type Fingerprint [32]byte

// Of returns the fingerprint of a DER certificate.
func Of(der []byte) Fingerprint { return sha256.Sum256(der) }

// String is the fingerprint as people compare it: sha256:hex.
func (f Fingerprint) String() string { return "sha256:" + hex.EncodeToString(f[:]) }

// Authority is a cluster's CA, derived from its secret.
type Authority struct {
	cert *x509.Certificate
	key  ed25519.PrivateKey
	pool *x509.CertPool
}

// caInfo and caTemplate fix the derivation: changing either makes a new
// CA that members of older releases do not trust.
const caInfo = "lumbung cluster ca v1"

func caTemplate() *x509.Certificate { return authorityTemplate("Lumbung cluster CA") }

// authorityTemplate is the fixed template of a CA derived from the
// cluster secret: every field but the name is the same for both.
func authorityTemplate(name string) *x509.Certificate {
	return &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: name, Organization: []string{"Lumbung"}},
		NotBefore:             time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:              time.Date(2125, 1, 1, 0, 0, 0, 0, time.UTC),
		IsCA:                  true,
		BasicConstraintsValid: true,
		MaxPathLenZero:        true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
}

// Derive returns the CA of the cluster whose secret is secret. It is
// deterministic: every member derives the same certificate.
func Derive(secret string) (*Authority, error) {
	raw, err := base64.RawURLEncoding.DecodeString(secret)
	if err != nil || len(raw) != 32 {
		return nil, ErrSecret
	}
	seed, err := hkdf.Key(sha256.New, raw, nil, caInfo, ed25519.SeedSize)
	if err != nil {
		return nil, fmt.Errorf("trust: derive: %w", err)
	}
	key := ed25519.NewKeyFromSeed(seed)
	cert, err := selfSign(caTemplate(), key)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &Authority{cert: cert, key: key, pool: pool}, nil
}

// Fingerprint is the CA certificate's fingerprint, which join tokens carry.
func (a *Authority) Fingerprint() Fingerprint { return Of(a.cert.Raw) }

// selfSign makes the self-signed CA certificate of tmpl with key.
func selfSign(tmpl *x509.Certificate, key crypto.Signer) (*x509.Certificate, error) {
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, fmt.Errorf("trust: derive: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("trust: derive: %w", err)
	}
	return cert, nil
}

// leafLifetime is how long a member's certificate is valid. A member
// issues itself a new one at every start, so it never needs renewing in
// place; ten years outlast any server between restarts.
const leafLifetime = 10 * 365 * 24 * time.Hour

// Issue returns a new certificate, with a new key, for the member id (its
// URL), valid for servers and clients, its chain holding the CA.
func (a *Authority) Issue(id string, now time.Time) (tls.Certificate, error) {
	u, err := url.Parse(id)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return tls.Certificate{}, fmt.Errorf("%w: member id %q is not a URL", ErrNotMember, id)
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("trust: member key: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: new(big.Int).SetBytes(random(16)),
		Subject:      pkix.Name{CommonName: id, Organization: []string{"Lumbung"}},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(leafLifetime),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		DNSNames:     []string{ServerName},
		URIs:         []*url.URL{u},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, a.cert, pub, a.key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("trust: issue: %w", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("trust: issue: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{der, a.cert.Raw}, PrivateKey: priv, Leaf: leaf}, nil
}

// ServerConfig is the raft port's TLS: members must show a certificate of
// this CA; a member-to-be may connect without one, for ProtoJoin only
// (the caller checks Peer and the protocol after the handshake).
func (a *Authority) ServerConfig(leaf tls.Certificate) *tls.Config {
	return &tls.Config{
		MinVersion:   tls.VersionTLS13,
		Certificates: []tls.Certificate{leaf},
		ClientAuth:   tls.VerifyClientCertIfGiven,
		ClientCAs:    a.pool,
		NextProtos:   []string{ProtoRaft, ProtoMember, ProtoJoin},
	}
}

// ClientConfig is the TLS of a member dialling another for proto. The
// peer must hold a certificate of this CA and, unless want is "", name
// the member ID want.
func (a *Authority) ClientConfig(leaf tls.Certificate, proto, want string) *tls.Config {
	return &tls.Config{
		MinVersion:   tls.VersionTLS13,
		Certificates: []tls.Certificate{leaf},
		RootCAs:      a.pool,
		ServerName:   ServerName,
		NextProtos:   []string{proto},
		VerifyConnection: func(cs tls.ConnectionState) error {
			if cs.NegotiatedProtocol != proto {
				return fmt.Errorf("%w: it does not speak %s", ErrNotMember, proto)
			}
			if id, _ := Peer(cs); want != "" && id != want {
				return fmt.Errorf("%w: %s answered as %q", ErrNotMember, want, id)
			}
			return nil
		},
	}
}

// Peer returns the member ID a verified peer certificate names; ok is
// false when the peer showed no certificate this CA verified.
func Peer(cs tls.ConnectionState) (id string, ok bool) {
	if len(cs.VerifiedChains) == 0 || len(cs.VerifiedChains[0]) == 0 {
		return "", false
	}
	leaf := cs.VerifiedChains[0][0]
	if len(leaf.URIs) != 1 {
		return "", false
	}
	return leaf.URIs[0].String(), true
}

// JoinConfig is the TLS of a member-to-be that dials a member with a join
// token: it shows no certificate, and accepts the member's only if its
// chain holds a CA certificate with the token's fingerprint that signed
// it. Host names are not checked: the fingerprint names the cluster.
func JoinConfig(ca Fingerprint) *tls.Config {
	return &tls.Config{
		MinVersion:         tls.VersionTLS13,
		InsecureSkipVerify: true, // verified below, against the fingerprint
		ServerName:         ServerName,
		NextProtos:         []string{ProtoJoin},
		VerifyConnection: func(cs tls.ConnectionState) error {
			return verifyPinned(cs.PeerCertificates, ca)
		},
	}
}

// verifyPinned checks that chain's leaf was issued under a CA certificate
// in chain whose fingerprint is ca.
func verifyPinned(chain []*x509.Certificate, ca Fingerprint) error {
	if len(chain) == 0 {
		return fmt.Errorf("%w: no certificate", ErrNotMember)
	}
	for _, c := range chain[1:] {
		if Of(c.Raw) != ca {
			continue
		}
		roots := x509.NewCertPool()
		roots.AddCert(c)
		_, err := chain[0].Verify(x509.VerifyOptions{Roots: roots, DNSName: ServerName,
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
		if err != nil {
			return fmt.Errorf("%w: %w", ErrNotMember, err)
		}
		return nil
	}
	return fmt.Errorf("%w: its certificate authority is not %s, the one the join token names", ErrNotMember, ca)
}
