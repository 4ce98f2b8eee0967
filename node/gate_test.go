package node

import "testing"

// TestReadsBeforeGate: what a release before the gate reads is frozen,
// and this binary reads at least as much (a kind is never dropped, a
// version never lowered): otherwise a cluster of this release and the
// last one before the gate would part.
func TestReadsBeforeGate(t *testing.T) {
	own := readsTable()
	for kind, v := range readsBeforeGate {
		if own[kind] < v {
			t.Errorf("%s: this binary reads version %d, a release before the gate %d", kind, own[kind], v)
		}
	}
}
