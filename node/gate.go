package node

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/lumbung/lumbung/replication/cluster"
	"golang.org/x/sync/singleflight"
)

// The upgrade gate. A cluster is upgraded one member at a time, so for a
// while its members run two releases. A command written at a version an
// older member does not read would be refused there and applied on the
// others, and their states would part. So a member proposes a command at
// version v of its kind only once every member of the configuration says
// it reads v (cluster.PathReads); until then the write is refused with
// ErrUpgrading, in words, and nothing changes. Kind.Needs writes each
// command at the lowest version that holds it, so only what is new is
// refused; once the last member is upgraded, the next write asks again
// and passes.
//
// A member says what it reads only once it is ready, so a release that
// starts but never becomes ready (an upgrade rolled back) is never
// counted. What a member said is kept: it can only grow as the cluster is
// upgraded. (Putting an older binary back on a member that had been ready
// on a newer one is not an upgrade: restart every member after it, so
// they ask again.) A member that does not say what it reads runs a
// release from before the gate, and reads what the last such release
// read (readsBeforeGate); one that cannot be reached counts with what it
// said last, or that.

// ErrUpgrading means a write needs a command version some member of the
// cluster does not read yet: it is in the middle of an upgrade.
var ErrUpgrading = errors.New("node: the cluster is being upgraded; this write waits for every member to be upgraded")

// readsBeforeGate is what release v0.19.0, the last before the gate,
// reads: every kind it knows, at its highest version. It never changes.
var readsBeforeGate = map[string]int{
	"audit.append": 1, "catalogue.set": 1, "changes": 1, "cluster.genesis": 1, "complaint.action": 1,
	"complaint.create": 2, "identity.erase": 1, "identity.reseal": 1, "identity.share": 1,
	"join_token.add": 1, "join_token.use": 1, "monografi.set": 1, "monografi.step": 1, "monografi.submit": 1,
	"office.key": 1, "officer.add": 2, "officer.change": 2, "regions.import": 1, "regions.set": 1,
	"session.begin": 1, "session.end": 1, "session.touch": 1, "sync.bind": 1, "sync.token": 1,
	"sync.token_rotate": 1, "sync.token_take_over": 1, "sync.up": 1, "sync.uplink_token": 1,
}

// readsTable is what this binary reads: each registered kind at its
// Version.
func readsTable() map[string]int {
	out := make(map[string]int, len(commands))
	for name, k := range commands {
		out[name] = k.version()
	}
	return out
}

// gate keeps what each member of the cluster said it reads.
type gate struct {
	asking singleflight.Group
	mu     sync.Mutex
	reads  map[string]map[string]int // member ID → kind → version
	own    map[string]int            // readsTable(), with Options.Reads
}

// newGate keeps what the members read; this one reads readsTable(),
// with the kinds in override read at the versions it gives.
func newGate(override map[string]int) *gate {
	own := readsTable()
	maps.Copy(own, override)
	return &gate{reads: map[string]map[string]int{}, own: own}
}

// readsWhenReady is what this member says it reads, once it is ready
// (nil before: see above).
func (n *Node) readsWhenReady() []byte {
	if !n.caughtUp.Load() {
		return nil
	}
	return n.gate.ownJSON()
}

// ownJSON is what this member says it reads.
func (g *gate) ownJSON() []byte {
	b, _ := json.Marshal(g.own)
	return b
}

// admit returns nil when every member of c reads version v of kind, and
// ErrUpgrading (naming who does not) otherwise. Version 1 of a kind every
// release since the gate reads passes at once; anything else passes when
// every member has said it reads it, and otherwise the members are asked
// (again) before the write is refused. Writes that come while an ask is
// out share its answer.
func (g *gate) admit(ctx context.Context, c *cluster.Cluster, kind string, v int) error {
	if v <= 1 && readsBeforeGate[kind] >= 1 && g.own[kind] >= 1 {
		return nil
	}
	if len(g.behind(c, kind, v, false)) == 0 {
		return nil
	}
	_, _, _ = g.asking.Do("reads", func() (any, error) { g.ask(context.WithoutCancel(ctx), c); return nil, nil })
	behind := g.behind(c, kind, v, true)
	if len(behind) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s version %d is not read by %s", ErrUpgrading, kind, v, strings.Join(behind, ", "))
}

// ask asks every member what it reads and keeps the answers; a member
// of a release before the gate reads readsBeforeGate, and one that
// cannot be reached keeps what it said last.
func (g *gate) ask(ctx context.Context, c *cluster.Cluster) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	reads, errs := c.MemberReads(ctx)
	g.mu.Lock()
	defer g.mu.Unlock()
	for id, b := range reads {
		var t map[string]int
		if json.Unmarshal(b, &t) == nil && t != nil {
			g.reads[id] = t
		}
	}
	for id, err := range errs {
		if errors.Is(err, cluster.ErrReadsUnknown) {
			g.reads[id] = readsBeforeGate
		}
	}
}

// behind lists the members of c's configuration that do not read version
// v of kind, by what they said. A member never heard from is behind until
// asked; once asked (asked), it counts as a release before the gate.
func (g *gate) behind(c *cluster.Cluster, kind string, v int, asked bool) []string {
	ids, err := c.MemberIDs()
	if err != nil {
		return []string{"?"}
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []string
	for _, id := range ids {
		t, ok := g.reads[id]
		switch {
		case id == c.ID():
			t = g.own
		case !ok && !asked:
			out = append(out, id)
			continue
		case !ok:
			t = readsBeforeGate
		}
		if t[kind] < v {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}
