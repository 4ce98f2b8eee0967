package node

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/seal"
)

// Reporters' identities that travel between tiers (seal/DESIGN.md). An
// ordinary reporter's identity is followed up at the desa, the kecamatan
// and the kabupaten, so it replicates, but never in clear: the office
// that takes the complaint seals it, under an epoch, to its own key and
// to the keys of the offices above it, and it travels in the complaint's
// create as its ciphertext (schema.Reporter.Ciphertext).
//
// Three entities carry the rest:
//
//	officekey/<region>   an office's public key, published with its key: it goes down to every office below and up
//	sealkey/<epoch>      an epoch's data key sealed to the offices that may read under it, once per epoch
//	identity/<id>        a complaint's reporter sealed again (for offices whose keys came later), or erased
//
// An identity entity takes the ciphertext (or a reporter kept in clear)
// out of its complaint's create wherever it lands, so an erasure, or a
// sealing again, leaves the complaint and removes the old bytes.
//
// Each is checked as it folds: an office's key counts only from that
// office, an identity only in the scope of its complaint's region, so an
// office below cannot pose as one above or touch another desa's reporters.

// The entities' prefixes, and their materialisers.
const (
	prefixOfficeKey = "officekey/"
	prefixSealKey   = "sealkey/"
	prefixIdentity  = "identity/"
)

var (
	_              = registerEntity(prefixOfficeKey, materialiseOfficeKey)
	_              = registerEntity(prefixSealKey, materialiseSealKey)
	entityIdentity = registerEntity(prefixIdentity, materialiseIdentity)
)

func officeKeyEntity(r schema.Code) string   { return prefixOfficeKey + string(r) }
func sealKeyEntity(id seal.EpochID) string   { return prefixSealKey + id.String() }
func identityEntity(complaint string) string { return prefixIdentity + complaint }

// publishedKey is an officekey change's body and state.
type publishedKey struct {
	Public string `json:"public"`
}

// publishOfficeKey writes the office's public key as a change of its
// own region, beside the office's key record.
func (tx *Tx) publishOfficeKey(k *OfficeKey) error {
	region := tx.s.cfg.Region
	_, _, err := tx.Append("lumbung", officeKeyEntity(region), region, schema.OpOfficeKeySet,
		publishedKey{Public: k.Public}, nil)
	return err
}

// materialiseOfficeKey keeps the latest key an office published of
// itself; a change from any other office is kept but never counts.
func materialiseOfficeKey(tx *Tx, u entityUpdate) (any, error) {
	region := schema.Code(strings.TrimPrefix(u.change.Entity, prefixOfficeKey))
	var out *publishedKey
	for _, c := range schema.SortChanges(u.all) {
		if c.Op != schema.OpOfficeKeySet || c.Scope != region || c.Origin.Region != region {
			continue
		}
		var k publishedKey
		if json.Unmarshal(c.Body, &k) != nil {
			continue
		}
		if _, err := seal.ParsePublicKey(k.Public); err != nil {
			continue
		}
		out = &k
	}
	if out == nil {
		return nil, nil
	}
	raw, err := json.Marshal(out)
	if err != nil {
		return nil, err
	}
	tx.Set(stateKey(u.change.Entity), raw)
	tx.s.keysDirty = true
	return out, nil
}

// sealKeyBody is a sealkey change's body.
type sealKeyBody struct {
	Sealed seal.Sealed `json:"sealed"`
}

// maxSealKeys bounds the keys one epoch's state keeps.
const maxSealKeys = 8

// materialiseSealKey keeps every distinct sealed key named for the epoch
// (at most maxSealKeys), in change order: an epoch's id is random, so
// there is one, but an office below that sent another under the same id
// could otherwise hide the real one. Opening tries each; a sealed key is
// bound to its epoch's id.
func materialiseSealKey(tx *Tx, u entityUpdate) (any, error) {
	var keys []seal.Sealed
	for _, c := range schema.SortChanges(u.all) {
		var b sealKeyBody
		if c.Op != schema.OpSealKeySet || json.Unmarshal(c.Body, &b) != nil {
			continue
		}
		if _, err := seal.Parse(b.Sealed); err != nil || len(keys) == maxSealKeys {
			continue
		}
		if !slices.ContainsFunc(keys, func(k seal.Sealed) bool { return string(k) == string(b.Sealed) }) {
			keys = append(keys, b.Sealed)
		}
	}
	if keys == nil {
		return nil, nil
	}
	raw, err := json.Marshal(keys)
	if err != nil {
		return nil, err
	}
	tx.Set(stateKey(u.change.Entity), raw)
	return keys, nil
}

