package node

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/lumbung/lumbung/replication/exchange"
	"github.com/lumbung/lumbung/replication/trust"
	"github.com/lumbung/lumbung/schema"
)

// Sync tokens expire and are rotated without anyone re-enrolling by hand.
//
// A token lives TokenLifetime (a year by default; Config.TokenDays). Once
// half of it has passed (at once for a token issued before tokens
// expired), the next successful exchange that uses it carries its
// successor in a response header (exchange.HeaderNextToken): a token for
// the same region, bound to the same origin, with a life of its own. The
// successor's secret is derived from the cluster's secret and the
// predecessor's hash, so every member gives the same one and an answer
// lost on the way is given again; the upstream stores only its hash. The
// node below saves it (a desa in lumbung.json, a cluster in its state,
// sealed) and uses it from its next exchange; that first use revokes the
// predecessor and moves the origin to the successor in one raft entry, so
// a copy of the old token is worth nothing from then on. A node below
// that does not sync for half a lifetime misses its rotation, and its
// token expires: it is refused in words (token_expired) and re-enrolled
// as a new laptop is.

// DefaultTokenLifetime is how long a sync token lives.
const DefaultTokenLifetime = 365 * 24 * time.Hour

// tokenLifetime is the life of the tokens this node issues.
func (n *Node) tokenLifetime() time.Duration {
	switch {
	case n.tokenLife > 0:
		return n.tokenLife
	case n.cfg.TokenDays > 0:
		return time.Duration(n.cfg.TokenDays) * 24 * time.Hour
	}
	return DefaultTokenLifetime
}

// expired says whether t is no longer accepted at now (Unix ms).
func (t *Token) expired(now int64) bool { return t.Expires != 0 && now >= t.Expires }

// due says whether t's exchanges should carry its successor at now:
// offered already, issued before tokens expired, or past half its life.
func (t *Token) due(now int64) bool {
	return t.Successor != "" || t.Expires == 0 || now >= t.Issued+(t.Expires-t.Issued)/2
}

// successorSecret is the secret of the successor of the token with hash
// pred: an HMAC under a key derived from the cluster's secret, so that
// every member derives the same and none stores it.
func (n *Node) successorSecret(pred string) (string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(n.memberKey)
	if err != nil || len(raw) == 0 {
		return "", errors.New("node: no cluster secret to derive a successor token from")
	}
	key, err := hkdf.Key(sha256.New, raw, nil, "lumbung sync token successor v1", 32)
	if err != nil {
		return "", err
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(pred))
	return "lmb_" + base32.NewEncoding(crockford).WithPadding(base32.NoPadding).EncodeToString(mac.Sum(nil)[:16]), nil
}

// crockford is the alphabet of sync tokens (newToken).
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// tokenRotate is a sync.token_rotate command: the token with hash Pred
// gets the successor Next.
type tokenRotate struct {
	Pred string `json:"pred"`
	Next *Token `json:"next"`
}

var kindTokenRotate = register(&Kind[tokenRotate, struct{}]{
	Name: "sync.token_rotate", Version: 1, Entity: entityNone, Result: resultNone,
	Check: func(in *tokenRotate) error {
		if len(in.Pred) != 64 || in.Next == nil || len(in.Next.Hash) != 64 || in.Next.Predecessor != in.Pred || !in.Next.Region.Valid() {
			return fmt.Errorf("%w: token rotation", schema.ErrInvalid)
		}
		return nil
	},
	Run: func(tx *Tx, in *tokenRotate) (struct{}, error) {
		pred, ok, err := tokenFrom(tx.Get, in.Pred)
		switch {
		case err != nil:
			return struct{}{}, err
		case !ok || pred.Revoked:
			return struct{}{}, fmt.Errorf("%w: the token to rotate is revoked or unknown", exchange.ErrToken)
		case pred.Successor == in.Next.Hash:
			return struct{}{}, nil // rotated already
		case pred.Successor != "":
			return struct{}{}, fmt.Errorf("%w: token %s has another successor", schema.ErrInvalid, pred.ID)
		}
		if _, taken, err := tokenFrom(tx.Get, in.Next.Hash); err != nil || taken {
			// A successor never overwrites a token record, whatever proposed it.
			return struct{}{}, errors.Join(err, fmt.Errorf("%w: token %s exists", schema.ErrInvalid, in.Next.ID))
		}
		pred.Successor = in.Next.Hash
		next := *in.Next
		next.Region, next.Origin = pred.Region, pred.Origin
		if err := tx.putToken(pred); err != nil {
			return struct{}{}, err
		}
		return struct{}{}, tx.putToken(&next)
	},
})

// tokenTakeOver is a sync.token_take_over command: the token with hash
// Hash, a successor, is used for the first time; its predecessor is
// revoked and its origin moves to it.
type tokenTakeOver struct {
	Hash string `json:"hash"`
}

var kindTokenTakeOver = register(&Kind[tokenTakeOver, struct{}]{
	Name: "sync.token_take_over", Version: 1, Entity: entityNone, Result: resultNone,
	Check: func(in *tokenTakeOver) error {
		if len(in.Hash) != 64 {
			return fmt.Errorf("%w: token take-over", schema.ErrInvalid)
		}
		return nil
	},
	Run: func(tx *Tx, in *tokenTakeOver) (struct{}, error) {
		t, ok, err := tokenFrom(tx.Get, in.Hash)
		if err != nil || !ok || t.Revoked || t.Predecessor == "" {
			return struct{}{}, err
		}
		pred, ok, err := tokenFrom(tx.Get, t.Predecessor)
		if err != nil || !ok || pred.Revoked {
			return struct{}{}, err
		}
		pred.Revoked = true
		if err := tx.putToken(pred); err != nil {
			return struct{}{}, err
		}
		if t.Origin != "" {
			tx.Set([]byte(prefixBound+t.Origin), []byte(t.Hash)) // boundKey of the origin
		}
		return struct{}{}, tx.err
	},
})

