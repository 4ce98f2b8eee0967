package schema_test

import (
	"math"
	"testing"

	"github.com/lumbung/lumbung/schema"
)

// now issues a timestamp and fails unless it orders after prev.
func now(t *testing.T, c *schema.Clock, phys int64, prev schema.HLC) schema.HLC {
	t.Helper()
	h := c.Now(phys)
	if !prev.Less(h) {
		t.Fatalf("Now(%d) = %s, not after %s", phys, h, prev)
	}
	if c.Last() != h {
		t.Fatalf("Last() = %s after Now gave %s", c.Last(), h)
	}
	return h
}

func TestClockFollowsPhysicalTime(t *testing.T) {
	c := schema.NewClock(schema.HLC{})
	h := now(t, c, 1000, schema.HLC{})
	if h != (schema.HLC{Wall: 1000}) {
		t.Errorf("first Now(1000) = %s, want 1000.0", h)
	}
	h = now(t, c, 1001, h)
	if h != (schema.HLC{Wall: 1001}) {
		t.Errorf("Now(1001) = %s, want 1001.0", h)
	}
}

func TestClockLogicalCounter(t *testing.T) {
	c := schema.NewClock(schema.HLC{})
	h := now(t, c, 5000, schema.HLC{})
	for i := uint32(1); i <= 3; i++ { // several events in one millisecond
		h = now(t, c, 5000, h)
		if h != (schema.HLC{Wall: 5000, Logical: i}) {
			t.Errorf("event %d in one millisecond = %s", i, h)
		}
	}
	if h = now(t, c, 5001, h); h.Logical != 0 {
		t.Errorf("the counter does not reset when time moves on: %s", h)
	}
}

func TestClockMonotonicWhenTimeGoesBackwards(t *testing.T) {
	c := schema.NewClock(schema.HLC{})
	prev := schema.HLC{}
	// The laptop's clock is set back an hour, then creeps forward again.
	for _, phys := range []int64{10_000_000, 10_000_500, 6_400_000, 6_400_001, 9_000_000, 10_000_500, 10_000_501} {
		prev = now(t, c, phys, prev)
	}
	if prev != (schema.HLC{Wall: 10_000_501}) {
		t.Errorf("after the clock caught up: %s, want 10000501.0", prev)
	}
}

func TestClockStartsAfterPersisted(t *testing.T) {
	last := schema.HLC{Wall: 8000, Logical: 7}
	c := schema.NewClock(last)
	if c.Last() != last {
		t.Fatalf("Last() = %s, want %s", c.Last(), last)
	}
	if h := now(t, c, 7000, last); h != (schema.HLC{Wall: 8000, Logical: 8}) {
		t.Errorf("Now behind the persisted clock = %s, want 8000.8", h)
	}
}

func TestClockObserve(t *testing.T) {
	c := schema.NewClock(schema.HLC{})
	now(t, c, 1000, schema.HLC{})
	remote := schema.HLC{Wall: 61_000, Logical: 4} // upstream is a minute ahead
	c.Observe(remote)
	if c.Last() != remote {
		t.Fatalf("Last() after Observe = %s, want %s", c.Last(), remote)
	}
	h := now(t, c, 1500, remote)
	if h != (schema.HLC{Wall: 61_000, Logical: 5}) {
		t.Errorf("Now after observing %s = %s", remote, h)
	}
	c.Observe(schema.HLC{Wall: 500}) // a timestamp behind changes nothing
	if c.Last() != h {
		t.Errorf("observing the past moved the clock to %s", c.Last())
	}
	if h = now(t, c, 62_000, h); h != (schema.HLC{Wall: 62_000}) {
		t.Errorf("Now once physical time passes the remote = %s", h)
	}
}

// TestClockCounterFull: a peer may send any logical value; the clock must
// not wrap to a timestamp before it.
func TestClockCounterFull(t *testing.T) {
	c := schema.NewClock(schema.HLC{})
	remote := schema.HLC{Wall: 5000, Logical: math.MaxUint32}
	c.Observe(remote)
	h := now(t, c, 4000, remote)
	if h != (schema.HLC{Wall: 5001}) {
		t.Errorf("Now after a full counter = %s, want 5001.0", h)
	}
}

func TestHLCOrder(t *testing.T) {
	ordered := []schema.HLC{{}, {Wall: 1}, {Wall: 1, Logical: 1}, {Wall: 1, Logical: math.MaxUint32}, {Wall: 2}}
	for i, a := range ordered {
		for j, b := range ordered {
			if a.Less(b) != (i < j) {
				t.Errorf("%s.Less(%s) = %v", a, b, a.Less(b))
			}
		}
	}
	if !(schema.HLC{}).IsZero() || (schema.HLC{Logical: 1}).IsZero() {
		t.Error("IsZero is wrong")
	}
	if s := (schema.HLC{Wall: 1767571200000, Logical: 3}).String(); s != "1767571200000.3" {
		t.Errorf("String() = %q", s)
	}
}
