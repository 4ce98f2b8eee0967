package cluster

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/hashicorp/raft"
	"github.com/lumbung/lumbung/replication/trust"
)

// errPartitioned is what a dial to an isolated member returns.
var errPartitioned = errors.New("cluster: link cut (partition)")

// handshakeTimeout bounds a TLS handshake on the raft port: a stranger
// that opens a connection and says nothing holds a goroutine no longer.
const handshakeTimeout = 10 * time.Second

// streamLayer is the raft port: mutual TLS under the cluster's CA
// (package trust), carrying by ALPN either raft's RPCs, handed to raft's
// transport through Accept, or the members' HTTP endpoints and the
// enrolment of a member-to-be, handed to the member server (members).
// A connection that fails the handshake, or asks for raft or the member
// endpoints without a member's certificate, is closed before anything
// reads a byte of it.
//
// Links to chosen members can be cut and healed (Isolate, Heal), so
// tests and the fault suite can partition a cluster whose members share
// one machine. A cut refuses new raft dials to those members and closes
// the connections this member opened to them; the other side cuts its
// own. Close closes every connection, dialled and accepted, so a member
// stopped in a running process leaves nothing behind (raft's transport
// does not close the connections it accepted).
type streamLayer struct {
	ln        net.Listener
	advertise net.Addr
	tls       *memberTLS
	log       *slog.Logger
	plain     bool          // raft over plain TCP (benchmarks only: Config.plainRaft)
	raft      chan net.Conn // handshaken raft connections, for Accept
	members   *connQueue    // handshaken member and join connections
	done      chan struct{} // closed by Close

	mu      sync.Mutex
	blocked map[raft.ServerAddress]bool
	conns   map[net.Conn]raft.ServerAddress // accepted ones under ""
	closed  bool
}

func newStreamLayer(bind string, advertise net.Addr, mt *memberTLS, plain bool, log *slog.Logger) (*streamLayer, error) {
	ln, err := net.Listen("tcp", bind)
	if err != nil {
		return nil, err
	}
	s := &streamLayer{ln: ln, advertise: advertise, tls: mt, plain: plain, log: log, raft: make(chan net.Conn),
		members: newConnQueue(ln.Addr()), done: make(chan struct{}),
		blocked: map[raft.ServerAddress]bool{}, conns: map[net.Conn]raft.ServerAddress{}}
	go s.acceptLoop()
	return s, nil
}

// acceptLoop takes every TCP connection and handshakes each in its own
// goroutine, so a slow stranger holds up nobody.
func (s *streamLayer) acceptLoop() {
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			select {
			case <-s.done:
				return
			default:
			}
			if errors.Is(err, net.ErrClosed) {
				return
			}
			time.Sleep(10 * time.Millisecond) // a passing failure (no file descriptors)
			continue
		}
		go s.handshake(conn)
	}
}

// handshake runs the server's side of the TLS handshake on conn and hands
// it on by protocol, or closes it.
func (s *streamLayer) handshake(conn net.Conn) {
	if s.plain {
		if tracked, err := s.trackLocked(conn, ""); err == nil {
			select {
			case s.raft <- tracked:
			case <-s.done:
				tracked.Close()
			}
		}
		return
	}
	tc := tls.Server(conn, s.tls.server)
	ctx, cancel := context.WithTimeout(context.Background(), handshakeTimeout)
	err := tc.HandshakeContext(ctx)
	cancel()
	if err != nil {
		s.refuse(conn, "handshake failed", err)
		return
	}
	cs := tc.ConnectionState()
	id, member := trust.Peer(cs)
	switch {
	case cs.NegotiatedProtocol == trust.ProtoRaft && member:
		tracked, err := s.trackLocked(tc, "")
		if err != nil {
			return
		}
		select {
		case s.raft <- tracked:
		case <-s.done:
			tracked.Close()
		}
	case cs.NegotiatedProtocol == trust.ProtoMember && member, cs.NegotiatedProtocol == trust.ProtoJoin:
		tracked, err := s.trackLocked(tc, "")
		if err != nil {
			return
		}
		if !s.members.put(&peerConn{Conn: tracked, state: cs, id: id}) {
			tracked.Close()
		}
	default:
		s.refuse(conn, "not a member", fmt.Errorf("protocol %q, verified certificate %v", cs.NegotiatedProtocol, member))
	}
}

