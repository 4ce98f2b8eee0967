package node

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/cockroachdb/pebble/v2"
	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/seal"
)

// The office's identity key (package seal, seal/DESIGN.md). An office (a
// desa node, or a cluster) has one key pair, made with its first admin.
// The store keeps its public key and its private key wrapped under the
// recovery key (keyOfficeKey), and each officer's account keeps it
// wrapped under the officer's password (officer.Account.KeyWrap). The
// private key is in memory only once an officer has logged in (or the
// recovery key was given) since the process started: until then the
// office takes complaints, sealing their reporters to the public key,
// and shows a sealed reporter as locked.
//
// Reporters' identities kept here (an anonymous reporter's, which never
// leaves the office) are sealed under an epoch: one data key per run of
// the process, sealed to the office's public key and kept beside them
// (epochKey), so sealing one costs microseconds.

// OfficeKey is the office's key as the store keeps it.
type OfficeKey struct {
	Public   string       `json:"public"`
	Recovery seal.Wrapped `json:"recovery"`
}

// ErrLocked is an identity asked for while the office's key is locked:
// no officer has logged in since the node started.
var ErrLocked = errors.New("node: the office's identity key is locked until an officer logs in")

// keyring is the office's key in memory.
type keyring struct {
	mu    sync.Mutex
	pair  *seal.KeyPair // nil: locked
	epoch *seal.Epoch   // this run's, made at its first sealing
	// epochSealed is its key sealed to the office; epochKept says the
	// store holds that already.
	epochSealed seal.Sealed
	epochKept   bool
	opened      map[seal.EpochID]*seal.Epoch
	// shared is this run's epoch for ordinary reporters, sealed to the
	// office and the offices above it (identity.go).
	shared epochRun
	// to are the public keys an intake seals ordinary reporters to, read
	// at keysGen toGen (identity.go).
	to    []seal.PublicKey
	toIDs string // their text, joined: which epoch seals to them
	toOK  bool
	toGen uint64
	toSet bool
}

// epochRun is an epoch a run seals under: its key sealed to the offices
// in to (their public keys, joined), and whether the store holds that.
type epochRun struct {
	epoch  *seal.Epoch
	sealed seal.Sealed
	to     string
	kept   bool
}

// newOfficeKey makes an office's key pair and recovery key, for its first
// admin.
func newOfficeKey() (*seal.KeyPair, seal.RecoveryKey, *OfficeKey, error) {
	pair, err := seal.NewKeyPair()
	if err != nil {
		return nil, seal.RecoveryKey{}, nil, err
	}
	rk, err := seal.NewRecoveryKey()
	if err != nil {
		return nil, rk, nil, err
	}
	w, err := pair.WrapRecovery(rk)
	if err != nil {
		return nil, rk, nil, err
	}
	return pair, rk, &OfficeKey{Public: pair.Public.String(), Recovery: w}, nil
}

// sealParams are the argon2id costs of an officer's wrapping: those of
// the office's password hashes.
func sealParams(p officer.Params) seal.Params {
	return seal.Params{Memory: p.Memory, Time: p.Time, Threads: p.Threads}
}

// officeKey reads the office's key record; ok is false before the first
// admin.
func (s *Store) officeKey() (*OfficeKey, bool, error) {
	var k OfficeKey
	found, err := s.getJSON(keyOfficeKey, &k)
	if err != nil || !found {
		return nil, false, err
	}
	return &k, true, nil
}

// unlock keeps pair in memory, once it is the office's own.
func (s *Store) unlock(pair *seal.KeyPair) error {
	k, ok, err := s.officeKey()
	if err != nil {
		return err
	}
	if !ok || k.Public != pair.Public.String() {
		return fmt.Errorf("%w: not the office's key", seal.ErrOpen)
	}
	s.keys.hold(pair)
	s.keysChanged()
	return nil
}

// keysChanged calls the onKeys hook, if any.
func (s *Store) keysChanged() {
	if f := s.onKeys.Load(); f != nil {
		(*f)()
	}
}

// hold keeps pair, the office's key, in memory.
func (k *keyring) hold(pair *seal.KeyPair) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.pair = pair
}

// Unlocked says whether the office's identity key is in memory.
func (s *Store) Unlocked() bool {
	s.keys.mu.Lock()
	defer s.keys.mu.Unlock()
	return s.keys.pair != nil
}

