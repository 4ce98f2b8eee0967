package node

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/cockroachdb/pebble/v2"
	"github.com/lumbung/lumbung/audit"
	"github.com/lumbung/lumbung/schema"
)

// The audit trail is kept under aud/<at><id> (audit.Entry.Key): a desa's
// in its own store, a cluster's as cluster state, written through raft
// like the officers, so every member holds the same trail. It is never a
// change: it neither travels up nor down. The API hands entries to
// Node.Audit, which never waits: a background writer commits them in
// groups (one fsync, or one raft entry, for many), so recording costs a
// request nothing. Entries handed over in the last moments before a
// crash can be lost; the change log names the actor of every write
// whatever happens to the trail.

// auditAppend is an audit.append command: entries to keep, and the
// retention, in ms, past which older entries are let go (0: none let go
// this time; the writer trims once a minute).
type auditAppend struct {
	Entries []audit.Entry `json:"entries"`
	Keep    int64         `json:"keep"`
}

// Bounds of one audit.append: the entries the writer groups, and the old
// entries one command lets go (the rest go with the next ones).
const (
	maxAuditGroup = 256
	maxAuditTrim  = 1024
)

// kindAuditAppend stores entries and lets go of those past the retention.
var kindAuditAppend = register(&Kind[auditAppend, struct{}]{
	Name: "audit.append", Version: 1, Entity: entityNone, Result: resultNone,
	Check: func(in *auditAppend) error {
		if len(in.Entries) == 0 || len(in.Entries) > maxAuditGroup || in.Keep < 0 {
			return fmt.Errorf("%w: audit group of %d entries, retention %d", schema.ErrInvalid, len(in.Entries), in.Keep)
		}
		for i := range in.Entries {
			in.Entries[i].Clean()
			if err := in.Entries[i].Check(); err != nil {
				return fmt.Errorf("%w: %w", schema.ErrInvalid, err)
			}
		}
		return nil
	},
	Run: func(tx *Tx, in *auditAppend) (struct{}, error) {
		for i := range in.Entries {
			b, err := json.Marshal(&in.Entries[i])
			if err != nil {
				return struct{}{}, err
			}
			tx.Set(auditKey(&in.Entries[i]), b)
		}
		if in.Keep == 0 {
			return struct{}{}, nil
		}
		return struct{}{}, tx.trimAudit(tx.now() - in.Keep)
	},
})

func auditKey(e *audit.Entry) []byte { return append([]byte(prefixAudit), e.Key()...) }

// trimAudit lets go of entries older than cutoff (ms), a bounded number
// at a time.
func (tx *Tx) trimAudit(cutoff int64) error {
	p := []byte(prefixAudit)
	it, err := tx.b.NewIter(&pebble.IterOptions{LowerBound: p, UpperBound: prefixEnd(p)})
	if err != nil {
		return fmt.Errorf("node: audit: %w", err)
	}
	defer it.Close()
	var old [][]byte
	for it.First(); it.Valid() && len(old) < maxAuditTrim; it.Next() {
		at, ok := audit.KeyTime(it.Key()[len(p):])
		if ok && at >= cutoff {
			break
		}
		old = append(old, append([]byte(nil), it.Key()...))
	}
	if err := it.Error(); err != nil {
		return err
	}
	for _, k := range old {
		tx.Delete(k)
	}
	return tx.err
}

// retention is how long the node keeps its trail.
func (n *Node) retention() time.Duration {
	if n.cfg.AuditDays > 0 {
		return time.Duration(n.cfg.AuditDays) * 24 * time.Hour
	}
	return audit.DefaultRetention
}

// Audit records e: its time (if unset), ID and node are filled in here.
// It never waits; an entry that finds the writer's queue full is counted
// (lumbung_audit_dropped_total) and logged, not kept.
func (n *Node) Audit(e audit.Entry) {
	if e.At == 0 {
		e.At = n.now().UnixMilli()
	}
	var id [8]byte
	_, _ = rand.Read(id[:])
	e.ID = hex.EncodeToString(id[:])
	e.Node = string(n.cfg.Region)
	if n.cluster != nil {
		e.Node += " " + n.cfg.AdvertiseURL()
	}
	select {
	case n.auditQ <- e:
	default:
		n.metrics.auditDropped.Inc()
		n.log.Warn("audit entry dropped: the writer is behind", "action", e.Action, "officer", e.Officer)
	}
}

