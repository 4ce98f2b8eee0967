package schema_test

import (
	"flag"
	"fmt"
	"math/rand"
	"testing"
	"time"

	"github.com/lumbung/lumbung/schema"
)

var foldSeed = flag.Int64("fold.seed", 0, "seed for TestFoldConverges (0: from the time)")

// TestFoldConverges is the convergence promise as a property: random
// complaint histories written at three tiers with skewed clocks, delivered
// in random orders with repeats (some through the wire encoding), always
// fold to the same digest.
func TestFoldConverges(t *testing.T) {
	seed := *foldSeed
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	t.Logf("seed %d (rerun with -fold.seed=%d)", seed, seed)
	rng := rand.New(rand.NewSource(seed))
	const iterations, orders = 300, 6
	var superseded, actions int
	for i := range iterations {
		h := newHistory(rng)
		changes := h.generate(t, rng)
		c, err := schema.FoldComplaint(changes)
		if err != nil {
			t.Fatalf("seed %d, history %d: %v", seed, i, err)
		}
		want := schema.Digest(c)
		for o := range orders {
			delivery := shuffled(rng, changes)
			if o%2 == 1 {
				delivery = overTheWire(t, delivery)
			}
			if got := digestOf(t, delivery); got != want {
				t.Fatalf("seed %d, history %d, order %d: digest %x, want %x\n%s",
					seed, i, o, got[:8], want[:8], describe(changes))
			}
		}
		actions += len(c.Actions)
		for _, a := range c.Actions {
			if a.Superseded != "" {
				superseded++
			}
		}
	}
	t.Logf("%d histories, %d actions, %d superseded", iterations, actions, superseded)
	if superseded == 0 || superseded == actions {
		t.Errorf("generator is not exercising conflicts: %d of %d actions superseded", superseded, actions)
	}
}

// writer is one node writing to the complaint: its origin, next sequence
// number, clock and clock error.
type writer struct {
	origin schema.Origin
	seq    uint64
	clock  *schema.Clock
	skew   int64
}

// history generates one complaint's changes.
type history struct {
	writers []*writer
	phys    int64
	status  schema.Status // as the generator last applied it, in write order
	out     []*schema.Change
}

func newHistory(rng *rand.Rand) *history {
	h := &history{phys: baseWall, status: schema.StatusReceived}
	origins := []schema.Origin{desaOrigin, {Region: desaOrigin.Region, Incarnation: "DESA02"}, kecOrigin, kabOrigin}
	for _, o := range origins {
		h.writers = append(h.writers, &writer{origin: o, clock: schema.NewClock(schema.HLC{}), skew: rng.Int63n(1001) - 500})
	}
	return h
}

// write stamps a change from w at the current physical time.
func (h *history) write(w *writer, op schema.Op, body []byte) {
	w.seq++
	h.out = append(h.out, &schema.Change{
		Origin: w.origin, Seq: w.seq, HLC: w.clock.Now(h.phys + w.skew), Actor: "officer-" + w.origin.Incarnation,
		Entity: schema.ComplaintEntity("C1"), Scope: desaOrigin.Region, Op: op, Body: body,
	})
}

func (h *history) generate(t *testing.T, rng *rand.Rand) []*schema.Change {
	t.Helper()
	body := createBody("C1")
	h.write(h.writers[0], schema.OpComplaintCreate, mustJSON(t, body))
	for range rng.Intn(25) {
		if h.status == schema.StatusArchived && rng.Intn(2) == 0 {
			break
		}
		h.phys += rng.Int63n(3) * rng.Int63n(1500) // often no time passes at all
		w := h.writers[rng.Intn(len(h.writers))]
		switch p := rng.Intn(100); {
		case p < 10: // a sync: w learns another writer's time
			w.clock.Observe(h.writers[rng.Intn(len(h.writers))].clock.Last())
		case p < 14:
			h.write(w, schema.OpComplaintAction, []byte(`{"action": ["verify"]}`))
		case p < 17: // a second create, such as a re-entry from a restored laptop
			body.Title = fmt.Sprintf("Jalan berlubang (%d)", rng.Intn(100))
			h.write(w, schema.OpComplaintCreate, mustJSON(t, body))
		default:
			h.write(w, schema.OpComplaintAction, mustJSON(t, h.action(rng)))
		}
	}
	return h.out
}

// action picks an action valid in the generator's view of the status most
// of the time, any action otherwise.
func (h *history) action(rng *rand.Rand) schema.ActionInput {
	a := schema.Actions[rng.Intn(len(schema.Actions))]
	if allowed := schema.Allowed(h.status); len(allowed) > 0 && rng.Intn(8) > 0 {
		a = allowed[rng.Intn(len(allowed))]
	}
	if next, err := schema.Next(h.status, a); err == nil {
		h.status = next
	}
	in := schema.ActionInput{Action: a, Note: fmt.Sprintf("catatan %d", rng.Intn(1000))}
	switch a {
	case schema.ActForward:
		in.Unit = "dinas-pupr"
	case schema.ActReject:
		in.Reason = schema.RejectReasons[rng.Intn(len(schema.RejectReasons))]
	}
	return in
}

// overTheWire returns the changes as a peer receives them: encoded and
// decoded again.
func overTheWire(t *testing.T, changes []*schema.Change) []*schema.Change {
	t.Helper()
	out := make([]*schema.Change, len(changes))
	for i, c := range changes {
		d, err := schema.DecodeChange(schema.EncodeChange(c))
		if err != nil {
			t.Fatalf("round trip of %s#%d: %v", c.Origin, c.Seq, err)
		}
		out[i] = d
	}
	return out
}

// describe lists a history for a failure message.
func describe(changes []*schema.Change) string {
	var s string
	for _, c := range schema.SortChanges(changes) {
		s += fmt.Sprintf("  %s %s#%d %s %s\n", c.HLC, c.Origin, c.Seq, c.Op, c.Body)
	}
	return s
}
