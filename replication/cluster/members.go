package cluster

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/raft"
	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/replication/trust"
)

// A cluster's members prove to each other who they are with certificates
// of the cluster's CA (package trust), which every member derives from the
// cluster's secret, its member key (node.MemberKeyFile), and speak mutual
// TLS on the raft port. The member endpoints (propose, readindex, join,
// remove) are served there and nowhere else: the node's HTTP port, which
// faces officers and desa laptops, has none of them. A caller is a member
// if the CA verified its certificate, and it is the member its
// certificate names: a join must come from the member it adds, and
// propose, readindex and remove only from a member raft's configuration
// holds (a removed member is refused).

// NewMemberKey returns a new cluster secret (trust.NewSecret).
func NewMemberKey() string { return trust.NewSecret() }

// ValidMemberKey says whether k is a cluster secret.
func ValidMemberKey(k string) bool { return trust.ValidSecret(k) }

// memberTLS is a member's identity on the raft port.
type memberTLS struct {
	auth   *trust.Authority
	leaf   tls.Certificate
	server *tls.Config
	raft   atomic.Pointer[raft.Raft] // set once raft runs, for expect
}

func newMemberTLS(key, id string) (*memberTLS, error) {
	auth, err := trust.Derive(key)
	if err != nil {
		return nil, fmt.Errorf("%w: member key: %w", ErrConfig, err)
	}
	leaf, err := auth.Issue(id, time.Now())
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	return &memberTLS{auth: auth, leaf: leaf, server: auth.ServerConfig(leaf)}, nil
}

// expect is the member ID raft's configuration names at addr, "" when it
// names none there (a member-to-be, or raft not running yet).
func (m *memberTLS) expect(addr string) string {
	r := m.raft.Load()
	if r == nil {
		return ""
	}
	for _, s := range r.GetConfiguration().Configuration().Servers {
		if string(s.Address) == addr {
			return string(s.ID)
		}
	}
	return ""
}

// dial opens a TLS connection as a member to the member at addr, for
// proto; the peer must be the member raft names there.
func (m *memberTLS) dial(ctx context.Context, addr, proto string) (net.Conn, error) {
	d := tls.Dialer{Config: m.auth.ClientConfig(m.leaf, proto, m.expect(addr))}
	return d.DialContext(ctx, "tcp", addr)
}

// peerConn is a connection handshaken on the raft port, with what the
// handshake proved. It is not a *tls.Conn, so the member server speaks
// HTTP/1.1 on it whatever ALPN said.
type peerConn struct {
	net.Conn
	state tls.ConnectionState
	id    string // the member its certificate names; "" for a member-to-be
}

type peerKey struct{}

// peerOf returns what the handshake of r's connection proved.
func peerOf(r *http.Request) *peerConn {
	p, _ := r.Context().Value(peerKey{}).(*peerConn)
	return p
}

// connQueue is a net.Listener fed with handshaken connections.
type connQueue struct {
	addr   net.Addr
	ch     chan net.Conn
	done   chan struct{}
	closed sync.Once
}

func newConnQueue(addr net.Addr) *connQueue {
	return &connQueue{addr: addr, ch: make(chan net.Conn), done: make(chan struct{})}
}

// put hands c to Accept; false if the queue is closed.
func (q *connQueue) put(c net.Conn) bool {
	select {
	case q.ch <- c:
		return true
	case <-q.done:
		return false
	}
}

func (q *connQueue) Accept() (net.Conn, error) {
	select {
	case c := <-q.ch:
		return c, nil
	case <-q.done:
		return nil, net.ErrClosed
	}
}

func (q *connQueue) close() { q.closed.Do(func() { close(q.done) }) }

// Close implements net.Listener; the stream layer closes the queue.
func (q *connQueue) Close() error { return nil }

func (q *connQueue) Addr() net.Addr { return q.addr }

var (
	msgMemberRequired = locale.Define("cluster.member_required", "Hanya anggota klaster ini yang boleh memanggil ini.",
		"Only a member of this cluster may call this.")
	msgNotThisMember = locale.Define("cluster.not_this_member", "Sertifikat anggota ini tidak sesuai dengan anggota yang diminta.",
		"This member's certificate does not name the member it asks for.")
)

// onlyMembers lets a request through only from a connection whose
// certificate the cluster's CA verified; a member-to-be (ProtoJoin)
// reaches the enrolment endpoint alone.
func (c *Cluster) onlyMembers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := peerOf(r)
		switch {
		case p == nil:
			writeError(w, r, http.StatusUnauthorized, "member_required", msgMemberRequired, nil)
		case p.state.NegotiatedProtocol == trust.ProtoJoin:
			if r.URL.Path != PathEnroll {
				writeError(w, r, http.StatusUnauthorized, "member_required", msgMemberRequired, nil)
				return
			}
			next.ServeHTTP(w, r)
		case p.id == "":
			writeError(w, r, http.StatusUnauthorized, "member_required", msgMemberRequired, nil)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// inConfiguration says whether raft's configuration holds the member id.
func (c *Cluster) inConfiguration(id string) bool {
	for _, s := range c.raft.GetConfiguration().Configuration().Servers {
		if string(s.ID) == id {
			return true
		}
	}
	return false
}

// currentMember refuses a caller that is not in the configuration (a
// removed member still holds a certificate until the secret changes).
func (c *Cluster) currentMember(w http.ResponseWriter, r *http.Request) bool {
	if p := peerOf(r); p == nil || !c.inConfiguration(p.id) {
		writeError(w, r, http.StatusForbidden, "not_a_member", msgMemberRequired, nil)
		return false
	}
	return true
}

// Fingerprint is the fingerprint of the cluster's CA, which join tokens
// carry.
func (c *Cluster) Fingerprint() trust.Fingerprint { return c.tls.auth.Fingerprint() }