// putToken writes a token record.
func (tx *Tx) putToken(t *Token) error {
	b, err := json.Marshal(t)
	if err != nil {
		return err
	}
	tx.Set(tokenKey(t.Hash), b)
	return tx.err
}

// Rotate implements exchange.Rotator: the successor of link's token, as
// a node below is given it (with this node's pin), made the first time.
func (y *syncer) Rotate(ctx context.Context, link exchange.Link) (string, error) {
	n := y.n
	pred, ok, err := tokenFrom(n.store.get, link.Key)
	if err != nil || !ok || pred.Revoked {
		return "", errors.Join(err, errors.New("node: the token to rotate is gone"))
	}
	secret, err := n.successorSecret(pred.Hash)
	if err != nil {
		return "", err
	}
	h := TokenHash(secret)
	if pred.Successor != h {
		now := n.now()
		next := &Token{ID: h[:12], Hash: h, Region: pred.Region, Issued: now.UnixMilli(),
			Expires: now.Add(n.tokenLifetime()).UnixMilli(), Predecessor: pred.Hash}
		if _, err := exec(ctx, n, kindTokenRotate, tokenRotate{Pred: pred.Hash, Next: next}); err != nil {
			return "", err
		}
		n.log.Info("sync token rotated", "region", pred.Region, "token", pred.ID, "successor", next.ID)
	}
	return n.printedToken(secret), nil
}

// takeOver makes the first use of a successor token revoke its
// predecessor; it does nothing for any other token.
func (y *syncer) takeOver(ctx context.Context, t *Token) error {
	if t.Predecessor == "" {
		return nil
	}
	pred, ok, err := tokenFrom(y.n.store.get, t.Predecessor)
	if err != nil || !ok || pred.Revoked {
		return err
	}
	_, err = exec(ctx, y.n, kindTokenTakeOver, tokenTakeOver{Hash: t.Hash})
	return commitError(err)
}

// The uplink's side: the successor the upstream gave is kept before it
// is used, so a crash between the two loses nothing (the predecessor
// stays valid until the successor's first use).

// uplinkToken is a sync.uplink_token command: this cluster's own sync
// token, sealed under the member key.
type uplinkToken struct {
	Sealed string `json:"sealed"`
}

var kindUplinkToken = register(&Kind[uplinkToken, struct{}]{
	Name: "sync.uplink_token", Version: 1, Entity: entityNone, Result: resultNone,
	Check: func(in *uplinkToken) error {
		if in.Sealed == "" || len(in.Sealed) > 1024 {
			return fmt.Errorf("%w: sealed uplink token", schema.ErrInvalid)
		}
		return nil
	},
	Run: func(tx *Tx, in *uplinkToken) (struct{}, error) {
		tx.Set(keyUplinkToken, []byte(in.Sealed))
		return struct{}{}, tx.err
	},
})

// keepToken keeps the successor token the upstream gave: in a desa's
// lumbung.json, in a cluster's state (sealed: a backup of the state
// carries no token in clear). The file on disk, not n.cfg, changes: the
// running configuration is read without locks.
func (n *Node) keepToken(ctx context.Context, printed string) error {
	if n.cluster != nil {
		sealed, err := n.seal(printed)
		if err != nil {
			return err
		}
		_, err = exec(ctx, n, kindUplinkToken, uplinkToken{Sealed: sealed})
		return err
	}
	cfg, err := LoadConfig(n.dir)
	if err != nil {
		return err
	}
	cfg.Token = printed
	return SaveConfig(n.dir, cfg)
}

// clusterUplinkToken is the cluster's own sync token kept in its state,
// if its upstream rotated it.
func (n *Node) clusterUplinkToken() (string, bool) {
	b, ok, err := n.store.get(keyUplinkToken)
	if err != nil || !ok {
		return "", false
	}
	t, err := n.unseal(string(b))
	if err != nil {
		n.log.Error("the cluster's sync token in its state does not open with this member's key", "err", err)
		return "", false
	}
	return t, true
}

// sealKey is the AES-256-GCM key that seals what a cluster keeps in its
// state for its members' eyes only.
func (n *Node) sealKey() (cipher.AEAD, error) {
	raw, err := base64.RawURLEncoding.DecodeString(n.memberKey)
	if err != nil || len(raw) == 0 {
		return nil, errors.New("node: no cluster secret to seal with")
	}
	key, err := hkdf.Key(sha256.New, raw, nil, "lumbung state seal v1", 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func (n *Node) seal(plain string) (string, error) {
	aead, err := n.sealKey()
	if err != nil {
		return "", err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(aead.Seal(nonce, nonce, []byte(plain), keyUplinkToken)), nil
}

func (n *Node) unseal(sealed string) (string, error) {
	aead, err := n.sealKey()
	if err != nil {
		return "", err
	}
	b, err := base64.RawURLEncoding.DecodeString(sealed)
	if err != nil || len(b) < aead.NonceSize() {
		return "", errors.New("node: sealed value is damaged")
	}
	plain, err := aead.Open(nil, b[:aead.NonceSize()], b[aead.NonceSize():], keyUplinkToken)
	if err != nil {
		return "", fmt.Errorf("node: sealed value does not open: %w", err)
	}
	if _, err := trust.ParseEnrollToken(string(plain)); err != nil {
		return "", err
	}
	return string(plain), nil
}
