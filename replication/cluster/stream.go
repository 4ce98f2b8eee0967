package cluster

import (
	"errors"
	"net"
	"sync"
	"time"

	"github.com/hashicorp/raft"
)

// errPartitioned is what a dial to an isolated member returns.
var errPartitioned = errors.New("cluster: link cut (partition)")

// streamLayer is raft's TCP stream layer with one addition: links to
// chosen members can be cut and healed (Isolate, Heal), so tests and the
// fault suite can partition a cluster whose members share one machine.
// A cut refuses new dials to those members and closes the connections
// this member opened to them; the other side cuts its own. With nothing
// isolated it is plain TCP. Close closes every connection, dialled and
// accepted, so a member stopped in a running process leaves nothing
// behind (raft's transport does not close the connections it accepted).
type streamLayer struct {
	ln        net.Listener
	advertise net.Addr

	mu      sync.Mutex
	blocked map[raft.ServerAddress]bool
	conns   map[net.Conn]raft.ServerAddress // accepted ones under ""
	closed  bool
}

func newStreamLayer(bind string, advertise net.Addr) (*streamLayer, error) {
	ln, err := net.Listen("tcp", bind)
	if err != nil {
		return nil, err
	}
	return &streamLayer{ln: ln, advertise: advertise, blocked: map[raft.ServerAddress]bool{},
		conns: map[net.Conn]raft.ServerAddress{}}, nil
}

// Dial implements raft.StreamLayer.
func (s *streamLayer) Dial(addr raft.ServerAddress, timeout time.Duration) (net.Conn, error) {
	s.mu.Lock()
	blocked := s.blocked[addr]
	s.mu.Unlock()
	if blocked {
		return nil, errPartitioned
	}
	conn, err := net.DialTimeout("tcp", string(addr), timeout)
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

// Accept implements net.Listener.
func (s *streamLayer) Accept() (net.Conn, error) {
	conn, err := s.ln.Accept()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.track(conn, "")
}

// Close implements net.Listener: it stops accepting and closes every
// connection either way.
func (s *streamLayer) Close() error {
	err := s.ln.Close()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
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
