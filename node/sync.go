package node

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/cockroachdb/pebble/v2"
	"github.com/lumbung/lumbung/replication/exchange"
	"github.com/lumbung/lumbung/replication/wire"
	"github.com/lumbung/lumbung/schema"
)

// fromUpstream marks, in a log entry, a change that came down from the
// upstream: the uplink never sends it back.
const fromUpstream = "^"

// TokenHash is how a token is looked up: the hex SHA-256 of the token.
func TokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// Token is an enrolment token's record.
type Token struct {
	// ID is the first 12 characters of the hash: it names the token in
	// lists and logs without revealing it.
	ID      string      `json:"id"`
	Hash    string      `json:"hash"`
	Region  schema.Code `json:"region"`
	Issued  int64       `json:"issued_ms"`
	Revoked bool        `json:"revoked"`
	// Origin is the node the token is bound to: the first that used it
	// (syncbind.go); empty until then.
	Origin string `json:"origin,omitempty"`
	// Expires is when the token stops being accepted; zero for a token
	// issued before tokens expired, which never does but is rotated at
	// its first exchange (rotate.go).
	Expires int64 `json:"expires_ms,omitempty"`
	// Successor is the hash of the token that replaces this one, once
	// offered; Predecessor, on that successor, the hash of the token it
	// replaces, revoked at the successor's first use.
	Successor   string `json:"successor,omitempty"`
	Predecessor string `json:"predecessor,omitempty"`
}

// syncCursors returns the acknowledged uplink position and the downlink
// cursor.
func (s *Store) syncCursors() (up, down uint64, err error) {
	u, _, err := s.get(keyUpAcked)
	if err != nil {
		return 0, 0, err
	}
	d, _, err := s.get(keyDownCursor)
	return getU64(u), getU64(d), err
}

// LinkAcked returns the position of origin's log this node holds.
func (s *Store) LinkAcked(o schema.Origin) (uint64, error) {
	v, _, err := s.get(linkKey(o))
	return getU64(v), err
}

// tokenByHash returns the token record with hash h.
func (s *Store) tokenByHash(h string) (*Token, bool, error) {
	var t Token
	ok, err := s.getJSON(tokenKey(h), &t)
	return &t, ok, err
}

// Tokens returns every token record.
func (s *Store) Tokens() ([]Token, error) {
	p := []byte(prefixToken)
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: p, UpperBound: prefixEnd(p)})
	if err != nil {
		return nil, fmt.Errorf("node: tokens: %w", err)
	}
	defer it.Close()
	out := []Token{}
	for it.First(); it.Valid(); it.Next() {
		var t Token
		if err := json.Unmarshal(it.Value(), &t); err != nil {
			return nil, fmt.Errorf("%w: token record: %w", ErrCorrupt, err)
		}
		out = append(out, t)
	}
	return out, it.Error()
}

// scanLog calls fn for every log entry after position after, up to the
// durable position, until fn returns false. It passes the entry's
// position, the change, the size of its encoding and where it came from.
func (s *Store) scanLog(after uint64, fn func(pos uint64, c *schema.Change, size int, from string) bool) error {
	end := s.DurablePos()
	if after >= end {
		return nil
	}
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: logKey(after + 1), UpperBound: logKey(end + 1)})
	if err != nil {
		return fmt.Errorf("node: read log: %w", err)
	}
	defer it.Close()
	for it.First(); it.Valid(); it.Next() {
		ref, from := splitLogValue(it.Value())
		raw, ok, err := s.get(append([]byte(prefixChange), ref...))
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("%w: log names a missing change", ErrCorrupt)
		}
		c, err := schema.DecodeChange(raw)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrCorrupt, err)
		}
		if !fn(getU64(it.Key()[len(prefixLog):]), c, len(raw), from) {
			break
		}
	}
	return it.Error()
}

// Outbound returns the changes to send upstream after position after:
// every log entry that did not come from upstream, in log order, until
// their encoding passes maxBytes (at least one).
func (s *Store) Outbound(after uint64, maxBytes int) (*wire.Batch, error) {
	b := &wire.Batch{Last: after}
	size := 0
	err := s.scanLog(after, func(pos uint64, c *schema.Change, n int, from string) bool {
		if from == fromUpstream {
			return true
		}
		b.Changes = append(b.Changes, c)
		b.Last = pos
		size += n + 4
		return size < maxBytes
	})
	return b, err
}

// PendingUp counts the changes Outbound would send after position after.
func (s *Store) PendingUp(after uint64) (int, error) {
	n := 0
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: logKey(after + 1), UpperBound: logKey(s.DurablePos() + 1)})
	if err != nil {
		return 0, fmt.Errorf("node: read log: %w", err)
	}
	defer it.Close()
	for it.First(); it.Valid(); it.Next() {
		if _, from := splitLogValue(it.Value()); from != fromUpstream {
			n++
		}
	}
	return n, it.Error()
}

