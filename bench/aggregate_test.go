package bench

import "testing"

// BenchmarkAggregateAfterSync: a kabupaten node on disk, its aggregate
// read after each of b.N desa syncs (AggregateAfterSync); the figures are
// per sync.
func BenchmarkAggregateAfterSync(b *testing.B) {
	read, apply, err := AggregateAfterSync(b.TempDir(), b.N)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(read.Microseconds())/1000, "read-ms/sync")
	b.ReportMetric(float64(apply.Microseconds())/1000, "apply-ms/sync")
	b.ReportMetric(float64(read.Microseconds())/10_000, "x-of-10ms-limit")
}

// TestAggregateAfterSync runs the after-sync scenario of lumbung bench
// aggregate briefly, so that it keeps working: every sync leaves all 192
// desa counted.
func TestAggregateAfterSync(t *testing.T) {
	if _, _, err := AggregateAfterSync(t.TempDir(), 3); err != nil {
		t.Fatal(err)
	}
}
