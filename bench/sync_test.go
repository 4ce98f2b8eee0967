package bench

import (
	"testing"
)

// TestBenchSyncSmoke runs the sync benchmark small, so that it keeps
// working; the figures come from `lumbung bench sync`.
func TestBenchSyncSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("runs over the 2G profile")
	}
	rep, err := Sync(SyncConfig{Complaints: 50, IdleExchanges: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", rep)
	if rep.WireBytes <= 0 || rep.ZstdBytes <= 0 || rep.IdleBytes <= 0 || rep.Time < rep.Limit/2 {
		t.Fatalf("implausible figures: %+v", rep)
	}
}
