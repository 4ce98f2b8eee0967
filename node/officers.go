package node

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cockroachdb/pebble/v2"
	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/seal"
)

// Officers' accounts and sessions are records of the node, never changes:
// a desa's officers stay on its laptop, a cluster's are its cluster state
// (written through raft like the sync tokens), and neither travels up or
// down. Hashes are computed by the proposer (a password's hash has a
// random salt), so every member stores the same bytes.

// officerAdd is an officer.add command: a new account, hash included.
type officerAdd struct {
	Account officer.Account `json:"account"`
	// First adds the account only to an office that has none yet: the
	// first admin, given by init or by the first serve of a node made
	// before officers existed. Every member of a cluster may propose it;
	// the log decides which one counts.
	First bool `json:"first,omitempty"`
	// OfficeKey is the office's identity key, kept with the first admin
	// (version 2).
	OfficeKey *OfficeKey `json:"office_key,omitempty"`
}

// kindOfficerAdd adds an account; a name taken, or any account at all
// for the first admin, is ErrOfficerExists.
var kindOfficerAdd = register(&Kind[officerAdd, *officer.Account]{
	Name: "officer.add", Version: 2, Entity: entityNone, Result: "officer",
	Needs: func(in *officerAdd) int {
		if in.OfficeKey != nil || len(in.Account.KeyWrap) > 0 {
			return 2
		}
		return 1
	},
	Check: func(in *officerAdd) error {
		if err := checkAccount(&in.Account); err != nil {
			return err
		}
		if in.OfficeKey != nil {
			if err := in.OfficeKey.check(); err != nil {
				return err
			}
		}
		return checkWrap(in.Account.KeyWrap)
	},
	Run: func(tx *Tx, in *officerAdd) (*officer.Account, error) {
		if in.First {
			if has, err := tx.anyOfficer(); err != nil || has {
				if err == nil {
					err = fmt.Errorf("%w: the office has its first admin", ErrOfficerExists)
				}
				return nil, err
			}
		}
		if _, ok, err := tx.officer(in.Account.Name); err != nil || ok {
			if err == nil {
				err = fmt.Errorf("%w: %s", ErrOfficerExists, in.Account.Name)
			}
			return nil, err
		}
		if in.First && in.OfficeKey != nil {
			if err := tx.putOfficeKey(in.OfficeKey); err != nil {
				return nil, err
			}
		}
		a := in.Account
		a.Gen, a.Created, a.Changed = 1, tx.now(), tx.now()
		return &a, tx.putOfficer(&a)
	},
})

// officerChange is an officer.change command: the fields to change of
// one account; a nil field is left as it is.
type officerChange struct {
	Name       string        `json:"name"`
	FullName   *string       `json:"full_name,omitempty"`
	Role       *officer.Role `json:"role,omitempty"`
	Disabled   *bool         `json:"disabled,omitempty"`
	Hash       *string       `json:"hash,omitempty"`
	MustChange *bool         `json:"must_change,omitempty"`
	// KeyWrap replaces the office's key wrapped for the officer (with a
	// new password; empty: none) (version 2).
	KeyWrap *seal.Wrapped `json:"key_wrap,omitempty"`
}

