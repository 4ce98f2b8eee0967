// Package audit is the trail of what people did at a node: every write
// through the officers' API, every read of a reporter's identity, every
// login and failed login, sync token issued or revoked, officer or role
// changed, cluster member added or removed, and every read of the trail
// itself; who, when, from which address, at which node, and how it was
// answered. It holds the record and its rules; the node stores it (a
// desa's on its laptop, a cluster's as cluster state) and the officers'
// API writes it.
//
// A record never holds a secret or a reporter's identity: no password,
// no token or session, no body of a request, and not the words of a
// search (they may be a name or a NIK). A login name that is not a valid name (it may be a
// password typed in the wrong box) is recorded as "?".
package audit

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Entry is one thing a person did at a node.
type Entry struct {
	// At is when, in Unix milliseconds of the node that saw it.
	At int64 `json:"at"`
	// ID tells apart entries of the same millisecond (random, 8 bytes
	// in hex).
	ID string `json:"id"`
	// Officer is the login name of who did it ("" for no one logged in,
	// "?" for a login name that was not a name); Role their role then.
	Officer string `json:"officer"`
	Role    string `json:"role,omitempty"`
	// Addr is the address the request came from; Node the node that
	// answered it (its region, and its member URL on a cluster).
	Addr string `json:"addr"`
	Node string `json:"node"`
	// Action is what was asked: a route ("POST /api/v1/complaints"), or
	// login, logout, password, cluster.join.
	Action string `json:"action"`
	// Target is what it was asked of: the path and, for a read, its
	// query.
	Target string `json:"target,omitempty"`
	// Status is the HTTP status it was answered with.
	Status int `json:"status"`
}

// Bounds on an entry: a field longer than its bound is cut, never
// refused (an entry records what happened, whatever was sent).
const (
	maxField  = 128
	maxTarget = 512
)

// ErrInvalid is an entry a node will not store.
var ErrInvalid = errors.New("audit: invalid entry")

// Clean cuts every field of e to its bound, on a rune boundary.
func (e *Entry) Clean() {
	for _, f := range []*string{&e.Officer, &e.Role, &e.Addr, &e.Node, &e.Action} {
		*f = cut(*f, maxField)
	}
	e.Target = cut(e.Target, maxTarget)
}

func cut(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Check says why e cannot be stored: a time before 2000 or an ID that is
// not 16 hex digits.
func (e *Entry) Check() error {
	if e.At < time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli() {
		return fmt.Errorf("%w: time %d", ErrInvalid, e.At)
	}
	if b, err := hex.DecodeString(e.ID); err != nil || len(b) != 8 {
		return fmt.Errorf("%w: id %q", ErrInvalid, e.ID)
	}
	return nil
}

// Key is where e is kept below the trail's prefix: its time, then its
// ID, so that the trail reads in time order.
func (e *Entry) Key() []byte {
	k := binary.BigEndian.AppendUint64(nil, uint64(e.At))
	id, _ := hex.DecodeString(e.ID)
	return append(k, id...)
}

// KeyTime is the time of the entry kept at key k (below the prefix).
func KeyTime(k []byte) (int64, bool) {
	if len(k) != 16 {
		return 0, false
	}
	return int64(binary.BigEndian.Uint64(k)), true
}

// Filter chooses entries to read, newest first.
type Filter struct {
	// Officer and Action, when set, must match exactly (Action may be a
	// prefix ending in "*": "POST /api/v1/officers*").
	Officer, Action string
	// From and To bound At (Unix ms; 0: no bound), To excluded.
	From, To int64
	// Limit is at most this many (default 100, at most 1000).
	Limit int
	// Cursor continues a page: the Next of the page before.
	Cursor string
}

// Matches says whether e is one the filter chooses (apart from time and
// cursor, which bound the reading).
func (f *Filter) Matches(e *Entry) bool {
	if f.Officer != "" && e.Officer != f.Officer {
		return false
	}
	if a, ok := strings.CutSuffix(f.Action, "*"); ok {
		return strings.HasPrefix(e.Action, a)
	}
	return f.Action == "" || e.Action == f.Action
}

// Page is a page of the trail, newest first; Next continues it.
type Page struct {
	Entries []Entry `json:"entries"`
	Next    string  `json:"next,omitempty"`
}

// DefaultRetention is how long a node keeps its trail unless its
// configuration says otherwise (Config.AuditDays): two years, the span an
// inspectorate looks back over.
const DefaultRetention = 2 * 365 * 24 * time.Hour