// unlockWith opens an officer's wrapping with their password, if the
// office is locked and the account has one; a wrapping that does not
// open leaves it locked (the password was checked already).
func (s *Store) unlockWith(a *officer.Account, pw string) {
	if len(a.KeyWrap) == 0 || s.Unlocked() {
		return
	}
	if pair, err := seal.Unwrap(a.KeyWrap, pw); err == nil {
		_ = s.unlock(pair)
	}
}

// UnlockWithRecovery unlocks the office with its recovery key (typed from
// the paper printed at init), when every officer has forgotten their
// password.
func (s *Store) UnlockWithRecovery(typed string) error {
	rk, err := seal.ParseRecoveryKey(typed)
	if err != nil {
		return err
	}
	k, ok, err := s.officeKey()
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%w: the office has no key yet", ErrNotFound)
	}
	pair, err := seal.UnwrapRecovery(k.Recovery, rk)
	if err != nil {
		return err
	}
	return s.unlock(pair)
}

// wrapFor wraps the office's key for an officer's new password, when the
// office is unlocked; nil otherwise (the officer unlocks nothing until an
// unlocked office wraps it for them).
func (s *Store) wrapFor(pw string, p officer.Params) (seal.Wrapped, error) {
	s.keys.mu.Lock()
	pair := s.keys.pair
	s.keys.mu.Unlock()
	if pair == nil {
		return nil, nil
	}
	return pair.Wrap(pw, sealParams(p))
}

// sealedIdentity is an identity sealed for keeping here, with the epoch
// record to keep beside it when the epoch is new.
type sealedIdentity struct {
	Value       []byte       `json:"value"`
	EpochID     seal.EpochID `json:"epoch_id"`
	EpochSealed seal.Sealed  `json:"epoch_sealed,omitempty"`
}

// check checks a sealed identity from a command (a peer's, perhaps):
// the value sealed under an epoch, the epoch's key (when it goes with
// it) a sealed value; a record that would not read later is refused now.
func (in *sealedIdentity) check() error {
	id, err := seal.EpochOf(in.Value)
	if err == nil && id != in.EpochID {
		err = fmt.Errorf("%w: the identity's epoch is not the one named", seal.ErrMalformed)
	}
	if err == nil && len(in.EpochSealed) > 0 {
		_, err = seal.Parse(in.EpochSealed)
	}
	if err != nil {
		return fmt.Errorf("%w: sealed identity: %w", schema.ErrInvalid, err)
	}
	return nil
}

// check checks an office's key record from a command.
func (k *OfficeKey) check() error {
	if _, err := seal.ParsePublicKey(k.Public); err != nil {
		return fmt.Errorf("%w: office key: %w", schema.ErrInvalid, err)
	}
	if _, err := k.Recovery.KeyID(); err != nil {
		return fmt.Errorf("%w: office key: %w", schema.ErrInvalid, err)
	}
	return nil
}

// checkWrap checks an officer's wrapping from a command (empty: none).
func checkWrap(w seal.Wrapped) error {
	if len(w) == 0 {
		return nil
	}
	if _, err := w.KeyID(); err != nil {
		return fmt.Errorf("%w: wrapped key: %w", schema.ErrInvalid, err)
	}
	return nil
}

// sealIdentity seals an identity to the office's public key, under this
// run's epoch; it needs no unlocked key. The epoch's key, sealed once to
// the office, goes with the identity until the store holds it: a member
// that holds it knows every member applied it, since it came through
// the same log.
func (s *Store) sealIdentity(ident []byte) (*sealedIdentity, error) {
	s.keys.mu.Lock()
	defer s.keys.mu.Unlock()
	if s.keys.epoch == nil {
		k, ok, err := s.officeKey()
		if err != nil || !ok {
			return nil, err // an office with no key yet (no officer): kept as before
		}
		pub, err := seal.ParsePublicKey(k.Public)
		if err != nil {
			return nil, err
		}
		e, err := seal.NewEpoch()
		if err != nil {
			return nil, err
		}
		if s.keys.epochSealed, err = e.Sealed(pub); err != nil {
			return nil, err
		}
		s.keys.epoch = e
	}
	e := s.keys.epoch
	out := &sealedIdentity{EpochID: e.ID}
	if !s.keys.epochKept {
		_, kept, err := s.get(epochKey(e.ID))
		if err != nil {
			return nil, err
		}
		s.keys.epochKept = kept
		if !kept {
			out.EpochSealed = s.keys.epochSealed
		}
	}
	var err error
	if out.Value, err = e.Seal(ident, nil); err != nil {
		return nil, err
	}
	return out, nil
}

