package node

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/seal"
)

// ErrBadLogin is a login refused: no such officer, a wrong password, or
// a disabled account; which one is never said.
var ErrBadLogin = errors.New("node: login refused")

// AddOfficer adds an account to this node's office with password pw, to
// be changed at first login when mustChange. The account's region is
// the node's.
func (n *Node) AddOfficer(ctx context.Context, a officer.Account, pw string, mustChange bool) (*officer.Account, error) {
	in, err := newOfficer(a, n.cfg.Region, pw, mustChange, n.cost, n.store.wrapFor)
	if err != nil {
		return nil, err
	}
	return exec(ctx, n, kindOfficerAdd, in)
}

// newOfficer is the command adding a of region with password pw: the
// password checked and hashed here, by the proposer, and the office's
// identity key wrapped under it by wrap (nil while the office is locked).
func newOfficer(a officer.Account, region schema.Code, pw string, mustChange bool, cost officer.Params,
	wrap func(string, officer.Params) (seal.Wrapped, error)) (officerAdd, error) {
	a.Region, a.MustChange = region, mustChange
	if err := officer.CheckPassword(pw, a.Name); err != nil {
		return officerAdd{}, validation(err)
	}
	h, err := officer.Hash(pw, cost)
	if err != nil {
		return officerAdd{}, err
	}
	a.Hash = h
	if a.KeyWrap, err = wrap(pw, cost); err != nil {
		return officerAdd{}, err
	}
	return officerAdd{Account: a}, nil
}

// AddOfficer adds an account to a stopped desa's store (lumbung init,
// lumbung officer add --data): a cluster member's store refuses it
// (ErrClusterStore).
func (s *Store) AddOfficer(ctx context.Context, a officer.Account, pw string, mustChange bool) (*officer.Account, error) {
	in, err := newOfficer(a, s.cfg.Region, pw, mustChange, officer.DefaultParams, s.wrapFor)
	if err != nil {
		return nil, err
	}
	return runLocal(ctx, s, kindOfficerAdd, in)
}

// FirstAdmin is the name of the admin an office gets first.
const FirstAdmin = "admin"

// AddFirstAdmin gives an office with no officers its first admin, named
// FirstAdmin, and the office its identity key (keyring.go). It returns
// the admin's one-time password and the office's recovery key, to print
// once; an office that has an officer already is ErrOfficerExists and
// nothing changes. Every member of a new cluster may call it: one of them
// wins, and its key is the office's.
func (n *Node) AddFirstAdmin(ctx context.Context) (pw, recovery string, err error) {
	if has, _ := n.store.HasOfficers(); has {
		return "", "", fmt.Errorf("%w: the office has its first admin", ErrOfficerExists)
	}
	in, pw, pair, rk, err := firstAdmin(n.cfg.Region, n.cost)
	if err != nil {
		return "", "", err
	}
	if _, err = exec(ctx, n, kindOfficerAdd, in); err != nil {
		return "", "", err
	}
	// This proposal won, so pair is the office's key: kept in memory
	// without reading it back (a member may not have applied it yet).
	n.store.keys.hold(pair)
	return pw, rk.String(), nil
}

// AddFirstAdmin gives a stopped desa's store (lumbung init) its first
// admin and its identity key, as Node.AddFirstAdmin does.
func (s *Store) AddFirstAdmin(ctx context.Context) (pw, recovery string, err error) {
	in, pw, pair, rk, err := firstAdmin(s.cfg.Region, officer.DefaultParams)
	if err != nil {
		return "", "", err
	}
	if _, err = runLocal(ctx, s, kindOfficerAdd, in); err != nil {
		return "", "", err
	}
	s.keys.hold(pair)
	return pw, rk.String(), nil
}

