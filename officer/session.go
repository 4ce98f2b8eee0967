package officer

import (
	"fmt"
	"time"
)

// Kind is what holds a session's secret.
type Kind string

const (
	// Browser is a screen's session: a cookie, HttpOnly, SameSite.
	Browser Kind = "browser"
	// Token is the CLI's API token, kept in the user's config directory.
	Token Kind = "token"
)

// Lifetimes bound a session: it ends after Idle without use or Absolute
// after it began, whichever comes first.
type Lifetimes struct {
	Idle, Absolute time.Duration
}

// The lifetimes of each kind of session, chosen for an office: a screen
// left open over lunch still works (2 h idle), and nothing outlives the
// working day (12 h), so a laptop left logged in overnight is logged out
// by morning. The CLI's token serves an admin's scripts: a week idle, a
// month at most, then `lumbung login` again.
var (
	BrowserLifetimes = Lifetimes{Idle: 2 * time.Hour, Absolute: 12 * time.Hour}
	TokenLifetimes   = Lifetimes{Idle: 7 * 24 * time.Hour, Absolute: 30 * 24 * time.Hour}
)

// LifetimesOf returns the lifetimes of a kind of session.
func LifetimesOf(k Kind) Lifetimes {
	if k == Token {
		return TokenLifetimes
	}
	return BrowserLifetimes
}

// TouchEvery is how often a session in use records that it was used. A
// cluster writes the record through raft, so it is not written on every
// request: idle time is measured to within TouchEvery.
const TouchEvery = 5 * time.Minute

// Session is a logged-in officer, as the node keeps it: never the
// secret, only its hash.
type Session struct {
	Hash    string `json:"hash"` // SecretHash of the secret
	Officer string `json:"officer"`
	// Gen is the account's Gen when the session began.
	Gen  uint64 `json:"gen"`
	Kind Kind   `json:"kind"`
	// Created and Seen (the last use recorded) are Unix milliseconds.
	Created int64 `json:"created"`
	Seen    int64 `json:"seen"`
	// Addr is the address the session began from, for the audit trail.
	Addr string `json:"addr,omitempty"`
}

// Check says why s cannot act for acct at now (ErrSessionEnded,
// wrapped with the reason), or nil.
func (s *Session) Check(acct *Account, now time.Time) error {
	life := LifetimesOf(s.Kind)
	ms := now.UnixMilli()
	var why string
	switch {
	case acct == nil || acct.Name != s.Officer:
		why = "no such officer"
	case acct.Disabled:
		why = "officer disabled"
	case acct.Gen != s.Gen:
		why = "password or role changed since"
	case ms-s.Created >= life.Absolute.Milliseconds():
		why = "too old"
	case ms-s.Seen >= life.Idle.Milliseconds():
		why = "idle too long"
	default:
		return nil
	}
	return fmt.Errorf("%w: %s", ErrSessionEnded, why)
}

// NeedsTouch says whether a use of s at now should be recorded.
func (s *Session) NeedsTouch(now time.Time) bool {
	return now.UnixMilli()-s.Seen >= TouchEvery.Milliseconds()
}