// downlinkScanLimit bounds the log entries one downlink read looks at,
// so an exchange for a link with little in scope stays cheap.
const downlinkScanLimit = 20000

// Downlink returns the changes for the link of region r after position
// after (exchange.ForDownlink, and not those that came up that link), in
// log order, until their encoding passes maxBytes or the scan passes
// downlinkScanLimit entries.
func (s *Store) Downlink(r schema.Code, after uint64, maxBytes int) (*wire.Batch, bool, error) {
	b := &wire.Batch{Last: after}
	size, scanned, stopped := 0, 0, false
	err := s.scanLog(after, func(pos uint64, c *schema.Change, n int, from string) bool {
		scanned++
		if from != string(r) && exchange.ForDownlink(c, r) {
			b.Changes = append(b.Changes, c)
			size += n + 4
		}
		b.Last = pos
		stopped = size >= maxBytes || scanned >= downlinkScanLimit
		return !stopped
	})
	return b, stopped && b.Last < s.DurablePos(), err
}

// changesWrite is a changes command: changes written elsewhere.
type changesWrite struct {
	Changes []*schema.Change `json:"changes,omitempty"`
	// From says where Changes came from: the region of the link below
	// (with Origin and Last, that origin's acknowledged position), or
	// fromUpstream (with Last, the downlink cursor). Empty: a local import.
	From   string         `json:"from,omitempty"`
	Origin *schema.Origin `json:"origin,omitempty"`
	Last   uint64         `json:"last,omitempty"`
	// Token is the hash of the link's token, for checkLinkBatch.
	Token string `json:"token,omitempty"`
}

// kindChanges stores changes written elsewhere and returns how many were
// new. The entities they touch may be of any kind (entityNone).
var kindChanges = register(&Kind[changesWrite, int]{
	Name: "changes", Version: 1, Entity: entityNone, Result: "added",
	Check: func(in *changesWrite) error {
		for _, c := range in.Changes {
			if err := c.Check(); err != nil {
				return err
			}
		}
		switch {
		case in.From == fromUpstream, in.From == "":
			return nil
		case schema.Code(in.From).Valid() && in.Origin != nil && in.Origin.Region.Valid():
			return nil
		}
		return fmt.Errorf("%w: changes from %q", schema.ErrInvalid, in.From)
	},
	Run: receiveChanges,
})

// receiveChanges is the write of a batch of changes, in one commit: from
// the link of a region below (with origin's acknowledged position), from
// upstream (with the downlink cursor), or imported here.
func receiveChanges(tx *Tx, in *changesWrite) (int, error) {
	from, key := in.From, keyDownCursor
	switch from {
	case "":
		return tx.applyRemote(in.Changes, "")
	case fromUpstream:
	default:
		key = linkKey(*in.Origin)
		if err := checkLinkBatch(tx.Get, in); err != nil {
			return 0, err
		}
	}
	n, err := tx.applyRemote(in.Changes, from)
	if err != nil {
		return 0, err
	}
	if err := tx.raise(key, in.Last); err != nil {
		return 0, err
	}
	return n, tx.err
}

// syncUpWrite is a sync.up command.
type syncUpWrite struct {
	Last uint64 `json:"last,omitempty"`
}

// kindSyncUp is the write of the acknowledged uplink position. It may
// lower it: an upstream that holds less than it acknowledged before (it
// was restored from a backup) is sent the rest again.
var kindSyncUp = register(&Kind[syncUpWrite, struct{}]{
	Name: "sync.up", Version: 1, Entity: entityNone, Result: resultNone,
	Check: func(*syncUpWrite) error { return nil },
	Run: func(tx *Tx, in *syncUpWrite) (struct{}, error) {
		tx.Set(keyUpAcked, u64(in.Last))
		return struct{}{}, tx.err
	},
})

// tokenWrite is a sync.token command.
type tokenWrite struct {
	Token *Token `json:"token,omitempty"`
}

// kindToken is the write of a token record.
var kindToken = register(&Kind[tokenWrite, struct{}]{
	Name: "sync.token", Version: 1, Entity: entityNone, Result: resultNone,
	Check: func(in *tokenWrite) error {
		if in.Token == nil || len(in.Token.Hash) != 64 || !in.Token.Region.Valid() {
			return fmt.Errorf("%w: token record", schema.ErrInvalid)
		}
		return nil
	},
	Run: func(tx *Tx, in *tokenWrite) (struct{}, error) {
		b, err := json.Marshal(in.Token)
		if err != nil {
			return struct{}{}, err
		}
		tx.Set(tokenKey(in.Token.Hash), b)
		return struct{}{}, tx.err
	},
})

// raise sets a position key to pos unless it already holds more.
func (tx *Tx) raise(key []byte, pos uint64) error {
	v, _, err := tx.Get(key)
	if err != nil {
		return err
	}
	if pos > getU64(v) {
		tx.Set(key, u64(pos))
	}
	return nil
}