// firstAdmin is the command adding an office's first admin, with a new
// one-time password, and the office's new identity key wrapped under it.
func firstAdmin(region schema.Code, cost officer.Params) (officerAdd, string, *seal.KeyPair, seal.RecoveryKey, error) {
	pw := officer.NewPassword()
	pair, rk, key, err := newOfficeKey()
	if err != nil {
		return officerAdd{}, "", nil, rk, err
	}
	wrap := func(pw string, p officer.Params) (seal.Wrapped, error) { return pair.Wrap(pw, sealParams(p)) }
	in, err := newOfficer(officer.Account{Name: FirstAdmin, FullName: "Admin", Role: officer.Admin}, region, pw, true, cost, wrap)
	in.First, in.OfficeKey = true, key
	return in, pw, pair, rk, err
}

// OfficerChange is what an admin changes of an account; nil leaves it.
type OfficerChange struct {
	FullName *string       `json:"full_name,omitempty"`
	Role     *officer.Role `json:"role,omitempty"`
	Disabled *bool         `json:"disabled,omitempty"`
}

// ChangeOfficer changes an account's name, role or state. A change of
// role or state ends every session of the officer.
func (n *Node) ChangeOfficer(ctx context.Context, name string, c OfficerChange) (*officer.Account, error) {
	return exec(ctx, n, kindOfficerChange, officerChange{Name: name, FullName: c.FullName, Role: c.Role,
		Disabled: c.Disabled})
}

// ResetPassword gives an officer a new one-time password, returned once,
// to be changed at their next login; every session they had ends.
func (n *Node) ResetPassword(ctx context.Context, name string) (string, error) {
	pw := officer.NewPassword()
	h, err := officer.Hash(pw, n.cost)
	if err != nil {
		return "", err
	}
	// The office's key wrapped under the new password (none while the
	// office is locked): the old wrapping goes with the old password.
	wrap, err := n.store.wrapFor(pw, n.cost)
	if err != nil {
		return "", err
	}
	must := true
	if _, err := exec(ctx, n, kindOfficerChange, officerChange{Name: name, Hash: &h, MustChange: &must, KeyWrap: &wrap}); err != nil {
		return "", err
	}
	return pw, nil
}

// SetPassword changes an officer's own password, given the old one;
// every session they had ends, the caller's included.
func (n *Node) SetPassword(ctx context.Context, name, old, pw string) error {
	if err := n.Consistent(ctx); err != nil {
		return err
	}
	a, ok, err := n.store.Officer(name)
	if err != nil {
		return err
	}
	if !ok {
		return ErrBadLogin
	}
	if good, err := officer.Verify(old, a.Hash); err != nil || !good {
		return ErrBadLogin
	}
	if err := officer.CheckPassword(pw, name); err != nil {
		return validation(err)
	}
	if old == pw {
		return &schema.ValidationError{Fields: map[string]schema.Msg{"password": msgSamePassword.Text()}}
	}
	h, err := officer.Hash(pw, n.cost)
	if err != nil {
		return err
	}
	// The office's key, wrapped again under the new password: opened
	// with the old one, or taken from memory.
	if len(a.KeyWrap) > 0 {
		n.store.unlockWith(a, old)
	}
	wrap, err := n.store.wrapFor(pw, n.cost)
	if err != nil {
		return err
	}
	must := false
	_, err = exec(ctx, n, kindOfficerChange, officerChange{Name: name, Hash: &h, MustChange: &must, KeyWrap: &wrap})
	return err
}

// Login checks an officer's password and begins a session of kind k
// from address addr. It returns the session's secret, given once. On a
// cluster member it first catches up with the leader, so an officer
// added or changed at another member logs in here at once.
func (n *Node) Login(ctx context.Context, name, pw string, k officer.Kind, addr string) (string, *officer.Account, error) {
	if err := n.Consistent(ctx); err != nil { // an account added or changed at another member counts here
		return "", nil, err
	}
	a, ok, err := n.store.Officer(name)
	if err != nil {
		return "", nil, err
	}
	hash := a.Hash
	if !ok {
		hash = n.decoy() // as slow as a real account: a guess learns nothing from the time taken
	}
	good, err := officer.Verify(pw, hash)
	if err != nil && ok {
		return "", nil, err
	}
	if !ok || !good || a.Disabled {
		return "", nil, ErrBadLogin
	}
	secret, h := officer.NewSecret(officer.PrefixOf(k))
	s := &officer.Session{Hash: h, Officer: a.Name, Gen: a.Gen, Kind: k, Addr: addr}
	if _, err := exec(ctx, n, kindSessionBegin, sessionWrite{Session: s}); err != nil {
		return "", nil, err
	}
	n.store.unlockWith(a, pw) // the office's reporters open from now on
	return secret, a, nil
}