// kindOfficerChange changes an account. A change of role, password or
// state moves its Gen on, which ends every session it had.
var kindOfficerChange = register(&Kind[officerChange, *officer.Account]{
	Name: "officer.change", Version: 2, Entity: entityNone, Result: "officer",
	Needs: func(in *officerChange) int {
		if in.KeyWrap != nil {
			return 2
		}
		return 1
	},
	Check: func(in *officerChange) error {
		if err := officer.CheckName(in.Name); err != nil {
			return validation(err)
		}
		if in.FullName != nil {
			if err := officer.CheckFullName(*in.FullName); err != nil {
				return validation(err)
			}
		}
		if in.Role != nil && !in.Role.Valid() {
			return fmt.Errorf("%w: role %q", schema.ErrInvalid, *in.Role)
		}
		if in.Hash != nil && !officer.ValidHash(*in.Hash) {
			return fmt.Errorf("%w: password hash", schema.ErrInvalid)
		}
		if in.KeyWrap != nil {
			return checkWrap(*in.KeyWrap)
		}
		return nil
	},
	Run: func(tx *Tx, in *officerChange) (*officer.Account, error) {
		a, ok, err := tx.officer(in.Name)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("%w: officer %s", ErrNotFound, in.Name)
		}
		if in.FullName != nil {
			a.FullName = *in.FullName
		}
		if in.MustChange != nil {
			a.MustChange = *in.MustChange
		}
		if in.Role != nil || in.Disabled != nil || in.Hash != nil {
			a.Gen++
		}
		if in.Role != nil {
			a.Role = *in.Role
		}
		if in.Disabled != nil {
			a.Disabled = *in.Disabled
			if a.Disabled {
				a.KeyWrap = nil // a disabled officer unlocks nothing, even re-enabled
			}
		}
		if in.Hash != nil {
			a.Hash = *in.Hash
		}
		if in.KeyWrap != nil {
			a.KeyWrap = *in.KeyWrap
		}
		a.Changed = tx.now()
		return a, tx.putOfficer(a)
	},
})

// sessionWrite is a session.* command.
type sessionWrite struct {
	Session *officer.Session `json:"session,omitempty"`
	Hash    string           `json:"hash,omitempty"`
}

// kindSessionBegin records a session of an officer whose account holds
// its Gen; it forgets that officer's sessions that have ended.
var kindSessionBegin = register(&Kind[sessionWrite, struct{}]{
	Name: "session.begin", Version: 1, Entity: entityNone, Result: resultNone,
	Check: func(in *sessionWrite) error {
		if in.Session == nil || len(in.Session.Hash) != 64 || officer.CheckName(in.Session.Officer) != nil {
			return fmt.Errorf("%w: session record", schema.ErrInvalid)
		}
		return nil
	},
	Run: func(tx *Tx, in *sessionWrite) (struct{}, error) {
		a, ok, err := tx.officer(in.Session.Officer)
		if err != nil {
			return struct{}{}, err
		}
		if !ok || a.Disabled || a.Gen != in.Session.Gen {
			return struct{}{}, fmt.Errorf("%w: officer %s changed during the login", officer.ErrSessionEnded, in.Session.Officer)
		}
		s := *in.Session
		s.Created, s.Seen = tx.now(), tx.now()
		if err := tx.forgetEnded(a); err != nil {
			return struct{}{}, err
		}
		return struct{}{}, tx.putSession(&s)
	},
})

// kindSessionTouch records that a session was used at the entry's time.
var kindSessionTouch = register(&Kind[sessionWrite, struct{}]{
	Name: "session.touch", Version: 1, Entity: entityNone, Result: resultNone,
	Check: checkSessionHash,
	Run: func(tx *Tx, in *sessionWrite) (struct{}, error) {
		var s officer.Session
		ok, err := getJSONFrom(tx.b, sessionKey(in.Hash), &s)
		if err != nil || !ok {
			return struct{}{}, err // a session ended meanwhile: nothing to touch
		}
		s.Seen = max(s.Seen, tx.now())
		return struct{}{}, tx.putSession(&s)
	},
})

// kindSessionEnd ends a session (logout).
var kindSessionEnd = register(&Kind[sessionWrite, struct{}]{
	Name: "session.end", Version: 1, Entity: entityNone, Result: resultNone,
	Check: checkSessionHash,
	Run: func(tx *Tx, in *sessionWrite) (struct{}, error) {
		tx.Delete(sessionKey(in.Hash))
		return struct{}{}, tx.err
	},
})

func checkSessionHash(in *sessionWrite) error {
	if len(in.Hash) != 64 {
		return fmt.Errorf("%w: session hash", schema.ErrInvalid)
	}
	return nil
}

// checkAccount checks a new account, its hash included.
func checkAccount(a *officer.Account) error {
	if err := a.Check(); err != nil {
		return validation(err)
	}
	if !officer.ValidHash(a.Hash) {
		return fmt.Errorf("%w: password hash", schema.ErrInvalid)
	}
	return nil
}

