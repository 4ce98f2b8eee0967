package node

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/schema/sample"
)

// BenchmarkAggregateAfterSync measures, at a kabupaten node holding a
// whole kabupaten (12 kecamatan × 16 desa, approved, the whole catalogue),
// how long the aggregate takes to be up to date after one desa's sync: a
// batch of four changes (un-approve, corrected figures, submit, approve)
// is applied as a link below would, untimed; then the kabupaten's
// aggregate is read, which reads the log since the last read and updates
// incrementally. apply-ms/op reports the (untimed) apply.
func BenchmarkAggregateAfterSync(b *testing.B) {
	ctx := context.Background()
	s := openRegionStore(b, "32.14")
	var desa []schema.Code
	seq := map[schema.Code]uint64{}
	wall := int64(1_700_000_000_000)
	emit := func(from, d schema.Code, op schema.Op, body any) *schema.Change {
		seq[from]++
		wall++
		return remote(b, from, seq[from], wall, monografi.Entity(d, testPeriod), d, op, body)
	}
	var batch []*schema.Change
	for k := range 12 {
		for j := range 16 {
			d := schema.Code(fmt.Sprintf("32.14.%02d.%04d", k+1, 2001+j))
			desa = append(desa, d)
			v := sample.MonografiFor(len(desa))
			batch = append(batch, emit(d, d, schema.OpMonografiSet, monografi.SetBody{Values: v}),
				emit(d, d, schema.OpMonografiSubmit, monografi.SubmitBody{}),
				emit(d.Parent(), d, schema.OpMonografiApprove, monografi.ApproveBody{Basis: monografi.Basis(v)}))
		}
		if _, err := s.ApplyChanges(ctx, batch, 0); err != nil {
			b.Fatal(err)
		}
		batch = batch[:0]
	}
	if _, err := s.MonografiAggregate("32.14", testPeriod); err != nil {
		b.Fatal(err)
	}
	var apply time.Duration
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		d := desa[i%len(desa)]
		v := sample.MonografiFor(i + 1000)
		sync := []*schema.Change{
			emit(d.Parent(), d, schema.OpMonografiUnapprove, monografi.NoteBody{Note: "koreksi"}),
			emit(d, d, schema.OpMonografiSet, monografi.SetBody{Values: v}),
			emit(d, d, schema.OpMonografiSubmit, monografi.SubmitBody{}),
			emit(d.Parent(), d, schema.OpMonografiApprove, monografi.ApproveBody{Basis: monografi.Basis(v)}),
		}
		start := time.Now()
		if _, err := s.ApplyChanges(ctx, sync, 0); err != nil {
			b.Fatal(err)
		}
		apply += time.Since(start)
		b.StartTimer()
		agg, err := s.MonografiAggregate("32.14", testPeriod)
		if err != nil || agg.Completeness.Reported != len(desa) {
			b.Fatalf("aggregate: %v, %+v", err, agg.Completeness)
		}
	}
	b.ReportMetric(float64(apply.Milliseconds())/float64(b.N), "apply-ms/op")
}