// identityBody is an identity.set change's body: the reporter's identity
// sealed under an epoch (which the value names). An erased one's is
// empty ({}).
type identityBody struct {
	Value []byte `json:"value"`
}

// identityState is an identity entity's state.
type identityState struct {
	Epoch    seal.EpochID `json:"epoch,omitzero"`
	Value    []byte       `json:"value,omitempty"`
	Erased   bool         `json:"erased,omitempty"`
	ErasedBy string       `json:"erased_by,omitempty"`
	ErasedAt int64        `json:"erased_at,omitempty"` // wall ms
}

// redacted is the body an erased identity's changes keep.
var redacted = json.RawMessage(`{}`)

// materialiseIdentity folds a reporter's identity: the latest one set,
// unless any change erased it. An erasure is final whatever its order
// (an identity set again later, by a laptop restored from an older
// backup, stays erased), and it removes what it erases from this store:
// the bodies of the identity's changes, an identity the complaint's
// create carried in clear (written before sealing, or by an older
// release), and an anonymous reporter's local record. The sealed bytes
// then survive only where the store has not yet compacted them away.
func materialiseIdentity(tx *Tx, u entityUpdate) (any, error) {
	id := strings.TrimPrefix(u.change.Entity, prefixIdentity)
	var complaint struct {
		Region schema.Code `json:"region"`
	}
	known, err := getJSONFrom(tx.b, stateKey(schema.ComplaintEntity(id)), &complaint)
	if err != nil {
		return nil, err
	}
	var st identityState
	var sets []*schema.Change
	for _, c := range schema.SortChanges(u.all) {
		if known && c.Scope != complaint.Region || !known && !inComplaintScope(id, c.Scope) {
			continue // another desa's office writing this desa's reporter
		}
		switch c.Op {
		case schema.OpIdentityErase:
			if !st.Erased {
				st = identityState{Erased: true, ErasedBy: c.Actor, ErasedAt: c.HLC.Wall}
			}
		case schema.OpIdentitySet:
			sets = append(sets, c)
			var b identityBody
			if st.Erased || json.Unmarshal(c.Body, &b) != nil || len(b.Value) == 0 {
				continue
			}
			if epoch, err := seal.EpochOf(b.Value); err == nil {
				st.Epoch, st.Value = epoch, b.Value
			}
		}
	}
	if st.Erased {
		if err := tx.erase(id, sets); err != nil {
			return nil, err
		}
	} else if st.Value != nil && known {
		// Sealed now: a reporter its create held in clear leaves it.
		if err := tx.stripCreate(id); err != nil {
			return nil, err
		}
	}
	if !st.Erased && st.Value == nil {
		return nil, nil
	}
	return tx.putIdentity(u.change.Entity, &st)
}

// putIdentity writes an identity entity's state.
func (tx *Tx) putIdentity(entity string, st *identityState) (*identityState, error) {
	raw, err := json.Marshal(st)
	if err != nil {
		return nil, err
	}
	tx.Set(stateKey(entity), raw)
	return st, nil
}

// inComplaintScope says whether scope may be that of tracking number id's
// complaint, before the complaint itself is here: the region of the office
// that took it (the number's first part, a code without its dots) or one
// below it (a kecamatan's counter takes complaints for its desa).
func inComplaintScope(id string, scope schema.Code) bool {
	digits, _, ok := strings.Cut(id, "-")
	return ok && strings.HasPrefix(strings.ReplaceAll(string(scope), ".", ""), digits)
}

// erase removes an erased reporter's identity from the store: the bodies
// of its identity changes, the identity in its complaint's create, its
// local record. The complaint stays, with its reporter's flags.
func (tx *Tx) erase(id string, sets []*schema.Change) error {
	for _, c := range sets {
		if string(c.Body) == string(redacted) {
			continue
		}
		r := *c
		r.Body = redacted
		tx.Set(changeKey(r.ID()), schema.EncodeChange(&r))
	}
	tx.Delete(privateKey(id))
	return tx.stripCreate(id)
}