// openIdentity opens an identity kept sealed; ErrLocked while locked.
func (s *Store) openIdentity(v []byte) ([]byte, error) {
	id, err := seal.EpochOf(v)
	if err != nil {
		return nil, err
	}
	s.keys.mu.Lock()
	defer s.keys.mu.Unlock()
	if s.keys.pair == nil {
		return nil, ErrLocked
	}
	e := s.keys.opened[id]
	if e == nil {
		raw, ok, err := s.get(epochKey(id))
		switch {
		case err != nil:
			return nil, err
		case ok:
			e, err = seal.OpenEpoch(raw, id, s.keys.pair)
		default: // an epoch that travels with ordinary reporters (identity.go)
			e, err = s.sharedEpoch(id, s.keys.pair)
		}
		if err != nil {
			return nil, err
		}
		if s.keys.opened == nil {
			s.keys.opened = map[seal.EpochID]*seal.Epoch{}
		}
		s.keys.opened[id] = e
	}
	return e.Open(v, nil)
}

// putOfficeKey keeps the office's key record (the first admin's write)
// and publishes its public key to the offices below and above.
func (tx *Tx) putOfficeKey(k *OfficeKey) error {
	raw, err := json.Marshal(k)
	if err != nil {
		return err
	}
	tx.Set(keyOfficeKey, raw)
	tx.s.keysDirty = true
	return tx.publishOfficeKey(k)
}

// officeKeyWrite is an office.key command: the office's key record, kept
// if the office has none yet (the first proposal wins).
type officeKeyWrite struct {
	Key *OfficeKey `json:"key"`
}

// kindOfficeKey gives an office made before identity keys its key.
var kindOfficeKey = register(&Kind[officeKeyWrite, bool]{
	Name: "office.key", Version: 1, Entity: entityNone, Result: "stored",
	Check: func(in *officeKeyWrite) error {
		if in.Key == nil {
			return fmt.Errorf("%w: no office key", schema.ErrInvalid)
		}
		return in.Key.check()
	},
	Run: func(tx *Tx, in *officeKeyWrite) (bool, error) {
		if _, ok, err := tx.Get(keyOfficeKey); err != nil || ok {
			return false, err
		}
		return true, tx.putOfficeKey(in.Key)
	},
})

// ErrOfficeKeyExists refuses a second office key.
var ErrOfficeKeyExists = errors.New("node: the office has its identity key already")

// MakeOfficeKey gives an office that has no identity key one (an office
// made before identity keys, or by a harness that adds its officers
// itself), keeps it in memory, and returns its recovery key to print
// once. Officers added from then on while the office is unlocked get it
// wrapped under their password; those added before get it when an admin
// resets their password. An office with a key is ErrOfficeKeyExists.
func (n *Node) MakeOfficeKey(ctx context.Context) (string, error) {
	if _, ok, err := n.store.officeKey(); err != nil || ok {
		if err == nil {
			err = ErrOfficeKeyExists
		}
		return "", err
	}
	pair, rk, key, err := newOfficeKey()
	if err != nil {
		return "", err
	}
	stored, err := exec(ctx, n, kindOfficeKey, officeKeyWrite{Key: key})
	if err != nil {
		return "", err
	}
	if !stored {
		return "", ErrOfficeKeyExists
	}
	n.store.keys.hold(pair)
	if n.cfg.Tier == TierDesa {
		n.resealClear()
	}
	return rk.String(), nil
}

// OfficePublicKey is the office's public key in its text form; ok is
// false for an office with no key yet.
func (s *Store) OfficePublicKey() (string, bool, error) {
	k, ok, err := s.officeKey()
	if err != nil || !ok {
		return "", ok, err
	}
	return k.Public, true, nil
}

// SubjectHit is a complaint that holds a reporter's NIK, as a
// subject-access request answers it: never the identity itself.
type SubjectHit struct {
	ID        string        `json:"id"`
	Region    schema.Code   `json:"region"`
	CreatedAt string        `json:"created_at"`
	Status    schema.Status `json:"status"`
	Anonymous bool          `json:"anonymous"`
}

