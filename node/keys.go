package node

import (
	"bytes"
	"encoding/binary"

	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/seal"
)

// The key layout of the state store. Every key starts with a short prefix
// naming what it holds; 0x00 separates variable-length parts, and integers
// are 8-byte big-endian so that byte order is numeric order.
//
//	meta/<name>                        node metadata, one key each (below)
//	chg/<origin>\0<seq>                a change, canonical encoding (dedupe is a point lookup)
//	hw/<origin>                        highest sequence held per origin
//	log/<pos>                          the node's log in arrival order -> <origin>\0<seq><from>
//	                                   (from: empty for a local change, the link it came by otherwise)
//	ent/<entity>\0<origin>\0<seq>      the changes of one entity (empty value)
//	st/<entity>                        the entity's materialised state (JSON)
//	sx/<scope>\0<pos>                  scope index: log positions whose change has this scope
//	ix/s/<status>\0<created>\0<id>     complaints by status, oldest first
//	ix/r/<region>\0<created>\0<id>     complaints by region
//	ix/t/<created>\0<id>               complaints by creation time
//	prv/<id>                           local-only records (anonymous reporters' identity): never in a change
//	reg/<code>                         the imported region list -> name
//	lnk/<origin>                       per origin below: the position of its log this node holds (sync.go)
//	tok/<sha256>                       an enrolment token's record, by the token's hash; the token itself is never stored (sync.go)
//	nu/<entity>                        an entity holding a change this binary does not understand (newer.go)
//	ofc/<name>                         an officer's account (officers.go); never a change
//	ses/<sha256>                       a session, by its secret's hash; the secret is never stored (officers.go)
//	aud/<at><id>                       the audit trail, in time order (audit.go); never a change
//
// The sync state (meta/sync-*, lnk/, tok/) is written through raft on a
// cluster, so a new leader's uplink resumes where the old one stopped and
// every member answers an exchange the same way.
//
// The meta keys, declared below; the file in brackets owns each:
//
//	meta/incarnation   the node's log incarnation (its origin's second half)
//	meta/seq           the last sequence number this node wrote
//	meta/pos           the node's log position
//	meta/hlc           the hybrid logical clock's last reading
//	meta/regver        moves on with every write to the region list
//	meta/catver        moves on with every catalogue extension applied
//	meta/format        the store format (format.go)
//	meta/foldver       the fold version entities were last materialised with (newer.go)
//	meta/genesis       the incarnation a cluster's first leader chose (genesis.go)
//	meta/raft-applied  the last raft index applied to this store (remote.go)
//	meta/restoring     set while a snapshot replaces the store (snapshot.go)
//	meta/clock-fix     this node's clock correction; never in a snapshot (clock.go)
//	meta/sync-up       the position of this node's log the upstream acknowledged (sync.go)
//	meta/sync-down     the position of the upstream's log applied, the downlink cursor (sync.go)
const (
	prefixMeta    = "meta/"
	prefixChange  = "chg/"
	prefixHigh    = "hw/"
	prefixLog     = "log/"
	prefixEntity  = "ent/"
	prefixState   = "st/"
	prefixScope   = "sx/"
	prefixStatus  = "ix/s/"
	prefixRegion  = "ix/r/"
	prefixTime    = "ix/t/"
	prefixPrivate = "prv/"
	prefixRegList = "reg/"
	prefixLink    = "lnk/"
	prefixToken   = "tok/"
	prefixNewer   = "nu/"
	prefixOfficer = "ofc/"
	prefixSession = "ses/"
	prefixAudit   = "aud/"
	prefixJoin    = "jtk/"
	prefixBound   = "bnd/"
)