// stripCreate removes from a complaint's create a reporter it holds in
// clear, and from the complaint's state.
func (tx *Tx) stripCreate(id string) error {
	entity := schema.ComplaintEntity(id)
	changes, err := tx.EntityChanges(entity)
	if err != nil {
		return err
	}
	stripped := false
	for _, c := range changes {
		if c.Op != schema.OpComplaintCreate {
			continue
		}
		var body schema.CreateBody
		if json.Unmarshal(c.Body, &body) != nil || !body.Reporter.HasIdentity() && body.Reporter.Ciphertext == nil {
			continue
		}
		body.Reporter = body.Reporter.Flags()
		raw, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r := *c
		r.Body = raw
		tx.Set(changeKey(r.ID()), schema.EncodeChange(&r))
		*c = r
		stripped = true
	}
	if !stripped {
		return nil
	}
	cur, err := schema.FoldComplaint(changes)
	if err != nil {
		return nil // its create has not arrived: it comes stripped, or is stripped when it folds
	}
	_, err = tx.writeComplaint(entity, cur)
	return err
}

// erased says whether a complaint's reporter was erased here; a create
// that arrives after its erasure is stripped as it folds.
func (tx *Tx) erased(id string) (bool, error) {
	var st identityState
	found, err := getJSONFrom(tx.b, stateKey(identityEntity(id)), &st)
	return found && st.Erased, err
}

// recipients are the public keys a reporter taken here is sealed to: the
// office's own and those of the offices above it that published theirs
// (the kecamatan's and the kabupaten's, at a desa). ok is false for an
// office with no key yet. They are read again only once a write of a key
// is durable (keysGen), so an intake reads nothing from the store.
func (s *Store) recipients() ([]seal.PublicKey, string, bool, error) {
	gen := s.keysGen.Load() // before the reads: a key durable meanwhile makes them stale
	s.keys.mu.Lock()
	if s.keys.toSet && s.keys.toGen == gen {
		defer s.keys.mu.Unlock()
		return s.keys.to, s.keys.toIDs, s.keys.toOK, nil
	}
	s.keys.mu.Unlock()
	keys, ok, err := s.readRecipients()
	if err != nil {
		return nil, "", false, err
	}
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = k.String()
	}
	ids := strings.Join(names, ",")
	s.keys.mu.Lock()
	defer s.keys.mu.Unlock()
	s.keys.to, s.keys.toIDs, s.keys.toOK, s.keys.toGen, s.keys.toSet = keys, ids, ok, gen, true
	return keys, ids, ok, nil
}

func (s *Store) readRecipients() (keys []seal.PublicKey, ok bool, err error) {
	own, ok, err := s.officeKey()
	if err != nil || !ok {
		return nil, false, err
	}
	pub, err := seal.ParsePublicKey(own.Public)
	if err != nil {
		return nil, false, err
	}
	keys = append(keys, pub)
	for r := s.cfg.Region.Parent(); r != ""; r = r.Parent() {
		var k publishedKey
		found, err := s.getJSON(stateKey(officeKeyEntity(r)), &k)
		if err != nil {
			return nil, false, err
		}
		if !found {
			continue
		}
		if pub, err := seal.ParsePublicKey(k.Public); err == nil {
			keys = append(keys, pub)
		}
	}
	return keys, true, nil
}

// SealsTo names the offices an ordinary reporter taken here now is
// sealed to: this office, once it has its key, and each office above it
// whose key has come down.
func (s *Store) SealsTo() ([]schema.Code, error) {
	if _, ok, err := s.officeKey(); err != nil || !ok {
		return []schema.Code{}, err
	}
	out := []schema.Code{s.cfg.Region}
	for r := s.cfg.Region.Parent(); r != ""; r = r.Parent() {
		if _, found, err := s.get(stateKey(officeKeyEntity(r))); err != nil {
			return nil, err
		} else if found {
			out = append(out, r)
		}
	}
	return out, nil
}

