package httpapi

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/stats"
	"github.com/lumbung/lumbung/workday"
)

// TestComplaintStatsAPI: GET /api/v1/stats/complaints counts a region's
// complaints and lists the overdue ones, in working days of the node's
// own holiday list; bad parameters get a 400 in words.
func TestComplaintStatsAPI(t *testing.T) {
	dir := t.TempDir()
	cfg := node.DefaultConfig(node.TierDesa, testDesa)
	if err := node.SaveConfig(dir, cfg); err != nil {
		t.Fatal(err)
	}
	// Monday 3 August 2026 is declared a holiday here: the limit moves.
	if err := os.WriteFile(filepath.Join(dir, node.HolidaysFile), []byte("2026-08-03,libur daerah\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var now atomic.Int64
	now.Store(time.Date(2026, 7, 31, 9, 0, 0, 0, workday.WIB).UnixMilli()) // a Friday
	n, err := node.Open(dir, cfg, node.Options{Logger: testLogger(t), Now: func() time.Time { return time.UnixMilli(now.Load()) }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(Handler(n))
	t.Cleanup(func() { srv.Close(); _ = n.Close() })
	served(n, srv.URL)

	var c schema.Complaint
	if code := call(t, "POST", srv.URL+"/api/v1/complaints", sampleComplaint(), &c); code != 201 {
		t.Fatalf("create: %d", code)
	}
	// Forward due by the end of Thursday 6 August (3 August is off).
	now.Store(time.Date(2026, 8, 6, 20, 0, 0, 0, workday.WIB).UnixMilli())
	var rep stats.Report
	if code := call(t, "GET", srv.URL+"/api/v1/stats/complaints?region=32.14.02.2001&from=2026-07-01&to=2026-07-31", nil, &rep); code != 200 {
		t.Fatalf("stats: %d", code)
	}
	if rep.Total != 1 || rep.Compliance[stats.StepForward].Pending != 1 || len(rep.Overdue) != 0 {
		t.Fatalf("on Thursday evening: %+v", rep)
	}
	now.Store(time.Date(2026, 8, 7, 0, 1, 0, 0, workday.WIB).UnixMilli())
	call(t, "GET", srv.URL+"/api/v1/stats/complaints", nil, &rep)
	if len(rep.Overdue) != 1 || rep.Overdue[0].ID != c.ID || rep.Overdue[0].Step != stats.StepForward {
		t.Fatalf("on Friday: %+v", rep.Overdue)
	}
	call(t, "GET", srv.URL+"/api/v1/stats/complaints?to=2026-07-30", nil, &rep)
	if rep.Total != 0 {
		t.Fatalf("a range before the complaint holds %d", rep.Total)
	}
	for _, q := range []string{"region=32.14.9", "from=31-07-2026", "to=2026-13-01"} {
		var e locale.ErrorBody
		if code := call(t, "GET", srv.URL+"/api/v1/stats/complaints?"+q, nil, &e); code != 400 || e.Error.Message == "" {
			t.Errorf("%s: %d %+v", q, code, e)
		}
	}
	var e locale.ErrorBody
	if code := call(t, "GET", srv.URL+"/api/v1/stats/complaints?region=32.14.02.2002", nil, &e); code != 403 {
		t.Errorf("another desa: %d %+v", code, e)
	}
}