// refuse closes a connection the raft port will not serve, and says so
// at debug level: a port facing a network sees scanners all day.
func (s *streamLayer) refuse(conn net.Conn, why string, err error) {
	s.log.Debug("raft port refused a connection", "from", conn.RemoteAddr().String(), "why", why, "err", err)
	conn.Close()
}

// Dial implements raft.StreamLayer: TLS as a member, to the member raft's
// configuration names at addr (any member when it names none there).
func (s *streamLayer) Dial(addr raft.ServerAddress, timeout time.Duration) (net.Conn, error) {
	s.mu.Lock()
	blocked := s.blocked[addr]
	s.mu.Unlock()
	if blocked {
		return nil, errPartitioned
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var conn net.Conn
	var err error
	if s.plain {
		conn, err = (&net.Dialer{}).DialContext(ctx, "tcp", string(addr))
	} else {
		conn, err = s.tls.dial(ctx, string(addr), trust.ProtoRaft)
	}
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.blocked[addr] {
		conn.Close()
		return nil, errPartitioned
	}
	return s.track(conn, addr)
}

// trackLocked is track for a caller that does not hold s.mu.
func (s *streamLayer) trackLocked(conn net.Conn, addr raft.ServerAddress) (net.Conn, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.track(conn, addr)
}

// track records conn so that isolate and Close can close it; the caller
// holds s.mu.
func (s *streamLayer) track(conn net.Conn, addr raft.ServerAddress) (net.Conn, error) {
	if s.closed {
		conn.Close()
		return nil, net.ErrClosed
	}
	tc := &trackedConn{Conn: conn, s: s}
	s.conns[tc] = addr
	return tc, nil
}

// Accept implements net.Listener for raft: its handshaken connections.
func (s *streamLayer) Accept() (net.Conn, error) {
	select {
	case c := <-s.raft:
		return c, nil
	case <-s.done:
		return nil, net.ErrClosed
	}
}

// Close implements net.Listener: it stops accepting and closes every
// connection either way.
func (s *streamLayer) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	close(s.done)
	err := s.ln.Close()
	s.members.close()
	for c := range s.conns {
		c.(*trackedConn).Conn.Close()
		delete(s.conns, c)
	}
	return err
}

// Addr implements net.Listener: the address other members dial.
func (s *streamLayer) Addr() net.Addr { return s.advertise }

// isolate cuts the links to addrs (added to those already cut).
func (s *streamLayer) isolate(addrs []raft.ServerAddress) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range addrs {
		s.blocked[a] = true
	}
	for c, a := range s.conns {
		if a != "" && s.blocked[a] {
			c.(*trackedConn).Conn.Close()
			delete(s.conns, c)
		}
	}
}

// heal restores every cut link.
func (s *streamLayer) heal() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blocked = map[raft.ServerAddress]bool{}
}

type trackedConn struct {
	net.Conn
	s *streamLayer
}

func (c *trackedConn) Close() error {
	c.s.mu.Lock()
	delete(c.s.conns, c)
	c.s.mu.Unlock()
	return c.Conn.Close()
}

// Isolate cuts this member's raft links to the members at the given raft
// addresses, both ways for connections this member opened. To partition
// a cluster, isolate each side from the other on every member.
func (c *Cluster) Isolate(raftAddrs ...string) {
	addrs := make([]raft.ServerAddress, len(raftAddrs))
	for i, a := range raftAddrs {
		addrs[i] = raft.ServerAddress(a)
	}
	c.stream.isolate(addrs)
}

// Heal restores every raft link Isolate cut.
func (c *Cluster) Heal() { c.stream.heal() }