// sealShared seals an ordinary reporter's identity to the recipients,
// under the epoch this run holds for them (a new one when they change:
// an office above published its key). It needs no unlocked key; nil
// when the office has no key yet (the identity then travels in clear,
// as before sealing).
func (s *Store) sealShared(ident []byte) (*sealedIdentity, error) {
	keys, to, ok, err := s.recipients()
	if err != nil || !ok {
		return nil, err
	}
	s.keys.mu.Lock()
	defer s.keys.mu.Unlock()
	sh := &s.keys.shared
	if sh.epoch == nil || sh.to != to {
		e, err := seal.NewEpoch()
		if err != nil {
			return nil, err
		}
		sealed, err := e.Sealed(keys...)
		if err != nil {
			return nil, err
		}
		*sh = epochRun{epoch: e, sealed: sealed, to: to}
	}
	out := &sealedIdentity{EpochID: sh.epoch.ID}
	if !sh.kept {
		_, kept, err := s.get(stateKey(sealKeyEntity(sh.epoch.ID)))
		if err != nil {
			return nil, err
		}
		sh.kept = kept
		if !kept {
			out.EpochSealed = sh.sealed
		}
	}
	if out.Value, err = sh.epoch.Seal(ident, nil); err != nil {
		return nil, err
	}
	return out, nil
}

// keepEpoch writes, beside a new complaint whose reporter is sealed in
// it, the key of the epoch the reporter is sealed under, if the store
// has not got it. The proposer sends the epoch's key only until its store
// holds it, and every member applies the same log, so an identity that
// comes without it finds it here: it is not read for each identity.
func (tx *Tx) keepEpoch(actor string, in *sealedIdentity) error {
	if len(in.EpochSealed) == 0 {
		return nil
	}
	entity := sealKeyEntity(in.EpochID)
	if _, ok, err := tx.Get(stateKey(entity)); err != nil || ok {
		return err
	}
	_, _, err := tx.Append(actor, entity, tx.s.cfg.Region, schema.OpSealKeySet,
		sealKeyBody{Sealed: in.EpochSealed}, []*schema.Change{})
	return err
}

// sharedEpoch finds the key of an epoch that came with the identities
// sealed under it, opened with pair.
func (s *Store) sharedEpoch(id seal.EpochID, pair *seal.KeyPair) (*seal.Epoch, error) {
	var keys []seal.Sealed
	found, err := s.getJSON(stateKey(sealKeyEntity(id)), &keys)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, fmt.Errorf("%w: epoch %s", ErrNotFound, id)
	}
	err = seal.ErrNotForKey
	for _, k := range keys {
		var e *seal.Epoch
		if e, err = seal.OpenEpoch(k, id, pair); err == nil {
			return e, nil
		}
	}
	return nil, err
}

// HeldIdentity is the sealed identity this node holds beside complaint
// id, if any, and whether it was erased: what a subject-access request
// asks of each tier, and what the erasure tests look for.
func (s *Store) HeldIdentity(id string) (sealed []byte, erased bool, err error) {
	var st identityState
	found, err := s.getJSON(stateKey(identityEntity(id)), &st)
	if err != nil || found {
		return st.Value, st.Erased, err
	}
	var c schema.Complaint
	if _, err := s.getJSON(stateKey(schema.ComplaintEntity(id)), &c); err != nil {
		return nil, false, err
	}
	return c.Reporter.Ciphertext, false, nil // sealed in its create
}

// identityErase is an identity.erase command.
type identityErase struct {
	ID      string `json:"id"`
	Officer string `json:"officer,omitempty"`
}

// kindIdentityErase erases a reporter's identity (UU 27/2022) as a change
// of the identity's entity: it replicates to every tier that holds the
// identity and removes it there. It answers false for one erased already.
var kindIdentityErase = register(&Kind[identityErase, bool]{
	Name: "identity.erase", Version: 1, Entity: entityIdentity, Result: "erased",
	Check: func(in *identityErase) error {
		if _, err := schema.ParseTrackingNumber(in.ID); err != nil {
			return ErrNotFound
		}
		return nil
	},
	Run: func(tx *Tx, in *identityErase) (bool, error) {
		var c schema.Complaint
		found, err := getJSONFrom(tx.b, stateKey(schema.ComplaintEntity(in.ID)), &c)
		if err != nil {
			return false, err
		}
		if !found {
			return false, ErrNotFound
		}
		if done, err := tx.erased(in.ID); err != nil || done {
			return false, err
		}
		_, _, err = tx.Append(actor(in.Officer), identityEntity(in.ID), c.Region, schema.OpIdentityErase,
			struct{}{}, nil)
		return err == nil, err
	},
})

