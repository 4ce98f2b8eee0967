package localcluster

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/schema"
)

// Converged waits until the kabupaten has quiesced and every replica
// agrees: the running members of each cluster have applied the same state;
// every desa's scope digest is the same at the desa, at every member of
// its kecamatan and at every member of the kabupaten; and every
// kecamatan's scope digest is the same at its members and the kabupaten's.
// It returns what still differs when the topology's WaitLimit passes.
func (k *Kabupaten) Converged() error {
	var last error
	if Eventually(k.topo.WaitLimit, "convergence", func() bool { last = k.Agree(); return last == nil }) != nil {
		return fmt.Errorf("localcluster: not converged after %s: %w\n%s", k.topo.WaitLimit, last, k.Describe())
	}
	return nil
}

// Agree checks every replica once: nil when they all agree, else the
// first difference found.
func (k *Kabupaten) Agree() error {
	for _, c := range k.Clusters() {
		if _, err := c.digestOnce(); err != nil {
			return err
		}
	}
	kabDesa, err := digests(k.Cluster.Members, schema.LevelDesa)
	if err != nil {
		return err
	}
	kabKec, err := digests(k.Cluster.Members, schema.LevelKecamatan)
	if err != nil {
		return err
	}
	for _, kec := range k.Kecamatan {
		kecDesa, err := digests(kec.Members, schema.LevelDesa)
		if err != nil {
			return err
		}
		kecKec, err := digests(kec.Members, schema.LevelKecamatan)
		if err != nil {
			return err
		}
		if err := same(kec.Code, kecKec, kabKec, "kecamatan member", "kabupaten member"); err != nil {
			return err
		}
		for _, d := range kec.Desa {
			own, err := digests([]*Member{d.Member}, schema.LevelDesa)
			if err != nil {
				return err
			}
			if err := same(d.Code, own, kecDesa, "desa", "kecamatan member"); err != nil {
				return err
			}
			if err := same(d.Code, own, kabDesa, "desa", "kabupaten member"); err != nil {
				return err
			}
		}
	}
	return nil
}

// Describe tells the state of every node's links, to explain a failure:
// for each node its log position and uplink status, and for each link
// whether it is down or a black hole.
func (k *Kabupaten) Describe() string {
	var b strings.Builder
	node := func(name string, m *Member, links []*Link) {
		fmt.Fprintf(&b, "%s %s:", name, m.URL)
		if !m.Running() {
			b.WriteString(" stopped\n")
			return
		}
		st := m.node.SyncStatus()
		fmt.Fprintf(&b, " log %d", st.LogPosition)
		if st.Uplink != nil {
			up, _ := json.Marshal(st.Uplink)
			fmt.Fprintf(&b, " uplink %s", up)
		}
		for i, l := range links {
			if l.Down() || l.hole.Load() {
				fmt.Fprintf(&b, " link %d down=%v hole=%v", i, l.Down(), l.hole.Load())
			}
		}
		b.WriteString("\n")
	}
	for i, m := range k.Cluster.Members {
		node(fmt.Sprintf("%s/%d", k.Code, i), m, nil)
	}
	for _, kec := range k.Kecamatan {
		for i, m := range kec.Members {
			node(fmt.Sprintf("%s/%d", kec.Code, i), m, kec.Up)
		}
		for _, d := range kec.Desa {
			node(string(d.Code), d.Member, d.Up)
		}
	}
	return b.String()
}

