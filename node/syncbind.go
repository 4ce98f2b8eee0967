package node

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/lumbung/lumbung/replication/exchange"
	"github.com/lumbung/lumbung/schema"
)

// A sync token belongs to one laptop: the first origin whose exchange
// shows it binds it (Token.Origin), and an origin is held by one live
// token (bnd/<origin> names its token's hash). A desa restored from a
// backup has a new incarnation, so a new origin: its token, bound to the
// old one, is refused, and the kecamatan's admin revokes the desa's
// tokens and enrolls it again (README, "A desa restored from a backup").
// Changes of an origin other than the link's own are taken only if no
// other live token holds that origin (the old incarnation's changes a
// restored laptop still has to send, once its old token is revoked), and
// the link's own changes only in sequence (no number skipped past what
// is held). Every check reads the state in the raft entry and runs before
// the write touches anything, so a refusal writes nothing.

// syncBind is a sync.bind command: the token with hash Hash is used by
// Origin.
type syncBind struct {
	Hash   string        `json:"hash"`
	Origin schema.Origin `json:"origin"`
}

var kindSyncBind = register(&Kind[syncBind, struct{}]{
	Name: "sync.bind", Version: 1, Entity: entityNone, Result: resultNone,
	Check: func(in *syncBind) error {
		if len(in.Hash) != 64 || !in.Origin.Region.Valid() || !schema.ValidIncarnation(in.Origin.Incarnation) {
			return fmt.Errorf("%w: token binding", schema.ErrInvalid)
		}
		return nil
	},
	Run: func(tx *Tx, in *syncBind) (struct{}, error) {
		return struct{}{}, tx.bindToken(in.Hash, in.Origin)
	},
})

// getter reads a key: a raft entry's Tx, or the store as it is (the
// checks a member runs before it proposes, so that a refused exchange
// leaves nothing in the raft log).
type getter func(key []byte) ([]byte, bool, error)

// tokenFrom reads the token record with hash h.
func tokenFrom(get getter, h string) (*Token, bool, error) {
	b, ok, err := get(tokenKey(h))
	if err != nil || !ok {
		return nil, ok, err
	}
	var t Token
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, false, fmt.Errorf("%w: token record: %w", ErrCorrupt, err)
	}
	return &t, true, nil
}

// bindable says whether the token with hash h may be bound to origin o:
// the record to bind, or done when it already is.
func bindable(get getter, h string, o schema.Origin) (t *Token, done bool, err error) {
	t, ok, err := tokenFrom(get, h)
	switch {
	case err != nil:
		return nil, false, err
	case !ok || t.Revoked:
		return nil, false, fmt.Errorf("%w: token revoked or unknown", exchange.ErrToken)
	case t.Origin == o.String():
		return t, true, nil
	case t.Origin != "":
		return nil, false, fmt.Errorf("%w: token %s is bound to %s, not %s", exchange.ErrBound, t.ID, t.Origin, o)
	}
	return t, false, originFree(get, o, h)
}

// bindToken binds the token with hash h to origin o, or says why not.
func (tx *Tx) bindToken(h string, o schema.Origin) error {
	t, done, err := bindable(tx.Get, h, o)
	if err != nil || done {
		return err
	}
	t.Origin = o.String()
	b, _ := json.Marshal(t)
	tx.Set(tokenKey(h), b)
	tx.Set(boundKey(o), []byte(h))
	return tx.err
}

// originFree refuses origin o when a live token other than the one with
// hash h holds it.
func originFree(get getter, o schema.Origin, h string) error {
	held, ok, err := get(boundKey(o))
	if err != nil || !ok || string(held) == h {
		return err
	}
	other, ok, err := tokenFrom(get, string(held))
	if err != nil {
		return err
	}
	if ok && !other.Revoked {
		return fmt.Errorf("%w: origin %s belongs to token %s", exchange.ErrBound, o, other.ID)
	}
	return nil
}

// checkLinkBatch is what a batch from the link below must pass before
// anything of it is written: the link's own origin's changes in
// sequence, and no change of an origin another live token holds. It
// reads the origin's high-water mark once and each other origin's
// holder once; whether a change is held is read only for one that would
// otherwise be refused (a resend of what the receiver has is fine).
func checkLinkBatch(get getter, in *changesWrite) error {
	own := *in.Origin
	high, _, err := get(highKey(own))
	if err != nil {
		return err
	}
	next := getU64(high)
	free := map[schema.Origin]error{}
	held := func(c *schema.Change) (bool, error) {
		_, ok, err := get(changeKey(c.ID()))
		return ok, err
	}
	for _, c := range in.Changes {
		var refusal error
		switch {
		case c.Origin == own && c.Seq > next+1:
			refusal = fmt.Errorf("%w: change %d of %s follows %d", exchange.ErrGap, c.Seq, own, next)
		case c.Origin != own && in.Token != "":
			r, seen := free[c.Origin]
			if !seen {
				if r = originFree(get, c.Origin, in.Token); r != nil && !errors.Is(r, exchange.ErrBound) {
					return r
				}
				free[c.Origin] = r
			}
			refusal = r
		}
		if refusal != nil {
			if ok, err := held(c); err != nil || !ok {
				return errors.Join(refusal, err)
			}
		}
		if c.Origin == own {
			next = max(next, c.Seq)
		}
	}
	return nil
}

// Bind implements exchange.Receiver: a token already bound to origin
// costs nothing; the first use binds it through a write.
// A refusal is decided on this member's state, caught up with the
// leader, before anything is proposed; the raft entry checks again.
func (y *syncer) Bind(ctx context.Context, link exchange.Link, o schema.Origin) error {
	if t, done, err := bindable(y.n.store.get, link.Key, o); err == nil && done {
		return y.takeOver(ctx, t)
	}
	if err := y.n.Consistent(ctx); err != nil {
		return commitError(err)
	}
	if t, done, err := bindable(y.n.store.get, link.Key, o); err != nil || done {
		if err == nil {
			err = y.takeOver(ctx, t)
		}
		return err
	}
	_, err := exec(ctx, y.n, kindSyncBind, syncBind{Hash: link.Key, Origin: o})
	return commitError(err)
}
