package node

import (
	"context"
	"testing"
	"time"
)

// TestClockFixSurvivesRestart: a laptop three days fast learns the
// upstream's time at an exchange, is shut down, and stamps the next
// morning's complaints with the right time before any exchange. If the
// officer has set the clock right meanwhile, or the correction is older
// than clockFixLife, it is dropped.
func TestClockFixSurvivesRestart(t *testing.T) {
	truth := time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)
	const fast = 72 * time.Hour
	local := truth.Add(fast)
	dir := t.TempDir()
	cfg := DefaultStoreConfig(dir, testDesa)
	cfg.Logger = testLogger(t)
	cfg.Now = func() time.Time { return local }
	open := func() *Store {
		t.Helper()
		s, err := OpenStore(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := open()
	s.ObserveSkew(fast.Milliseconds())
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	local = local.Add(14 * time.Hour) // the next morning, same wrong clock
	s = open()
	if got := time.Duration(s.clockCorrection()) * time.Millisecond; got != -fast {
		t.Fatalf("after restart the correction is %s, want %s", got, -fast)
	}
	c, err := s.CreateComplaint(context.Background(), testInput(1))
	if err != nil {
		t.Fatal(err)
	}
	stamped := time.UnixMilli(c.CreatedWall)
	if d := stamped.Sub(truth.Add(14 * time.Hour)); d < -time.Minute || d > time.Minute {
		t.Fatalf("stamped %s, %s from the true time", stamped, d)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	for name, clock := range map[string]time.Time{
		"clock set right": truth.Add(15 * time.Hour),
		"a month later":   local.Add(clockFixLife + time.Hour),
	} {
		local = clock
		s = open()
		if fix := s.clockCorrection(); fix != 0 {
			t.Errorf("%s: correction %d ms kept", name, fix)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
