package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/lumbung/lumbung/replication/trust"
	"github.com/urfave/cli/v2"
)

// A kecamatan or kabupaten serves HTTPS under its cluster's own CA
// (node/tls.go), which no browser or system knows. The CLI on another
// machine trusts it the way ssh trusts a server: at the first login to an
// https:// node it shows the key pin of the CA that signed the node's
// certificate, to compare with what `lumbung cluster ca` prints on the
// server, and keeps it in pins.json beside tokens.json; every later
// command to that node verifies by it (trust.UpstreamConfig). A node
// whose certificate a public CA issued needs no pin and gets none.

// httpClient is the HTTP client of the CLI for node: over https with the
// pin kept for it, if any, else the system's roots.
func httpClient(node string) (*http.Client, error) {
	pins, err := loadKept("pins.json")
	if err != nil {
		return nil, err
	}
	var pin trust.Pin
	if p, ok := pins[nodeKey(node)]; ok {
		if pin, err = trust.ParsePin(p); err != nil {
			return nil, err
		}
	}
	return &http.Client{Timeout: time.Minute, Transport: &http.Transport{Proxy: http.ProxyFromEnvironment, TLSClientConfig: trust.UpstreamConfig(pin, nil)}}, nil
}

// learnPin is the first login's part: for an https:// node that no
// system root vouches for and that has no pin kept yet, it fetches the
// certificate chain, checks that the chain's CA signed the node's
// certificate, says the CA's pin and keeps it.
func learnPin(c *cli.Context, node string) error {
	u, err := url.Parse(node)
	if err != nil || u.Scheme != "https" {
		return nil
	}
	pins, err := loadKept("pins.json")
	if err != nil || pins[nodeKey(node)] != "" {
		return err
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "443")
	}
	ctx, cancel := context.WithTimeout(c.Context, 30*time.Second)
	defer cancel()
	// Trust on first use needs the chain of a CA nobody vouches for yet:
	// the handshake does not verify it, the code below does (the leaf
	// signed by the chain's CA), and the pin is shown to be compared.
	// Nothing but the handshake goes over this connection.
	d := tls.Dialer{Config: &tls.Config{InsecureSkipVerify: true, ServerName: u.Hostname()}}
	conn, err := d.DialContext(ctx, "tcp", host)
	if err != nil {
		return nil // the login itself says what is wrong with the address
	}
	chain := conn.(*tls.Conn).ConnectionState().PeerCertificates
	conn.Close()
	if len(chain) < 2 {
		return errors.New(tr(langOf(c), "err.node_cert", node)) // a certificate with no CA in its chain: nothing to pin
	}
	inter := x509.NewCertPool()
	for _, cert := range chain[1:] {
		inter.AddCert(cert)
	}
	if _, err := chain[0].Verify(x509.VerifyOptions{Intermediates: inter, DNSName: u.Hostname()}); err == nil {
		return nil // a public CA's certificate: no pin needed
	}
	ca := chain[len(chain)-1]
	roots := x509.NewCertPool()
	roots.AddCert(ca)
	if _, err := chain[0].Verify(x509.VerifyOptions{Roots: roots, CurrentTime: chain[0].NotBefore.Add(time.Second)}); err != nil {
		return errors.New(tr(langOf(c), "err.node_cert", node))
	}
	pin := trust.PinOf(ca)
	say(c, "login.pin", node, pin)
	pins[nodeKey(node)] = pin.String()
	return saveKept("pins.json", pins)
}
