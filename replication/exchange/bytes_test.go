package exchange

import (
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// countingListener counts the bytes its connections read and are given
// to write (counted before the write, so that a peer that has them sees
// them counted).
type countingListener struct {
	net.Listener
	in, out *atomic.Int64
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	return countingConn{c, l.in, l.out}, err
}

type countingConn struct {
	net.Conn
	in, out *atomic.Int64
}

func (c countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.in.Add(int64(n))
	return n, err
}

func (c countingConn) Write(p []byte) (int, error) {
	c.out.Add(int64(len(p)))
	return c.Conn.Write(p)
}

// The bytes an exchange reports are the bytes on the wire, HTTP included:
// the officer's figures for a metered link. A response too large for one
// write goes chunked, and the chunk framing (a few bytes per 4 KB) is not
// seen by the uplink: there it may count up to 1% short.
func TestExchangeCountsWireBytes(t *testing.T) {
	up := newUpstream(t)
	var in, out atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(up.serve))
	srv.Listener = countingListener{srv.Listener, &in, &out}
	srv.Start()
	t.Cleanup(srv.Close)
	s := newSender(originA)
	u := newUplink(t, srv.URL, s, nil)
	for i, step := range []struct{ up, down int }{{0, 0}, {5, 0}, {0, 0}, {0, 80}} {
		s.write(step.up)
		answers(up, step.down)
		in.Store(0)
		out.Store(0)
		res := mustExchange(t, u)
		wireIn := out.Load()
		if res.BytesOut != in.Load() || res.BytesIn > wireIn || res.BytesIn < wireIn-wireIn/100 ||
			step.down == 0 && res.BytesIn != wireIn {
			t.Errorf("exchange %d (%d up, %d down) counted %d out, %d in; the wire carried %d and %d",
				i+1, step.up, step.down, res.BytesOut, res.BytesIn, in.Load(), wireIn)
		}
	}
}