// EraseIdentity erases the identity of a complaint's reporter, at this
// node and, as the change replicates, at every tier that holds it. The
// complaint stays. It answers false when the identity was erased already.
func (n *Node) EraseIdentity(ctx context.Context, id, officer string) (bool, error) {
	return exec(ctx, n, kindIdentityErase, identityErase{ID: id, Officer: officer})
}

// sharedReseal is an identity.share command: ordinary reporters of
// complaints taken here sealed anew, by the proposer, to the offices they
// were not sealed to (their keys came down after the complaint was
// taken), or sealed for the first time (kept in clear in their
// complaint's create, taken before the office had a key or by an older
// release).
type sharedReseal struct {
	Records map[string]*sealedIdentity `json:"records"`
}

// kindIdentityShare writes each record as the identity of its complaint;
// one erased meanwhile stays erased, and a complaint that holds its
// reporter in clear loses it from its create (at every tier, as the
// change reaches it: materialiseIdentity).
var kindIdentityShare = register(&Kind[sharedReseal, int]{
	Name: "identity.share", Version: 1, Entity: entityIdentity, Result: "sealed",
	Check: func(in *sharedReseal) error { return checkRecords(in.Records) },
	Run: func(tx *Tx, in *sharedReseal) (int, error) {
		n := 0
		for _, id := range slices.Sorted(maps.Keys(in.Records)) {
			var c schema.Complaint
			found, err := getJSONFrom(tx.b, stateKey(schema.ComplaintEntity(id)), &c)
			if err != nil {
				return n, err
			}
			if gone, err := tx.erased(id); err != nil || !found || gone || c.Reporter.Anonymous {
				if err != nil {
					return n, err
				}
				continue
			}
			r := in.Records[id]
			if len(r.EpochSealed) > 0 {
				if _, ok, err := tx.Get(stateKey(sealKeyEntity(r.EpochID))); err != nil {
					return n, err
				} else if !ok {
					if _, _, err := tx.Append("lumbung", sealKeyEntity(r.EpochID), tx.s.cfg.Region, schema.OpSealKeySet,
						sealKeyBody{Sealed: r.EpochSealed}, []*schema.Change{}); err != nil {
						return n, err
					}
				}
			}
			if _, _, err := tx.Append("lumbung", identityEntity(id), c.Region, schema.OpIdentitySet,
				identityBody{Value: r.Value}, nil); err != nil {
				return n, err
			}
			n++
		}
		return n, nil
	},
})

// shareIdentities seals anew, at the office that took them, the ordinary
// reporters that the offices above it cannot read yet: those kept in
// clear (no key needed) and, while the office is unlocked, those sealed
// before an office above published its key. It returns how many it
// sealed, and how many wait for the office to be unlocked.
func (s *Store) shareIdentities(ctx context.Context) (sealed, waiting int, err error) {
	keys, _, ok, err := s.recipients()
	if err != nil || !ok {
		return 0, 0, err
	}
	want := map[seal.KeyID]bool{}
	for _, k := range keys {
		want[k.ID()] = true
	}
	covers := map[seal.EpochID]bool{} // by epoch: sealed to every office wanted
	mine := strings.ReplaceAll(string(s.cfg.Region), ".", "") + "-"
	todo := map[string]schema.Reporter{}
	f := ComplaintFilter{Limit: 500}
	for {
		page, err := s.ListComplaints(f)
		if err != nil {
			return 0, 0, err
		}
		for _, c := range page.Complaints {
			if c.Reporter.Anonymous || !strings.HasPrefix(c.ID, mine) || c.Reporter.IdentityErased {
				continue
			}
			v, _, err := s.HeldIdentity(c.ID)
			if err != nil {
				return 0, 0, err
			}
			if v == nil {
				if ident := c.Reporter.Identity(); ident.HasIdentity() {
					todo[c.ID] = ident // in clear in its create
				}
				continue
			}
			if c.Reporter.IdentityLocked {
				if !s.Unlocked() {
					waiting++ // it waits for an officer to unlock the office
				}
				continue // or unreadable here, for good
			}
			epoch, err := seal.EpochOf(v)
			if err != nil {
				continue
			}
			ok, seen := covers[epoch]
			if !seen {
				ok = s.epochCovers(epoch, want)
				covers[epoch] = ok
			}
			if !ok {
				todo[c.ID] = c.Reporter.Identity()
			}
		}
		if page.Next == "" {
			break
		}
		f.Cursor = page.Next
	}
	total := 0
	for len(todo) > 0 {
		in := sharedReseal{Records: map[string]*sealedIdentity{}}
		for id, r := range todo {
			if len(in.Records) == maxReseal {
				break
			}
			sealed, err := s.sealShared(encodeIdentity(r))
			if err != nil || sealed == nil {
				return total, waiting, err
			}
			in.Records[id] = sealed
			delete(todo, id)
		}
		n, err := runLocal(ctx, s, kindIdentityShare, in)
		total += n
		if err != nil {
			return total, waiting, err
		}
		s.keys.mu.Lock()
		s.keys.shared.kept = false // checked again: the epoch's key went with the first record
		s.keys.mu.Unlock()
	}
	return total, waiting, nil
}

