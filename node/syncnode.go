package node

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/replication/cluster"
	"github.com/lumbung/lumbung/replication/exchange"
	"github.com/lumbung/lumbung/replication/wire"
	"github.com/lumbung/lumbung/schema"
)

// syncer is the node as the exchange sees it: the Receiver of the
// exchanges from below and the Sender of its own uplink.
type syncer struct {
	n *Node
	// links holds what each link below did, for sync status.
	mu    sync.Mutex
	links map[schema.Code]*LinkStatus
}

var (
	_ exchange.Receiver = (*syncer)(nil)
	_ exchange.Sender   = (*syncer)(nil)
)

// maxApplyBytes bounds the changes of one commit from an exchange: a raft
// entry stays well inside the cluster's MaxEntryBytes.
const maxApplyBytes = 96 << 10

// Authorize finds the token's record.
func (y *syncer) Authorize(ctx context.Context, token string) (exchange.Link, error) {
	if token == "" {
		return exchange.Link{}, fmt.Errorf("%w: no token (Authorization: Bearer …)", exchange.ErrToken)
	}
	// A token pasted whole, pin and all, is its secret: the pin after
	// the dot is public.
	secret, _, _ := strings.Cut(token, ".")
	t, ok, err := y.n.store.tokenByHash(TokenHash(secret))
	switch {
	case err != nil:
		return exchange.Link{}, err
	case !ok:
		return exchange.Link{}, fmt.Errorf("%w: unknown token", exchange.ErrToken)
	case t.Revoked:
		return exchange.Link{}, fmt.Errorf("%w: token %s for %s was revoked", exchange.ErrToken, t.ID, t.Region)
	case t.expired(y.n.now().UnixMilli()):
		return exchange.Link{}, fmt.Errorf("%w: token %s for %s expired on %s", exchange.ErrExpired, t.ID, t.Region,
			time.UnixMilli(t.Expires).UTC().Format(time.DateOnly))
	}
	rotate := y.n.memberKey != "" && t.due(y.n.now().UnixMilli())
	return exchange.Link{Region: t.Region, TokenID: t.ID, Key: t.Hash, Rotate: rotate}, nil
}

// Acked reads what this node holds of origin's log.
func (y *syncer) Acked(ctx context.Context, o schema.Origin) (uint64, error) {
	return y.n.store.LinkAcked(o)
}

// Apply commits a batch from below in commits of at most maxApplyBytes;
// only the last one records the batch's position.
func (y *syncer) Apply(ctx context.Context, link exchange.Link, o schema.Origin, b *wire.Batch) (int, error) {
	if err := y.precheck(ctx, &changesWrite{Origin: &o, Changes: b.Changes, Token: link.Key}); err != nil {
		return 0, err
	}
	if len(b.Changes) == 0 { // nothing to apply, but the position is recorded all the same
		_, err := exec(ctx, y.n, kindChanges, changesWrite{From: string(link.Region), Origin: &o, Last: b.Last, Token: link.Key})
		return 0, commitError(err)
	}
	added, start, size := 0, 0, 0
	for i, c := range b.Changes {
		size += len(c.Body) + 200
		if size < maxApplyBytes && i < len(b.Changes)-1 {
			continue
		}
		w := changesWrite{From: string(link.Region), Origin: &o, Changes: b.Changes[start : i+1], Token: link.Key}
		if i == len(b.Changes)-1 {
			w.Last = b.Last
		}
		n, err := exec(ctx, y.n, kindChanges, w)
		if err != nil {
			return added, commitError(err)
		}
		added += n
		start, size = i+1, 0
	}
	return added, nil
}

// precheck refuses a batch on this member's state before anything is
// proposed, so a refused frame leaves nothing in the raft log; the raft
// entry checks again (a batch racing another). A member behind the
// leader could refuse wrongly, so a refusal is confirmed after catching
// up (a read barrier); a batch that passes costs no barrier.
func (y *syncer) precheck(ctx context.Context, w *changesWrite) error {
	if checkLinkBatch(y.n.store.get, w) == nil {
		return nil
	}
	if err := y.n.Consistent(ctx); err != nil {
		return commitError(err)
	}
	return checkLinkBatch(y.n.store.get, w)
}