// SubjectComplaints finds every complaint this node holds whose reporter
// has the NIK nik, for a subject-access request (UU 27/2022): ordinary
// reporters as replicated, anonymous ones kept here opened with the
// office's key. While the key is locked the anonymous ones cannot be
// searched: locked counts them.
func (s *Store) SubjectComplaints(nik string) (hits []SubjectHit, locked int, err error) {
	hits = []SubjectHit{}
	f := ComplaintFilter{Limit: 500}
	for {
		page, err := s.ListComplaints(f)
		if err != nil {
			return nil, 0, err
		}
		for _, c := range page.Complaints {
			if c.Reporter.IdentityLocked {
				locked++
				continue
			}
			if c.Reporter.NIK == nik {
				hits = append(hits, SubjectHit{ID: c.ID, Region: c.Region, CreatedAt: c.CreatedAt, Status: c.Status,
					Anonymous: c.Reporter.Anonymous})
			}
		}
		if page.Next == "" {
			return hits, locked, nil
		}
		f.Cursor = page.Next
	}
}

// resealWrite is an identity.reseal command: anonymous reporters' records
// kept in clear (taken before the office had its key), sealed.
type resealWrite struct {
	Records map[string]*sealedIdentity `json:"records"`
}

// maxReseal bounds the records one reseal write carries.
const maxReseal = 500

// checkRecords checks identities sealed by a proposer, by complaint: at
// least one, at most maxReseal.
func checkRecords(records map[string]*sealedIdentity) error {
	if len(records) == 0 || len(records) > maxReseal {
		return fmt.Errorf("%w: %d records to seal", schema.ErrInvalid, len(records))
	}
	for id, r := range records {
		if _, err := schema.ParseTrackingNumber(id); err != nil || r == nil {
			return fmt.Errorf("%w: record %q to seal", schema.ErrInvalid, id)
		}
		if err := r.check(); err != nil {
			return err
		}
	}
	return nil
}

// kindReseal replaces clear records with their sealed form; a record
// that changed meanwhile (sealed already) is left alone.
var kindReseal = register(&Kind[resealWrite, int]{
	Name: "identity.reseal", Version: 1, Entity: entityNone, Result: "resealed",
	Check: func(in *resealWrite) error {
		return checkRecords(in.Records)
	},
	Run: func(tx *Tx, in *resealWrite) (int, error) {
		n := 0
		for id, sealed := range in.Records {
			raw, ok, err := tx.Get(privateKey(id))
			if err != nil {
				return n, err
			}
			if !ok || len(raw) == 0 || raw[0] != '{' {
				continue
			}
			if len(sealed.EpochSealed) > 0 {
				if _, kept, err := tx.Get(epochKey(sealed.EpochID)); err != nil {
					return n, err
				} else if !kept {
					tx.Set(epochKey(sealed.EpochID), sealed.EpochSealed)
				}
			}
			tx.Set(privateKey(id), sealed.Value)
			n++
		}
		return n, nil
	},
})

// sealClearIdentities seals, at a desa whose office has its key, the
// anonymous reporters it kept in clear before: at every open, and once
// the key is made. It returns how many it sealed.
func (s *Store) sealClearIdentities(ctx context.Context) (int, error) {
	if _, ok, err := s.officeKey(); err != nil || !ok {
		return 0, err
	}
	lo := []byte(prefixPrivate)
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: lo, UpperBound: prefixEnd(lo)})
	if err != nil {
		return 0, fmt.Errorf("node: reseal: %w", err)
	}
	clear := map[string][]byte{}
	for it.First(); it.Valid(); it.Next() {
		v := it.Value()
		if len(v) > 0 && v[0] == '{' {
			clear[string(it.Key()[len(lo):])] = append([]byte(nil), v...)
		}
	}
	if err := errors.Join(it.Error(), it.Close()); err != nil {
		return 0, fmt.Errorf("node: reseal: %w", err)
	}
	total := 0
	for len(clear) > 0 {
		in := resealWrite{Records: map[string]*sealedIdentity{}}
		for id, v := range clear {
			if len(in.Records) == maxReseal {
				break
			}
			sealed, err := s.sealIdentity(v)
			if err != nil || sealed == nil {
				return total, err
			}
			in.Records[id] = sealed
			delete(clear, id)
		}
		n, err := runLocal(ctx, s, kindReseal, in)
		total += n
		if err != nil {
			return total, err
		}
		s.keys.mu.Lock()
		s.keys.epochKept = false // the next identity carries the epoch's key again unless the store holds it
		s.keys.mu.Unlock()
	}
	return total, nil
}