// epochCovers says whether the epoch's key was sealed to every key in
// want.
func (s *Store) epochCovers(id seal.EpochID, want map[seal.KeyID]bool) bool {
	var keys []seal.Sealed
	if found, err := s.getJSON(stateKey(sealKeyEntity(id)), &keys); err != nil || !found {
		return false
	}
	for _, k := range keys {
		env, err := seal.Parse(k)
		if err != nil {
			continue
		}
		got := 0
		for _, r := range env.Recipients {
			if want[r] {
				got++
			}
		}
		if got == len(want) {
			return true
		}
	}
	return false
}

// retentionActor is who an erasure by the retention rule is recorded as.
const retentionActor = "lumbung (retensi)"

// EraseArchived erases the identity of every reporter whose complaint
// was archived before cutoff and still holds one here (sealed, in clear,
// or anonymous, whose identity the desa keeps), as the retention rule
// (Config.EraseIdentityDays) asks. It returns how many it erased.
func (n *Node) EraseArchived(ctx context.Context, cutoff time.Time) (int, error) {
	erased := 0
	f := ComplaintFilter{Status: schema.StatusArchived, Limit: 500}
	for {
		page, err := n.store.ListComplaints(f)
		if err != nil {
			return erased, err
		}
		for _, c := range page.Complaints {
			if c.Reporter.IdentityErased || !archivedBefore(c, cutoff) {
				continue
			}
			held, _, err := n.store.HeldIdentity(c.ID)
			if err != nil {
				return erased, err
			}
			if held == nil && !c.Reporter.Anonymous && !c.Reporter.HasIdentity() {
				continue // no reporter to erase
			}
			ok, err := n.EraseIdentity(ctx, c.ID, retentionActor)
			if err != nil {
				return erased, err
			}
			if ok {
				erased++
			}
		}
		if page.Next == "" {
			return erased, nil
		}
		f.Cursor = page.Next
	}
}

// archivedBefore says whether c's last archive took effect before cutoff.
func archivedBefore(c *schema.Complaint, cutoff time.Time) bool {
	for i := len(c.Actions) - 1; i >= 0; i-- {
		a := c.Actions[i]
		if a.To != schema.StatusArchived || a.Superseded != "" {
			continue
		}
		at, err := time.Parse(time.RFC3339Nano, a.At)
		return err == nil && at.Before(cutoff)
	}
	return false
}

// retentionEvery is how often the retention rule runs.
const retentionEvery = time.Hour

// startRetention runs the retention rule (Config.EraseIdentityDays) at
// open and every retentionEvery: at a desa, and at the member of a
// cluster that leads.
func (n *Node) startRetention() {
	days := n.cfg.EraseIdentityDays
	if days <= 0 {
		return
	}
	n.bg.Add(1)
	go func() {
		defer n.bg.Done()
		t := time.NewTicker(retentionEvery)
		defer t.Stop()
		for {
			if n.cluster == nil || n.cluster.IsLeader() {
				cutoff := n.now().Add(-time.Duration(days) * 24 * time.Hour)
				erased, err := n.EraseArchived(n.ctx, cutoff)
				switch {
				case err != nil && n.ctx.Err() == nil:
					n.log.Warn("erasing archived reporters", "err", err, "erased", erased)
				case erased > 0:
					n.log.Info("archived reporters erased by the retention rule", "erased", erased, "days", days)
				}
			}
			select {
			case <-n.ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
}
