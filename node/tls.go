package node

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/url"
	"os"
	"sync"
	"time"

	"github.com/lumbung/lumbung/replication/trust"
)

// A kecamatan or kabupaten serves HTTPS on its HTTP and sync listeners:
// under its cluster's HTTPS CA (trust.WebAuthority, derived from the
// member key, so every member serves under the same key and the tokens it
// prints pin it), or with a certificate of a real CA from files
// (Config.TLSCert, Config.TLSKey), read again when they change, so a
// renewed certificate is served without a restart. Tokens of a node with
// such a certificate carry no pin: the nodes below check it as any HTTPS
// client does. A desa serves plain HTTP on loopback: its officer's
// browser is on the same laptop.

// webTLS is what the node's listeners serve.
type webTLS struct {
	config *tls.Config
	pin    trust.Pin // zero with a certificate from files
}

// openTLS makes the node's server TLS: from the files when configured,
// else from the cluster's member key (none on a desa without files).
func (n *Node) openTLS(memberKey string) error {
	c := &tls.Config{MinVersion: tls.VersionTLS12, NextProtos: []string{"http/1.1"}}
	switch {
	case n.cfg.TLSCert != "":
		files, err := loadCertFiles(n.cfg.TLSCert, n.cfg.TLSKey, n)
		if err != nil {
			return err
		}
		c.GetCertificate = files.get
		n.tls = &webTLS{config: c}
	case memberKey != "":
		ca, err := trust.DeriveWeb(memberKey)
		if err != nil {
			return fmt.Errorf("node: HTTPS authority: %w", err)
		}
		leaf := &derivedLeaf{ca: ca, hosts: n.cfg.hosts(), now: n.now}
		if _, err := leaf.get(nil); err != nil {
			return err
		}
		c.GetCertificate = leaf.get
		n.tls = &webTLS{config: c, pin: ca.Pin()}
	}
	return nil
}

// ServerTLS is the TLS the node's listeners serve, nil when they serve
// plain HTTP (a desa).
func (n *Node) ServerTLS() *tls.Config {
	if n.tls == nil {
		return nil
	}
	return n.tls.config
}

// printedToken is the enrolment token for a node below with sync token
// secret: with this node's pin, when it has one.
func (n *Node) printedToken(secret string) string {
	t := trust.EnrollToken{Secret: secret}
	if n.tls != nil {
		t.Pin = n.tls.pin
	}
	return t.String()
}

// hosts are the names and addresses the node is reached at, for its
// certificate: its listeners', its advertised URL's and the machine's
// name.
func (c *Config) hosts() []string {
	var out []string
	for _, addr := range []string{c.HTTPAddr, c.SyncAddr, c.RaftAddr} {
		if h, _, err := net.SplitHostPort(addr); err == nil {
			out = append(out, h)
		}
	}
	if u, err := url.Parse(c.Advertise); err == nil && u.Hostname() != "" {
		out = append(out, u.Hostname())
	}
	if h, err := os.Hostname(); err == nil {
		out = append(out, h)
	}
	// A listener on every address (0.0.0.0:8443) is reached at any of
	// them: an officer's browser on the office network types one.
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range addrs {
			if ip, ok := a.(*net.IPNet); ok && !ip.IP.IsLinkLocalUnicast() {
				out = append(out, ip.IP.String())
			}
		}
	}
	return out
}

// derivedLeaf is a member's certificate under the cluster's HTTPS CA,
// issued at start and again a month before it expires.
type derivedLeaf struct {
	ca    *trust.WebAuthority
	hosts []string
	now   func() time.Time

	mu   sync.Mutex
	cert *tls.Certificate
}

func (l *derivedLeaf) get(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if l.cert != nil && now.Add(30*24*time.Hour).Before(l.cert.Leaf.NotAfter) {
		return l.cert, nil
	}
	c, err := l.ca.Issue(l.hosts, now)
	if err != nil {
		return nil, err
	}
	l.cert = &c
	return l.cert, nil
}

// certFiles serves a certificate and key from files, read again when
// either changes; a pair that does not load (a renewal half written) is
// logged and the previous one kept.
type certFiles struct {
	certPath, keyPath string
	n                 *Node

	mu      sync.Mutex
	cert    *tls.Certificate
	stamp   [2]time.Time // the files' modification times when read
	checked time.Time
}

// certCheckEvery bounds how often the files are looked at: a handshake
// costs one stat of each at most once a second.
const certCheckEvery = time.Second

func loadCertFiles(certPath, keyPath string, n *Node) (*certFiles, error) {
	f := &certFiles{certPath: certPath, keyPath: keyPath, n: n}
	if err := f.reload(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	return f, nil
}

func (f *certFiles) stamps() ([2]time.Time, error) {
	var s [2]time.Time
	for i, p := range []string{f.certPath, f.keyPath} {
		fi, err := os.Stat(p)
		if err != nil {
			return s, err
		}
		s[i] = fi.ModTime()
	}
	return s, nil
}

func (f *certFiles) reload() error {
	stamp, err := f.stamps()
	if err != nil {
		return fmt.Errorf("TLS certificate: %w", err)
	}
	c, err := tls.LoadX509KeyPair(f.certPath, f.keyPath)
	if err != nil {
		return fmt.Errorf("TLS certificate %s and key %s: %w", f.certPath, f.keyPath, err)
	}
	f.cert, f.stamp = &c, stamp
	return nil
}

func (f *certFiles) get(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if now := time.Now(); now.Sub(f.checked) >= certCheckEvery {
		f.checked = now
		if stamp, err := f.stamps(); err == nil && stamp != f.stamp {
			if err := f.reload(); err != nil {
				f.stamp = stamp // logged once; a further change is tried again
				f.n.log.Error("the changed TLS certificate does not load; serving the previous one", "err", err)
			} else {
				f.n.log.Info("TLS certificate reloaded", "cert", f.certPath, "expires", f.cert.Leaf.NotAfter)
			}
		}
	}
	return f.cert, nil
}