// commitError marks the errors after which the sender should simply try
// again.
func commitError(err error) error {
	if errors.Is(err, cluster.ErrNoLeader) || errors.Is(err, cluster.ErrShutdown) ||
		errors.Is(err, cluster.ErrUnknownOutcome) || errors.Is(err, ErrNotReady) ||
		errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrStoreFailed) {
		return fmt.Errorf("%w: %w", exchange.ErrUnavailable, err)
	}
	return err
}

// Downlink reads the link's downlink from the store.
func (y *syncer) Downlink(ctx context.Context, link exchange.Link, after uint64, maxBytes int) (*wire.Batch, bool, error) {
	return y.n.store.Downlink(link.Region, after, maxBytes)
}

// Changed is the store's log signal.
func (y *syncer) Changed() <-chan struct{} { return y.n.store.Changed() }

// Catalogue is the built-in catalogue's version: what the binary can
// read. Extensions (package catalogue) are data, carried by sync like any
// change, so they need no handshake.
func (y *syncer) Catalogue() int { return monografi.BuiltinVersion }

// Now is the time this node tells the tier below: its clock corrected by
// what its own uplink learned, so a kecamatan whose clock is wrong hands
// down the kabupaten's time rather than its own.
func (y *syncer) Now() int64 { return y.n.store.Wall() }

// Origin is the node's identity.
func (y *syncer) Origin() schema.Origin { return y.n.store.Origin() }

// Cursors reads the uplink's positions.
func (y *syncer) Cursors() (uint64, uint64, error) { return y.n.store.syncCursors() }

// Outbound reads what to send up.
func (y *syncer) Outbound(after uint64, maxBytes int) (*wire.Batch, error) {
	return y.n.store.Outbound(after, maxBytes)
}

// Pending counts what is left to send up.
func (y *syncer) Pending(after uint64) (int, error) { return y.n.store.PendingUp(after) }

// SaveUp records the acknowledged position (through raft on a cluster).
func (y *syncer) SaveUp(ctx context.Context, pos uint64) error {
	_, err := exec(ctx, y.n, kindSyncUp, syncUpWrite{Last: pos})
	return err
}

// ApplyDown applies a downlink batch (through raft on a cluster). A batch
// with no changes that would not move the cursor writes nothing: an idle
// exchange costs no commit.
func (y *syncer) ApplyDown(ctx context.Context, b *wire.Batch) error {
	if len(b.Changes) == 0 {
		if _, down, err := y.n.store.syncCursors(); err != nil || b.Last <= down {
			return err
		}
	}
	start, size := 0, 0
	for i, c := range b.Changes {
		size += len(c.Body) + 200
		if size < maxApplyBytes && i < len(b.Changes)-1 {
			continue
		}
		if _, err := exec(ctx, y.n, kindChanges, changesWrite{From: fromUpstream, Changes: b.Changes[start : i+1]}); err != nil {
			return err
		}
		start, size = i+1, 0
	}
	_, err := exec(ctx, y.n, kindChanges, changesWrite{From: fromUpstream, Last: b.Last})
	return err
}

// ObserveSkew corrects the clock local changes are stamped with when it
// is more than clockTolerance off the upstream's.
func (y *syncer) ObserveSkew(ms int64) {
	y.n.store.ObserveSkew(ms)
}

// stats records an exchange served for a link below.
func (y *syncer) stats(link exchange.Link, x exchange.ExchangeStats) {
	if link.Region == "" {
		return
	}
	y.mu.Lock()
	defer y.mu.Unlock()
	st := y.links[link.Region]
	if st == nil {
		st = &LinkStatus{Name: "below", Region: string(link.Region), Token: link.TokenID}
		y.links[link.Region] = st
	}
	now := y.n.now().UTC().Format(time.RFC3339)
	if x.Failed == "" {
		st.LastSuccess = &now
		if st.LastError != "" {
			st.PastError, st.PastErrorMessage, st.PastErrorMessageEN = st.LastError, st.LastErrorMessage, st.LastErrorMessageEN
		}
		st.LastError, st.LastErrorMessage, st.LastErrorMessageEN = "", "", ""
	} else {
		st.LastError, st.LastErrorMessage, st.LastErrorMessageEN = x.Failed, x.FailedMessage, x.FailedMessageEN
	}
	st.Exchanges++
	st.BytesReceived += uint64(x.In)
	st.BytesSent += uint64(x.Out)
	st.ChangesApplied += x.Applied
	st.ChangesDuplicate += x.Duplicates
	st.ResentBytes += x.ResentBytes
	st.PartialBytes += x.PartialBytes
}

