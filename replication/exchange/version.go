package exchange

import (
	"fmt"

	"github.com/lumbung/lumbung/replication/wire"
)

// versionFailure is the refusal of a Hello whose version the server does
// not speak. When the two ranges share a version, it carries the server's
// range so that the sender asks again in a version both speak (nothing
// was read past the Hello, so nothing was applied). When they share none,
// it names both ranges and the side to upgrade, in plain words: the
// officer reads it in sync status on both sides.
func versionFailure(theirs, ours wire.Range) *Failure {
	f := fail(409, "protocol_version", ErrVersion,
		fmt.Sprintf("versi protokol sinkronisasi tidak cocok: node ini %s, server %s; ulangi dengan versi yang sama", theirs, ours),
		fmt.Sprintf("sync protocol versions differ: this node %s, the server %s; ask again in a common version", theirs, ours))
	f.Protocol = &ours
	if _, ok := theirs.Common(ours); ok {
		return f
	}
	if theirs.Max < ours.Min {
		f.Message = fmt.Sprintf("Lumbung di node ini terlalu lama (protokol sinkronisasi %s, server atas %s): perbarui Lumbung di desa ini", theirs, ours)
		f.MessageEN = fmt.Sprintf("Lumbung on this node is too old (sync protocol %s, the upstream speaks %s): upgrade Lumbung at this desa", theirs, ours)
		f.here = [2]string{
			fmt.Sprintf("node di bawah memakai Lumbung lama (protokol sinkronisasi %s, server ini %s): perbarui Lumbung di desa ini", theirs, ours),
			fmt.Sprintf("the node below runs an old Lumbung (sync protocol %s, this server %s): upgrade Lumbung at that desa", theirs, ours)}
		return f
	}
	f.Message = fmt.Sprintf("Lumbung di server atas terlalu lama (protokol sinkronisasi %s, node ini %s): perbarui Lumbung di server atas", ours, theirs)
	f.MessageEN = fmt.Sprintf("Lumbung on the upstream is too old (sync protocol %s, this node speaks %s): upgrade Lumbung at the upstream", ours, theirs)
	f.here = [2]string{
		fmt.Sprintf("node di bawah memakai Lumbung lebih baru (protokol sinkronisasi %s, server ini %s): perbarui Lumbung di server ini", theirs, ours),
		fmt.Sprintf("the node below runs a newer Lumbung (sync protocol %s, this server %s): upgrade Lumbung on this server", theirs, ours)}
	return f
}

// negotiate updates the version the uplink speaks after a refusal of its
// version, and reports whether asking again can succeed. A server of
// version 3 or later names its range; a version-2 server does not, so the
// uplink steps down one version at a time within its own range.
func (u *Uplink) negotiate(f *Failure) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	ours := u.cfg.protocol()
	if f.Protocol != nil {
		v, ok := ours.Common(*f.Protocol)
		if !ok || v == u.version {
			return false
		}
		u.version = v
		return true
	}
	if u.version <= ours.Min {
		return false
	}
	u.version--
	return true
}

// learn moves the uplink to the highest version it shares with an
// upstream that named its range in an Ack (one upgraded since).
func (u *Uplink) learn(ack *wire.Ack) {
	if ack.Max == 0 {
		return
	}
	if v, ok := u.cfg.protocol().Common(wire.Range{Min: ack.Min, Max: ack.Max}); ok {
		u.mu.Lock()
		u.version = v
		u.mu.Unlock()
	}
}

// speaking returns the protocol version of the next exchange.
func (u *Uplink) speaking() int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.version
}
