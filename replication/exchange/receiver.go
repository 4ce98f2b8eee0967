package exchange

import (
	"context"
	"errors"
	"fmt"

	"github.com/lumbung/lumbung/replication/wire"
	"github.com/lumbung/lumbung/schema"
)

// Link is what a token allows: exchanges for one region below the
// receiver.
type Link struct {
	// Region is the region the token was issued for.
	Region schema.Code
	// TokenID names the token (not the token itself) in logs and status.
	TokenID string
	// Key is the receiver's own name for the token (a node's: its hash),
	// passed back to it in Bind and Apply.
	Key string
	// Rotate says the token is due for a successor (Rotator).
	Rotate bool
}

// HeaderNextToken carries, on a successful exchange whose token is due
// for rotation, the token that succeeds it (as `lumbung enroll` prints
// tokens). The node below keeps it and uses it from its next exchange;
// the upstream revokes the old token at that first use. A node that does
// not know the header goes on with its token until it expires.
const HeaderNextToken = "Lumbung-Next-Token"

// Rotator is what a Receiver implements to rotate tokens: Rotate returns
// the successor of link's token (Link.Rotate), made the first time it is
// asked and the same every time after, so that an answer lost on the
// way is simply given again. The server calls it after a successful
// Bind; an error leaves the exchange as it is, without a successor.
type Rotator interface {
	Rotate(ctx context.Context, link Link) (string, error)
}

// The errors of the exchange. A receiver's interface implementations
// return them (wrapped) so that the handler can answer with the right
// status; the uplink returns them to say why an exchange failed.
var (
	// ErrToken means the token is unknown or revoked.
	ErrToken = errors.New("exchange: token not accepted")
	// ErrExpired means the token has expired (it wraps ErrToken): the
	// node below missed its rotation and needs a new one by hand.
	ErrExpired = fmt.Errorf("%w: token expired", ErrToken)
	// ErrScope means a change lies outside the token's region.
	ErrScope = errors.New("exchange: change outside the link's region")
	// ErrVersion means the two sides speak different protocol versions.
	ErrVersion = errors.New("exchange: protocol version mismatch")
	// ErrCatalogue means the sender runs a newer monografi catalogue than
	// the receiver knows.
	ErrCatalogue = errors.New("exchange: catalogue version mismatch")
	// ErrUnavailable means the receiver cannot commit now (no raft
	// leader, shutting down); the sender retries later.
	ErrUnavailable = errors.New("exchange: receiver unavailable")
	// ErrBound means a token is bound to another node's origin, or the
	// origin (or a change's) belongs to another token: a token serves the
	// one laptop that first used it.
	ErrBound = errors.New("exchange: token bound to another node")
	// ErrGap means a batch would move an origin's acknowledged position
	// past changes the receiver does not hold: a sequence number skipped,
	// or a position moved with no change.
	ErrGap = errors.New("exchange: changes missing before this batch")
)

// Receiver is what the upstream node gives the handler.
//
// Every method may be called from many handler goroutines at once. Apply
// must be durable when it returns (raft-committed at a cluster) and
// idempotent: a batch applied twice changes nothing the second time. All
// other methods only read.
type Receiver interface {
	// Authorize returns the link a token belongs to, or an error wrapping
	// ErrToken.
	Authorize(ctx context.Context, token string) (Link, error)
	// Bind ties link's token to origin, the node the exchange's hello
	// names: the first origin that uses a token keeps it, and an origin
	// is held by one live token. It returns an error wrapping ErrBound
	// when the token or the origin is already another's. It is idempotent
	// and may write (through raft at a cluster) the first time.
	Bind(ctx context.Context, link Link, origin schema.Origin) error
	// Acked returns the highest position of origin's log this node holds
	// every outbound change up to (0 for an origin never seen).
	Acked(ctx context.Context, origin schema.Origin) (uint64, error)
	// Apply commits the changes of a batch that came up link from
	// origin, skipping those held, and records b.Last as origin's acked
	// position in the same commit (never lowering it). It refuses the
	// batch whole, with an error wrapping ErrGap, when one of origin's own
	// changes skips a sequence number the receiver does not hold, and
	// with one wrapping ErrBound when a change is of an origin another
	// live token holds. It returns how many
	// changes were new. Errors wrapping ErrUnavailable mean nothing is
	// known to be applied and the sender should retry. The server calls it
	// with a context that the sender hanging up does not cancel: Apply
	// must bound its own wait (a node's write timeout does).
	Apply(ctx context.Context, link Link, origin schema.Origin, b *wire.Batch) (int, error)
	// Downlink returns the changes of link's downlink after log position
	// after (ForDownlink, and not those that came up this same link), in
	// log order, stopping once their encoding passes maxBytes or the scan
	// passes scanLimit log entries. The batch's Last is the position the
	// scan reached; more says the log goes on past it.
	Downlink(ctx context.Context, link Link, after uint64, maxBytes int) (b *wire.Batch, more bool, err error)
	// Changed returns a channel closed the next time the log grows.
	Changed() <-chan struct{}
	// Catalogue returns the newest monografi catalogue version known.
	Catalogue() int
	// Now returns the receiver's clock in Unix milliseconds.
	Now() int64
}