// newToken makes a token: "lmb_" and 26 Crockford base-32 characters (128
// random bits).
func newToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return "lmb_" + base32.NewEncoding(crockford).WithPadding(base32.NoPadding).EncodeToString(b[:])
}

// Enroll issues a token for a region directly below this node's. The
// token returned is the one to hand over (trust.EnrollToken): the sync
// token, with this node's certificate pin when it has one.
func (n *Node) Enroll(ctx context.Context, region schema.Code) (string, *Token, error) {
	if n.cfg.Tier == TierDesa || region.Parent() != n.cfg.Region {
		return "", nil, fmt.Errorf("%w: region %s is not directly below %s", schema.ErrInvalid, region, n.cfg.Region)
	}
	token := newToken()
	h := TokenHash(token)
	now := n.now()
	t := &Token{ID: h[:12], Hash: h, Region: region, Issued: now.UnixMilli(), Expires: now.Add(n.tokenLifetime()).UnixMilli()}
	if _, err := exec(ctx, n, kindToken, tokenWrite{Token: t}); err != nil {
		return "", nil, err
	}
	return n.printedToken(token), t, nil
}

// Revoke revokes the token with id (or every token of a region, when id
// is a region code), with its successors; it returns the tokens revoked.
func (n *Node) Revoke(ctx context.Context, id string) ([]Token, error) {
	all, err := n.store.Tokens()
	if err != nil {
		return nil, err
	}
	var out []Token
	revoked := map[string]bool{} // by hash
	// A token's successor goes with it: the laptop it was handed to is
	// the one being cut off. Successors are issued after their
	// predecessors, so one pass in issue order follows every chain.
	slices.SortStableFunc(all, func(a, b Token) int { return cmp.Compare(a.Issued, b.Issued) })
	for _, t := range all {
		if t.ID != id && string(t.Region) != id && !revoked[t.Predecessor] {
			continue
		}
		revoked[t.Hash] = true
		if t.Revoked {
			continue
		}
		t.Revoked = true
		if _, err := exec(ctx, n, kindToken, tokenWrite{Token: &t}); err != nil {
			return out, err
		}
		out = append(out, t)
	}
	if len(out) == 0 {
		return nil, ErrNotFound
	}
	return out, nil
}

// runUplink runs the uplink while this node should: always on a desa,
// while it leads on a cluster member.
func (n *Node) runUplink(ctx context.Context) {
	if n.cluster == nil {
		n.uplink.Run(ctx)
		return
	}
	t := time.NewTicker(500 * time.Millisecond)
	defer t.Stop()
	var stop context.CancelFunc
	var done chan struct{}
	for {
		leading := n.cluster.IsLeader() && n.caughtUp.Load()
		switch {
		case leading && stop == nil:
			// The token the upstream last rotated in, whichever member
			// took it: kept in the cluster's state.
			if t, ok := n.clusterUplinkToken(); ok {
				if err := n.uplink.SetToken(t); err != nil {
					n.log.Error("the cluster's kept sync token does not read", "err", err)
				}
			}
			var lctx context.Context
			lctx, stop = context.WithCancel(ctx)
			done = make(chan struct{})
			go func() { defer close(done); n.uplink.Run(lctx) }()
		case !leading && stop != nil:
			stop()
			<-done
			stop = nil
		}
		select {
		case <-ctx.Done():
			if stop != nil {
				stop()
				<-done
			}
			return
		case <-t.C:
		}
	}
}

var errNoUplink = errors.New("node: this node has no upstream")

// SyncNow asks the uplink to exchange now.
func (n *Node) SyncNow() error {
	if n.uplink == nil {
		return errNoUplink
	}
	n.uplink.Kick()
	return nil
}
