package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"time"

	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/schema/sample"
)

// AggregateConfig sets up Aggregate.
type AggregateConfig struct {
	// Dir holds the kabupaten store of the after-sync measure.
	Dir string
	// Kabupaten is how many times a kabupaten is aggregated from scratch.
	Kabupaten int
	// Updates is how many incremental updates of the national tree run.
	Updates int
	// Syncs is how many desa syncs the kabupaten node applies.
	Syncs int
}

// DefaultAggregateConfig is what lumbung bench aggregate runs.
func DefaultAggregateConfig(dir string) AggregateConfig {
	return AggregateConfig{Dir: dir, Kabupaten: 50, Updates: 2000, Syncs: 200}
}

// AggregateReport holds the aggregation figures, each a mean.
type AggregateReport struct {
	Kabupaten time.Duration // 192 desa × the whole catalogue, from scratch
	Nation    time.Duration // 83,762 desa, from scratch, the tree included
	// PeakRSS is the process's VmHWM after the national run (0 off Linux).
	PeakRSS int64
	Update  time.Duration // one desa's document through the national tree
	// AfterSync is the aggregate read at a kabupaten node after one
	// desa's sync (4 changes); Apply is applying that sync.
	AfterSync, Apply time.Duration
}

const benchPeriod = monografi.Period("2026-S1")

// Aggregate measures aggregation: a kabupaten and the nation from
// scratch, an incremental update, and a kabupaten node's aggregate after
// one desa's sync. Run it before other work in the process, for the peak
// memory to be the national run's.
func Aggregate(cfg AggregateConfig) (*AggregateReport, error) {
	rep := &AggregateReport{}
	nation := sample.Nation()
	start := time.Now()
	a := monografi.NewAggregator(monografi.Builtin(), monografi.NewTree(nation), benchPeriod, approvedDocs(nation))
	rep.Nation, rep.PeakRSS = time.Since(start), peakRSS()
	if got := a.Get("").Completeness.Reported; got != sample.NationDesa {
		return nil, fmt.Errorf("bench: the nation's aggregate counts %d desa", got)
	}
	docs := []*monografi.Document{approved(nation[0], 1), approved(nation[0], 2)}
	start = time.Now()
	for i := range cfg.Updates {
		a.Update(docs[i%2])
	}
	rep.Update = time.Since(start) / time.Duration(max(cfg.Updates, 1))
	kab := kabupaten192()
	tree := monografi.NewTree(kab)
	start = time.Now()
	for range cfg.Kabupaten {
		monografi.NewAggregator(monografi.Builtin(), tree, benchPeriod, approvedDocs(kab))
	}
	rep.Kabupaten = time.Since(start) / time.Duration(max(cfg.Kabupaten, 1))
	var err error
	rep.AfterSync, rep.Apply, err = AggregateAfterSync(cfg.Dir, cfg.Syncs)
	return rep, err
}

// AggregateAfterSync opens a kabupaten store in dir holding 12 kecamatan ×
// 16 desa, approved, the whole catalogue; then n times applies one desa's
// sync as a link below delivers it (un-approve, corrected figures,
// submit, approve) and reads the kabupaten's aggregate. It returns the
// mean read and the mean apply.
func AggregateAfterSync(dir string, n int) (read, apply time.Duration, err error) {
	cfg := node.DefaultStoreConfig(dir, "32.14")
	s, err := node.OpenStore(cfg)
	if err != nil {
		return 0, 0, err
	}
	defer s.Close()
	ctx := context.Background()
	g := &syncGen{seq: map[schema.Code]uint64{}, wall: 1_700_000_000_000}
	var desa []schema.Code
	for k := range 12 {
		var batch []*schema.Change
		for j := range 16 {
			d := schema.Code(fmt.Sprintf("32.14.%02d.%04d", k+1, 2001+j))
			desa = append(desa, d)
			v := sample.MonografiFor(len(desa))
			batch = append(batch, g.change(d, d, schema.OpMonografiSet, monografi.SetBody{Values: v}),
				g.change(d, d, schema.OpMonografiSubmit, monografi.SubmitBody{}),
				g.change(d.Parent(), d, schema.OpMonografiApprove, monografi.ApproveBody{Basis: monografi.Basis(v)}))
		}
		if _, err := s.ApplyChanges(ctx, batch); err != nil {
			return 0, 0, err
		}
	}
	if _, err := s.MonografiAggregate("32.14", benchPeriod); err != nil {
		return 0, 0, err
	}
	for i := range n {
		d := desa[i%len(desa)]
		v := sample.MonografiFor(i + 1000)
		sync := []*schema.Change{
			g.change(d.Parent(), d, schema.OpMonografiUnapprove, monografi.NoteBody{Note: "koreksi"}),
			g.change(d, d, schema.OpMonografiSet, monografi.SetBody{Values: v}),
			g.change(d, d, schema.OpMonografiSubmit, monografi.SubmitBody{}),
			g.change(d.Parent(), d, schema.OpMonografiApprove, monografi.ApproveBody{Basis: monografi.Basis(v)}),
		}
		start := time.Now()
		if _, err := s.ApplyChanges(ctx, sync); err != nil {
			return 0, 0, err
		}
		mid := time.Now()
		agg, err := s.MonografiAggregate("32.14", benchPeriod)
		if err != nil {
			return 0, 0, err
		}
		read, apply = read+time.Since(mid), apply+mid.Sub(start)
		if agg.Completeness.Reported != len(desa) {
			return 0, 0, fmt.Errorf("bench: the aggregate counts %d desa", agg.Completeness.Reported)
		}
	}
	n = max(n, 1)
	return read / time.Duration(n), apply / time.Duration(n), nil
}

// syncGen makes the changes desa and kecamatan nodes would send.
type syncGen struct {
	seq  map[schema.Code]uint64
	wall int64
}

func (g *syncGen) change(from, d schema.Code, op schema.Op, body any) *schema.Change {
	g.seq[from]++
	g.wall++
	raw, _ := json.Marshal(body)
	return &schema.Change{Origin: schema.Origin{Region: from, Incarnation: "BENCH0"}, Seq: g.seq[from],
		HLC: schema.HLC{Wall: g.wall}, Actor: "operator", Entity: monografi.Entity(d, benchPeriod), Scope: d, Op: op, Body: raw}
}

func approved(c schema.Code, i int) *monografi.Document {
	return &monografi.Document{Region: c, Period: benchPeriod, Status: monografi.StatusApproved, Values: sample.MonografiFor(i)}
}

// approvedDocs yields an approved document for every desa of regions,
// made as it is read, as a node reads them from its store.
func approvedDocs(regions []schema.Code) iter.Seq[*monografi.Document] {
	return func(yield func(*monografi.Document) bool) {
		for i, c := range regions {
			if c.Level() == schema.LevelDesa && !yield(approved(c, i)) {
				return
			}
		}
	}
}

// kabupaten192 is a kabupaten of 17 kecamatan and 192 desa, like
// Purwakarta.
func kabupaten192() []schema.Code {
	out := make([]schema.Code, 192)
	for k := range out {
		out[k] = schema.Code(fmt.Sprintf("32.14.%02d.%04d", 1+k%17, 2001+k/17))
	}
	return out
}

// peakRSS reads the process's peak resident set (VmHWM) from Linux's
// /proc, or 0 elsewhere.
func peakRSS() int64 { return max(procStatus("self", "VmHWM:"), 0) }
