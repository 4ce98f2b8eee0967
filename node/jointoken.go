package node

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/lumbung/lumbung/audit"
	"github.com/lumbung/lumbung/replication/cluster"
	"github.com/lumbung/lumbung/replication/trust"
	"github.com/lumbung/lumbung/schema"
)

// A join token lets one new member into a cluster (package trust). The
// cluster keeps only its hash, under jtk/, with its expiry and, once a
// member-to-be shows it, that member's ID: a token is spent once.

// DefaultJoinTokenTTL is how long a join token is valid unless the admin
// says otherwise: long enough to walk to the new server, short enough
// that one left in a chat is soon worthless.
const DefaultJoinTokenTTL = 24 * time.Hour

// MaxJoinTokenTTL bounds the lifetime an admin may ask for.
const MaxJoinTokenTTL = 7 * 24 * time.Hour

// joinToken is what the cluster keeps of a join token.
type joinToken struct {
	Expires int64  `json:"expires"` // Unix ms
	By      string `json:"by"`
	UsedBy  string `json:"used_by,omitempty"`
}

// joinTokenWrite is a join_token.add or join_token.use command.
type joinTokenWrite struct {
	Hash    string `json:"hash"`
	Expires int64  `json:"expires,omitempty"`
	By      string `json:"by,omitempty"`
	Member  string `json:"member,omitempty"`
}

func (in *joinTokenWrite) checkHash() error {
	if !trust.ValidHash(in.Hash) {
		return fmt.Errorf("%w: join token hash", schema.ErrInvalid)
	}
	return nil
}

var kindJoinTokenAdd = register(&Kind[joinTokenWrite, struct{}]{
	Name: "join_token.add", Version: 1, Entity: entityNone, Result: resultNone,
	Check: func(in *joinTokenWrite) error {
		if in.Expires <= 0 || in.By == "" {
			return fmt.Errorf("%w: join token without expiry or issuer", schema.ErrInvalid)
		}
		return in.checkHash()
	},
	Run: func(tx *Tx, in *joinTokenWrite) (struct{}, error) {
		b, _ := json.Marshal(joinToken{Expires: in.Expires, By: in.By})
		tx.Set(joinTokenKey(in.Hash), b)
		return struct{}{}, tx.err
	},
})

// kindJoinTokenUse spends a token for a member-to-be, deciding by the
// entry's time (the same on every member) whether it has expired.
var kindJoinTokenUse = register(&Kind[joinTokenWrite, struct{}]{
	Name: "join_token.use", Version: 1, Entity: entityNone, Result: resultNone,
	Check: func(in *joinTokenWrite) error {
		if in.Member == "" {
			return fmt.Errorf("%w: join token use without a member", schema.ErrInvalid)
		}
		return in.checkHash()
	},
	Run: func(tx *Tx, in *joinTokenWrite) (struct{}, error) {
		t, err := readJoinToken(tx.Get, in.Hash, tx.now())
		if err != nil {
			return struct{}{}, err
		}
		t.UsedBy = in.Member
		b, _ := json.Marshal(t)
		tx.Set(joinTokenKey(in.Hash), b)
		return struct{}{}, tx.err
	},
})

// readJoinToken returns the token under hash if it may still be spent at
// now, or an error wrapping cluster.ErrJoinRefused.
func readJoinToken(get func([]byte) ([]byte, bool, error), hash string, now int64) (*joinToken, error) {
	b, ok, err := get(joinTokenKey(hash))
	if err != nil {
		return nil, err
	}
	var t joinToken
	switch {
	case !ok:
		return nil, fmt.Errorf("%w: unknown", cluster.ErrJoinRefused)
	case json.Unmarshal(b, &t) != nil:
		return nil, fmt.Errorf("%w: unreadable record", cluster.ErrJoinRefused)
	case t.UsedBy != "":
		return nil, fmt.Errorf("%w: already used by %s", cluster.ErrJoinRefused, t.UsedBy)
	case now > t.Expires:
		return nil, fmt.Errorf("%w: expired", cluster.ErrJoinRefused)
	}
	return &t, nil
}

// IssueJoinToken makes a join token for one new member of this node's
// cluster, valid for ttl (DefaultJoinTokenTTL if 0), on behalf of the
// officer by, and returns it with its expiry.
func (n *Node) IssueJoinToken(ctx context.Context, ttl time.Duration, by string) (string, time.Time, error) {
	if n.cluster == nil {
		return "", time.Time{}, ErrNotCluster
	}
	if ttl == 0 {
		ttl = DefaultJoinTokenTTL
	}
	if ttl < time.Minute || ttl > MaxJoinTokenTTL {
		return "", time.Time{}, fmt.Errorf("%w: a join token lasts between a minute and %s, not %s",
			schema.ErrInvalid, MaxJoinTokenTTL, ttl)
	}
	tok := trust.NewJoinToken(n.cluster.Fingerprint())
	expires := time.UnixMilli(n.store.Wall()).Add(ttl)
	_, err := exec(ctx, n, kindJoinTokenAdd, joinTokenWrite{Hash: tok.Hash(), Expires: expires.UnixMilli(), By: by})
	if err != nil {
		return "", time.Time{}, err
	}
	return tok.String(), expires, nil
}

// admitJoiner is the cluster's Admit: it spends the token for member,
// and puts the attempt in the audit trail. A member-to-be is not
// authenticated yet, so the token is first looked up in this member's
// state, with no raft entry and no read barrier: a stranger guessing
// tokens writes nothing into the log. (A token is applied on the member
// that issued it before the admin sees it, and on the others within
// moments; the raft entry that spends it checks it again.)
func (n *Node) admitJoiner(ctx context.Context, hash, member, from string) error {
	_, err := readJoinToken(n.store.get, hash, n.store.Wall())
	if err == nil {
		_, err = exec(ctx, n, kindJoinTokenUse, joinTokenWrite{Hash: hash, Member: member})
	}
	status := http.StatusOK
	switch {
	case errors.Is(err, cluster.ErrJoinRefused):
		status = http.StatusForbidden
	case err != nil:
		status = http.StatusServiceUnavailable
	}
	n.Audit(audit.Entry{Role: "member", Addr: from, Action: "cluster.enroll", Target: member, Status: status})
	return err
}

// EnrollMember enrols the cluster member-to-be in dir, whose
// configuration is cfg, through the member whose raft listens on
// joinAddr, with a join token: it saves the cluster's key the cluster
// sends, so the member's first serve joins as a member.
func EnrollMember(ctx context.Context, dir string, cfg Config, joinAddr, token string) error {
	key, err := cluster.Enroll(ctx, joinAddr, token, cfg.AdvertiseURL(), cfg.RaftAddr)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("node: %w", err)
	}
	return SaveMemberKey(dir, key)
}