// digests returns each member's scope digests at level.
func digests(ms []*Member, level schema.Level) ([]map[schema.Code][32]byte, error) {
	var out []map[schema.Code][32]byte
	for _, m := range ms {
		if !m.Running() {
			return nil, fmt.Errorf("%s is not running", m.URL)
		}
		d, err := m.node.Store().ScopeDigests(level)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// same checks that scope has one digest in every map of a and b.
func same(scope schema.Code, a, b []map[schema.Code][32]byte, aName, bName string) error {
	want := a[0][scope]
	for i, d := range a {
		if d[scope] != want {
			return fmt.Errorf("%s: %s %d differs from %s 0", scope, aName, i, aName)
		}
	}
	for i, d := range b {
		if d[scope] != want {
			return fmt.Errorf("%s: %s %d differs from the %s", scope, bName, i, aName)
		}
	}
	return nil
}

// digestOnce checks once that the running members have applied the same
// raft index and hold the same state.
func (c *Cluster) digestOnce() ([32]byte, error) {
	var digest [32]byte
	var applied uint64
	first := true
	for i, m := range c.Members {
		if !m.Running() {
			continue
		}
		a, err := m.node.Store().RaftApplied()
		if err != nil {
			return digest, err
		}
		d, err := m.node.Store().StateDigest()
		if err != nil {
			return digest, err
		}
		if first {
			applied, digest, first = a, d, false
		} else if a != applied || d != digest {
			return digest, fmt.Errorf("%s member %d has not applied what the others have", c.opts.Region, i)
		}
	}
	if first {
		return digest, fmt.Errorf("%s has no running member", c.opts.Region)
	}
	return digest, nil
}

// Ledger records the writes a client saw acknowledged, to check at the
// end that none was lost. It is safe for concurrent use.
type Ledger struct {
	mu         sync.Mutex
	complaints map[string]schema.Code // id -> region
	actions    map[string][]string    // complaint id -> notes of its acknowledged actions
	monografi  map[monografiKey]map[string]float64
}

type monografiKey struct {
	region schema.Code
	period monografi.Period
}

// NewLedger returns an empty ledger.
func NewLedger() *Ledger {
	return &Ledger{complaints: map[string]schema.Code{}, actions: map[string][]string{},
		monografi: map[monografiKey]map[string]float64{}}
}

// Complaint records an acknowledged complaint.
func (l *Ledger) Complaint(id string, region schema.Code) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.complaints[id] = region
}

// Action records an acknowledged action on a complaint, known by its note
// (which the caller makes unique).
func (l *Ledger) Action(id, note string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.actions[id] = append(l.actions[id], note)
}

// Monografi records the values of an acknowledged monografi entry: the
// last one recorded for a document is what the top must hold.
func (l *Ledger) Monografi(region schema.Code, p monografi.Period, values map[string]float64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.monografi[monografiKey{region, p}] = values
}

// Complaints returns the acknowledged complaints' ids and regions.
func (l *Ledger) Complaints() map[string]schema.Code {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make(map[string]schema.Code, len(l.complaints))
	for id, r := range l.complaints {
		out[id] = r
	}
	return out
}

// MonografiEntry is one monografi document's values as last recorded.
type MonografiEntry struct {
	Region schema.Code
	Period monografi.Period
	Values map[string]float64
}

// MonografiEntries returns the acknowledged monografi entries, the last
// one of each document.
func (l *Ledger) MonografiEntries() []MonografiEntry {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]MonografiEntry, 0, len(l.monografi))
	for k, v := range l.monografi {
		out = append(out, MonografiEntry{Region: k.region, Period: k.period, Values: v})
	}
	return out
}

// Counts returns how many complaints, actions and monografi documents
// were acknowledged.
func (l *Ledger) Counts() (complaints, actions, docs int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, a := range l.actions {
		actions += len(a)
	}
	return len(l.complaints), actions, len(l.monografi)
}

// Lost checks every member of the kabupaten cluster for every write in
// the ledger and returns those missing (nil: nothing was lost).
func (k *Kabupaten) Lost(l *Ledger) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	var errs []error
	for i, m := range k.Cluster.Members {
		if !m.Running() {
			errs = append(errs, fmt.Errorf("kabupaten member %d is not running", i))
			continue
		}
		st := m.node.Store()
		for _, id := range slices.Sorted(maps.Keys(l.complaints)) {
			c, err := st.Complaint(id)
			if err != nil {
				errs = append(errs, fmt.Errorf("kabupaten member %d: complaint %s of %s: %w", i, id, l.complaints[id], err))
				continue
			}
			for _, note := range l.actions[id] {
				if !slices.ContainsFunc(c.Actions, func(a schema.ActionRecord) bool { return a.Note == note }) {
					errs = append(errs, fmt.Errorf("kabupaten member %d: complaint %s lacks the action %q", i, id, note))
				}
			}
		}
		for key, want := range l.monografi {
			v, err := st.Monografi(key.region, key.period)
			if err != nil {
				errs = append(errs, fmt.Errorf("kabupaten member %d: monografi %s %s: %w", i, key.region, key.period, err))
				continue
			}
			for code, x := range want {
				if got, ok := v.Values[code]; !ok || got != x {
					errs = append(errs, fmt.Errorf("kabupaten member %d: monografi %s %s: %s is %v, the desa was told %v was stored",
						i, key.region, key.period, code, got, x))
				}
			}
		}
	}
	for id := range l.actions {
		if _, ok := l.complaints[id]; !ok {
			// An action on a complaint taken at a tier above: the
			// complaint itself was acknowledged elsewhere, check the
			// action alone.
			errs = append(errs, k.actionsAtTop(id, l.actions[id])...)
		}
	}
	return errors.Join(errs...)
}

func (k *Kabupaten) actionsAtTop(id string, notes []string) []error {
	var errs []error
	for i, m := range k.Cluster.Members {
		if !m.Running() {
			continue
		}
		c, err := m.node.Store().Complaint(id)
		if err != nil {
			errs = append(errs, fmt.Errorf("kabupaten member %d: complaint %s: %w", i, id, err))
			continue
		}
		for _, note := range notes {
			if !slices.ContainsFunc(c.Actions, func(a schema.ActionRecord) bool { return a.Note == note }) {
				errs = append(errs, fmt.Errorf("kabupaten member %d: complaint %s lacks the action %q", i, id, note))
			}
		}
	}
	return errs
}