// auditLinger is how long the writer lets entries gather before it
// commits them: a busy office's requests share one commit, and recording
// costs intake next to nothing (BenchmarkIntakeHTTP). It is also about
// how much of the trail a crash can take.
const auditLinger = 100 * time.Millisecond

// writeAudit commits what Audit queued, in groups, until the node closes;
// then what is left, before the cluster and the store close. Entries
// older than the retention are let go once a minute.
func (n *Node) writeAudit() {
	defer n.bg.Done()
	var trimmed time.Time
	for {
		select {
		case e := <-n.auditQ:
			t := time.NewTimer(auditLinger)
			select {
			case <-t.C:
			case <-n.ctx.Done():
				t.Stop()
			}
			keep := int64(0)
			if time.Since(trimmed) >= time.Minute {
				keep, trimmed = n.retention().Milliseconds(), time.Now()
			}
			n.commitAudit(n.ctx, append([]audit.Entry{e}, n.queuedAudit()...), keep)
		case <-n.ctx.Done():
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			for rest := n.queuedAudit(); len(rest) > 0; rest = n.queuedAudit() {
				n.commitAudit(ctx, rest, 0)
			}
			cancel()
			return
		}
	}
}

// queuedAudit takes what is queued, up to a group, without waiting.
func (n *Node) queuedAudit() []audit.Entry {
	var out []audit.Entry
	for len(out) < maxAuditGroup-1 {
		select {
		case e := <-n.auditQ:
			out = append(out, e)
		default:
			return out
		}
	}
	return out
}

// commitAudit writes a group, trying again while a cluster has no leader
// (for up to a minute); a group it cannot write is logged and let go.
func (n *Node) commitAudit(ctx context.Context, es []audit.Entry, keep int64) {
	in := auditAppend{Entries: es, Keep: keep}
	deadline := time.Now().Add(time.Minute)
	for {
		_, err := exec(ctx, n, kindAuditAppend, in)
		if err == nil {
			return
		}
		if ctx.Err() != nil || time.Now().After(deadline) || errors.Is(err, schema.ErrInvalid) {
			n.log.Error("audit entries not written", "entries", len(es), "err", err)
			return
		}
		select {
		case <-ctx.Done():
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// maxAuditScan bounds the entries one read of the trail looks at.
var maxAuditScan = 20000 // a variable for the test that pages past it

// AuditTrail reads the trail, newest first, as f chooses. One read looks
// at maxAuditScan entries at most; a page cut there short has Next, from
// which the reading goes on.
func (s *Store) AuditTrail(f audit.Filter) (*audit.Page, error) {
	if f.Limit <= 0 {
		f.Limit = 100
	}
	f.Limit = min(f.Limit, 1000)
	p := []byte(prefixAudit)
	lower, upper := p, prefixEnd(p)
	if f.From > 0 {
		lower = append(bytes.Clone(p), (&audit.Entry{At: f.From, ID: "0000000000000000"}).Key()...)
	}
	if f.To > 0 {
		upper = append(bytes.Clone(p), (&audit.Entry{At: f.To, ID: "0000000000000000"}).Key()...)
	}
	if f.Cursor != "" {
		k, err := hex.DecodeString(f.Cursor)
		if err != nil || len(k) != 16 {
			return nil, fmt.Errorf("%w: cursor %q", schema.ErrInvalid, f.Cursor)
		}
		if c := append(bytes.Clone(p), k...); bytes.Compare(c, upper) < 0 {
			upper = c
		}
	}
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: lower, UpperBound: upper})
	if err != nil {
		return nil, fmt.Errorf("node: audit: %w", err)
	}
	defer it.Close()
	page := &audit.Page{Entries: []audit.Entry{}}
	scanned, seen := 0, []byte(nil)
	for it.Last(); it.Valid(); it.Prev() {
		if scanned++; scanned > maxAuditScan { // a rare filter over years of trail: the caller goes on with Next
			page.Next = hex.EncodeToString(seen) // the cursor's entry is not read again; the next one is
			break
		}
		seen = append(seen[:0], it.Key()[len(p):]...)
		var e audit.Entry
		if err := json.Unmarshal(it.Value(), &e); err != nil {
			return nil, fmt.Errorf("%w: audit entry: %w", ErrCorrupt, err)
		}
		if !f.Matches(&e) {
			continue
		}
		if len(page.Entries) == f.Limit {
			page.Next = hex.EncodeToString(page.Entries[len(page.Entries)-1].Key())
			break
		}
		page.Entries = append(page.Entries, e)
	}
	return page, it.Error()
}