// decoy returns the hash checked when a login names no officer, made at
// the first such login, not at every start of the binary.
func (n *Node) decoy() string {
	n.decoyOnce.Do(func() {
		n.decoyHash, _ = officer.Hash(officer.NewPassword(), n.cost)
	})
	return n.decoyHash
}

// Authenticate returns the officer a secret of kind k acts for, and
// records the use now and then (officer.TouchEvery). On a cluster member
// it first catches up with the leader, so a session ended at any member
// fails here on its next request. A secret that acts for nobody is
// officer.ErrSessionEnded (or ErrBadSecret).
//
// The account and session read are cached until a write of any account
// or session is durable (Store.authGen): a request then costs a map
// lookup, not two reads and two decodes.
func (n *Node) Authenticate(ctx context.Context, secret string, k officer.Kind) (*officer.Account, *officer.Session, error) {
	h, err := officer.SecretHash(secret, officer.PrefixOf(k))
	if err != nil {
		return nil, nil, err
	}
	if err := n.Consistent(ctx); err != nil {
		return nil, nil, err
	}
	a, s, err := n.sessions.get(n.store, h)
	if err != nil {
		return nil, nil, err
	}
	if s == nil || s.Kind != k {
		return nil, nil, fmt.Errorf("%w: no such session", officer.ErrSessionEnded)
	}
	now := n.now()
	if err := s.Check(a, now); err != nil {
		return nil, nil, err
	}
	if s.NeedsTouch(now) {
		if _, err := exec(ctx, n, kindSessionTouch, sessionWrite{Hash: h}); err != nil {
			n.log.Warn("cannot record a session's use", "officer", a.Name, "err", err)
		}
	}
	return a, s, nil
}

// sessionCache holds sessions and their accounts as last read, valid
// while Store.authGen has not moved.
type sessionCache struct {
	mu sync.Mutex
	m  map[string]cachedSession
}

type cachedSession struct {
	gen  uint64
	acct *officer.Account // nil: no such officer
	sess *officer.Session // nil: no such session
}

// maxCachedSessions bounds the cache; past it, it starts again.
const maxCachedSessions = 4096

// get returns the session hashed h and its officer (nil when absent),
// from the cache while it holds, from st otherwise.
func (c *sessionCache) get(st *Store, h string) (*officer.Account, *officer.Session, error) {
	gen := st.authGen.Load() // before the reads: a write durable meanwhile makes the entry stale
	c.mu.Lock()
	e, ok := c.m[h]
	c.mu.Unlock()
	if ok && e.gen == gen {
		return e.acct, e.sess, nil
	}
	s, found, err := st.session(h)
	if err != nil {
		return nil, nil, err
	}
	e = cachedSession{gen: gen}
	if found {
		e.sess = s
		a, ok, err := st.Officer(s.Officer)
		if err != nil {
			return nil, nil, err
		}
		if ok {
			e.acct = a
		}
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxCachedSessions {
		c.m = map[string]cachedSession{}
	}
	c.m[h] = e
	c.mu.Unlock()
	return e.acct, e.sess, nil
}

// Logout ends the session a secret holds.
func (n *Node) Logout(ctx context.Context, secret string, k officer.Kind) error {
	h, err := officer.SecretHash(secret, officer.PrefixOf(k))
	if err != nil {
		return err
	}
	_, err = exec(ctx, n, kindSessionEnd, sessionWrite{Hash: h})
	return err
}

func timeOfMillis(ms int64) time.Time { return time.UnixMilli(ms) }
