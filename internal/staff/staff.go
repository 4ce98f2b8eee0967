// Package staff gives a node made on this machine (by the tests, the
// demo and the benchmarks) one logged-in officer of each role, so that
// everything they do goes through the API as an office's officers would:
// with a real API token, checked by the node on every request. A node in
// the field never uses it: its officers are added by its admin.
//
// Every officer has the same known password (Password), which is why
// nothing but this machine's own nodes may hold them.
package staff

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/replication/cluster"
)

// Cost is the argon2id cost of the password hashes of the nodes this
// machine runs for tests, the demo and the benchmarks (node.Options.
// PasswordCost): cheap, so that a kabupaten of a dozen offices starts in
// seconds under the race detector. The real cost (officer.DefaultParams)
// is measured by httpapi's BenchmarkLogin and tested by package officer.
var Cost = officer.Params{Memory: 64, Time: 1, Threads: 1}

// Password is every staff officer's password.
const Password = "sandi-demo-2026"

// Name is the login name of the staff officer of role r: demo.operator,
// demo.verifikator, demo.admin, demo.viewer.
func Name(r officer.Role) string { return "demo." + string(r) }

// Staff is one office's officers, one of each role, logged in: the API
// token of each. Tokens are the officers' secrets: keep them out of logs.
type Staff struct {
	tokens map[officer.Role]string
}

// Token is the API token of the officer of role r.
func (s *Staff) Token(r officer.Role) string { return s.tokens[r] }

// Add gives the office of n (a desa, or a cluster through any of its
// members) one officer of each role, or finds them there from an earlier
// start, and logs each in with an API token.
func Add(ctx context.Context, n *node.Node) (*Staff, error) {
	s := &Staff{tokens: map[officer.Role]string{}}
	// The office's identity key first, so each officer added gets it
	// wrapped under their password (its recovery key is not kept: these
	// offices are this machine's only).
	err := retry(ctx, func() error {
		_, err := n.MakeOfficeKey(ctx)
		if errors.Is(err, node.ErrOfficeKeyExists) {
			return nil
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("staff: office key: %w", err)
	}
	for _, r := range officer.Roles {
		a := officer.Account{Name: Name(r), FullName: "Demo " + string(r), Role: r}
		err := retry(ctx, func() error {
			_, err := n.AddOfficer(ctx, a, Password, false)
			if errors.Is(err, node.ErrOfficerExists) {
				return nil
			}
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("staff: add %s: %w", a.Name, err)
		}
		err = retry(ctx, func() error {
			tok, _, err := n.Login(ctx, a.Name, Password, officer.Token, "127.0.0.1")
			s.tokens[r] = tok
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("staff: log %s in: %w", a.Name, err)
		}
	}
	return s, nil
}

// retry runs f until it succeeds, fails for good, or ctx ends: a young
// cluster is not ready until its first leader wrote its identity, and a
// cluster may be changing its leader.
func retry(ctx context.Context, f func() error) error {
	for {
		err := f()
		if err == nil || !errors.Is(err, node.ErrNotReady) && !errors.Is(err, cluster.ErrNoLeader) && !errors.Is(err, cluster.ErrUnknownOutcome) {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (last: %w)", ctx.Err(), err)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// The staff of every node this process runs, by the host:port of its
// API, for Transport.
var (
	mu      sync.Mutex
	offices = map[string]*Staff{}
)

// Register says that the node serving its API at host (host:port) is
// staffed by s; a later call for the same host replaces it.
func Register(host string, s *Staff) {
	mu.Lock()
	defer mu.Unlock()
	offices[host] = s
}

// Lookup is the staff registered for the node at url (http://host:port)
// or host:port; nil if none.
func Lookup(url string) *Staff { return lookup(strings.TrimPrefix(url, "http://")) }

func lookup(host string) *Staff {
	mu.Lock()
	defer mu.Unlock()
	return offices[host]
}

// Transport sends each request as the officer of role r at the node it
// goes to (Register), with that officer's API token, unless the request
// carries a credential of its own. A request to a node nobody registered
// goes as it is: an outsider's.
func Transport(r officer.Role, base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &transport{role: r, base: base}
}

type transport struct {
	role officer.Role
	base http.RoundTripper
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	s := lookup(req.URL.Host)
	if s == nil || req.Header.Get("Authorization") != "" {
		return t.base.RoundTrip(req)
	}
	req = req.Clone(req.Context())
	req.Header.Set("Authorization", "Bearer "+s.Token(t.role))
	return t.base.RoundTrip(req)
}

// Client is an HTTP client acting as the officer of role r wherever it
// goes (Transport), on its own connections.
func Client(r officer.Role) *http.Client {
	return &http.Client{Transport: Transport(r, http.DefaultTransport.(*http.Transport).Clone())}
}

// New is a staff of the given tokens (a node's officers logged in over
// its API: localcluster.Hire).
func New(tokens map[officer.Role]string) *Staff {
	s := &Staff{tokens: map[officer.Role]string{}}
	for r, t := range tokens {
		s.tokens[r] = t
	}
	return s
}

// CloseIdleConnections closes the idle connections of the transport
// below, if it keeps any.
func (t *transport) CloseIdleConnections() {
	if c, ok := t.base.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}