// validation turns an officer refusal into the API's validation error,
// naming its field in the officer's words.
func validation(err error) error {
	var e *officer.Error
	if errors.As(err, &e) && e.Field != "" {
		return &schema.ValidationError{Fields: map[string]schema.Msg{e.Field: e.Msg}}
	}
	return fmt.Errorf("%w: %w", schema.ErrInvalid, err)
}

func (tx *Tx) officer(name string) (*officer.Account, bool, error) {
	var a officer.Account
	ok, err := getJSONFrom(tx.b, officerKey(name), &a)
	return &a, ok, err
}

// anyOfficer says whether the office has an account.
func (tx *Tx) anyOfficer() (bool, error) {
	p := []byte(prefixOfficer)
	it, err := tx.b.NewIter(&pebble.IterOptions{LowerBound: p, UpperBound: prefixEnd(p)})
	if err != nil {
		return false, fmt.Errorf("node: officers: %w", err)
	}
	defer it.Close()
	return it.First(), it.Error()
}

func (tx *Tx) putOfficer(a *officer.Account) error {
	b, err := json.Marshal(a)
	if err != nil {
		return err
	}
	tx.Set(officerKey(a.Name), b)
	return tx.err
}

func (tx *Tx) putSession(s *officer.Session) error {
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	tx.Set(sessionKey(s.Hash), b)
	return tx.err
}

// forgetEnded deletes the sessions of a that can no longer act at the
// entry's time: the store keeps no more than an officer's live sessions.
func (tx *Tx) forgetEnded(a *officer.Account) error {
	p := []byte(prefixSession)
	it, err := tx.b.NewIter(&pebble.IterOptions{LowerBound: p, UpperBound: prefixEnd(p)})
	if err != nil {
		return fmt.Errorf("node: sessions: %w", err)
	}
	defer it.Close()
	now := timeOfMillis(tx.now())
	var ended [][]byte
	for it.First(); it.Valid(); it.Next() {
		var s officer.Session
		if json.Unmarshal(it.Value(), &s) != nil || s.Officer == a.Name && s.Check(a, now) != nil {
			ended = append(ended, append([]byte(nil), it.Key()...))
		}
	}
	if err := it.Error(); err != nil {
		return err
	}
	for _, k := range ended {
		tx.Delete(k)
	}
	return tx.err
}

// Officer returns the account called name.
func (s *Store) Officer(name string) (*officer.Account, bool, error) {
	var a officer.Account
	ok, err := s.getJSON(officerKey(name), &a)
	return &a, ok, err
}

// Officers returns every account, by name.
func (s *Store) Officers() ([]officer.Account, error) {
	p := []byte(prefixOfficer)
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: p, UpperBound: prefixEnd(p)})
	if err != nil {
		return nil, fmt.Errorf("node: officers: %w", err)
	}
	defer it.Close()
	out := []officer.Account{}
	for it.First(); it.Valid(); it.Next() {
		var a officer.Account
		if err := json.Unmarshal(it.Value(), &a); err != nil {
			return nil, fmt.Errorf("%w: officer record: %w", ErrCorrupt, err)
		}
		out = append(out, a)
	}
	return out, it.Error()
}

// HasOfficers says whether the node has any officer account. It is
// asked on every request that shows no credential, so it reads a flag
// kept by the store (countOfficers), not Pebble.
func (s *Store) HasOfficers() (bool, error) { return s.hasOfficers.Load(), nil }

// countOfficers sets the flag HasOfficers reads: at open, after a
// restore, and once a group that wrote an account is durable. Accounts
// are never deleted (only disabled), so once set it stays set.
func (s *Store) countOfficers() error {
	p := []byte(prefixOfficer)
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: p, UpperBound: prefixEnd(p)})
	if err != nil {
		return fmt.Errorf("node: officers: %w", err)
	}
	defer it.Close()
	s.hasOfficers.Store(it.First())
	return it.Error()
}

// session returns the session whose secret hashes to h.
func (s *Store) session(h string) (*officer.Session, bool, error) {
	var ss officer.Session
	ok, err := s.getJSON(sessionKey(h), &ss)
	return &ss, ok, err
}
