package exchange

import (
	"github.com/lumbung/lumbung/replication/wire"
)

// versionFailure is the refusal of a Hello whose version the server does
// not speak. When the two ranges share a version, it carries the server's
// range so that the sender asks again in a version both speak (nothing
// was read past the Hello, so nothing was applied). When they share none,
// it names both ranges and the side to upgrade, in plain words: the
// officer reads it in sync status on both sides.
func versionFailure(theirs, ours wire.Range) *Failure {
	f := refusal(409, "protocol_version", ErrVersion, msgVersionRetry.Text(theirs, ours))
	f.Protocol = &ours
	if _, ok := theirs.Common(ours); ok {
		return f
	}
	sender, here := msgVersionServerOld, msgVersionBelowNew
	if theirs.Max < ours.Min {
		sender, here = msgVersionSenderOld, msgVersionBelowOld
	}
	t := sender.Text(theirs, ours)
	f.Message, f.MessageEN = t.ID, t.EN
	h := here.Text(theirs, ours)
	f.here = [2]string{h.ID, h.EN}
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