var (
	keyIncarnation = []byte(prefixMeta + "incarnation")
	keySeq         = []byte(prefixMeta + "seq")
	keyPos         = []byte(prefixMeta + "pos")
	keyClock       = []byte(prefixMeta + "hlc")
	// keyRegionsVer moves on with every write to the region list, so the
	// aggregates, which read it, know to start again.
	keyRegionsVer = []byte(prefixMeta + "regver")
	// keyCatalogueVer moves on with every catalogue extension applied, so
	// the catalogue in effect is rebuilt only then.
	keyCatalogueVer = []byte(prefixMeta + "catver")
	// keyFormat holds the store format, 8 bytes; absent means format 1.
	keyFormat = []byte(prefixMeta + "format")
	// keyFoldVersion holds the foldVersion the store's entities were last
	// materialised with.
	keyFoldVersion = []byte(prefixMeta + "foldver")

	// keyOfficeKey holds the office's identity key: its public key and
	// its private key wrapped under the recovery key (keyring.go).
	keyOfficeKey = []byte(prefixMeta + "officekey")
	// keyGenesis holds the incarnation a cluster's first leader chose: the
	// origin every member writes the cluster's changes under.
	keyGenesis = []byte(prefixMeta + "genesis")
	// keyRaftApplied holds the last raft index applied to the store, in
	// the same batch as that entry's writes.
	keyRaftApplied = []byte(prefixMeta + "raft-applied")
	// keyRestoring marks a store whose content is being replaced: until the
	// mark is gone the store is incomplete and reports no applied raft index.
	keyRestoring = []byte(prefixMeta + "restoring")
	// keyClockFix holds the clock correction and the local wall time it was
	// learned at, so a laptop restarted before its next exchange keeps
	// stamping with the upstream's time. Never in a snapshot.
	keyClockFix   = []byte(prefixMeta + "clock-fix")
	keyUpAcked    = []byte(prefixMeta + "sync-up")
	keyDownCursor = []byte(prefixMeta + "sync-down")
	// keyUplinkToken holds a cluster's own sync token once its upstream
	// rotated it, sealed under the member key (rotate.go): every member
	// that comes to lead runs the uplink with it.
	keyUplinkToken = []byte(prefixMeta + "uplink-token")
)

func u64(n uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], n)
	return b[:]
}

func getU64(b []byte) uint64 {
	if len(b) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}

func join(parts ...[]byte) []byte {
	n := 0
	for _, p := range parts {
		n += len(p) + 1
	}
	out := make([]byte, 0, n)
	for i, p := range parts {
		if i > 0 {
			out = append(out, 0)
		}
		out = append(out, p...)
	}
	return out
}

func changeRef(id schema.ChangeID) []byte {
	return join([]byte(id.Origin.String()), u64(id.Seq))
}

func changeKey(id schema.ChangeID) []byte {
	return append([]byte(prefixChange), changeRef(id)...)
}

func logKey(pos uint64) []byte { return append([]byte(prefixLog), u64(pos)...) }

// splitLogValue splits a log entry into the change's ref and where it came
// from. The origin part of a ref holds no 0 byte; the sequence after it is
// 8 bytes.
func splitLogValue(v []byte) (ref []byte, from string) {
	i := bytes.IndexByte(v, 0)
	if i < 0 || len(v) < i+9 {
		return v, ""
	}
	return v[:i+9], string(v[i+9:])
}

func highKey(o schema.Origin) []byte { return []byte(prefixHigh + o.String()) }

func entityPrefix(entity string) []byte {
	return append([]byte(prefixEntity+entity), 0)
}

func entityKey(entity string, id schema.ChangeID) []byte {
	return append(entityPrefix(entity), changeRef(id)...)
}

func stateKey(entity string) []byte { return []byte(prefixState + entity) }

func scopeKey(scope schema.Code, pos uint64) []byte {
	return join([]byte(prefixScope+string(scope)), u64(pos))
}

func statusKey(s schema.Status, created int64, id string) []byte {
	return join([]byte(prefixStatus+string(s)), u64(uint64(created)), []byte(id))
}

func regionIndexKey(r schema.Code, created int64, id string) []byte {
	return join([]byte(prefixRegion+string(r)), u64(uint64(created)), []byte(id))
}

func timeKey(created int64, id string) []byte {
	k := append([]byte(prefixTime), u64(uint64(created))...)
	return append(append(k, 0), id...)
}

func privateKey(id string) []byte { return []byte(prefixPrivate + id) }

// epochKey holds an epoch's data key, sealed to the office's public key.
func epochKey(id seal.EpochID) []byte { return []byte(prefixPrivate + "epoch/" + id.String()) }

func linkKey(o schema.Origin) []byte { return []byte(prefixLink + o.String()) }

func tokenKey(hash string) []byte { return []byte(prefixToken + hash) }

func newerKey(entity string) []byte { return []byte(prefixNewer + entity) }
func officerKey(name string) []byte { return []byte(prefixOfficer + name) }

func sessionKey(hash string) []byte { return []byte(prefixSession + hash) }

func regionListKey(c schema.Code) []byte { return []byte(prefixRegList + string(c)) }

// prefixEnd returns the smallest key greater than every key with prefix p.
func prefixEnd(p []byte) []byte {
	end := append([]byte(nil), p...)
	for i := len(end) - 1; i >= 0; i-- {
		end[i]++
		if end[i] != 0 {
			return end[:i+1]
		}
	}
	return nil
}

// joinTokenKey is where a join token's record lives, by its hash.
func joinTokenKey(hash string) []byte { return []byte(prefixJoin + hash) }

// boundKey names the token (its hash) that holds origin o.
func boundKey(o schema.Origin) []byte { return []byte(prefixBound + o.String()) }
