package demo

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/lumbung/lumbung/localcluster"
	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/replication/exchange"
	"github.com/lumbung/lumbung/schema"
)

// Config shapes Run.
type Config struct {
	// Seed makes the complaints, figures and link drops.
	Seed uint64
	// Period is the semester the desa enter.
	Period monografi.Period
	// Intake is how long desa take complaints; Demo also stops when its
	// context is done. Then the links are restored and the kabupaten
	// settles for at most Settle.
	Intake, Settle time.Duration
	// Every is how often a complaint is taken somewhere in the kabupaten.
	Every time.Duration
	// Drops makes desa links drop now and then, a few seconds at a time.
	Drops bool
	// Progress receives the state of the kabupaten every Tick.
	Progress func(Progress)
	Tick     time.Duration
	// Regions, when set, is published at the kabupaten first (the
	// Kemendagri list), so completeness counts against it.
	Regions []node.Region
	// WindingUp, if set, is called when the intake ends.
	WindingUp func()
}

// Progress is the state of the kabupaten at one moment.
type Progress struct {
	Elapsed  time.Duration
	Settling bool
	// Taken is the complaints acknowledged at desa and kecamatan; AtTop
	// those of them the kabupaten holds.
	Taken, AtTop int
	// DesaPending and KecPending are the changes waiting to go up from
	// the desa and from the kecamatan; Offline, the desa cut off now.
	DesaPending, KecPending, Offline int
	// Synced is the desa with nothing waiting; Desa, all of them.
	Synced, Desa int
	// Actions is the actions acknowledged at the kecamatan.
	Actions int
	// Entered and Approved count the desa whose figures were entered,
	// and approved by their kecamatan.
	Entered, Approved int
	Converged         bool
}

// Result is how the demo ended.
type Result struct {
	Last Progress
	// Aggregate is the kabupaten's aggregate of the period.
	Aggregate *monografi.Aggregate
	// Checks compares, for every summed indicator, the kabupaten's total
	// with the sum of what the approved desa entered.
	Checks []Check
	// Settle is how long the kabupaten took to converge once the links
	// were restored; Converged, whether it did within the limit.
	Settle    time.Duration
	Converged bool
}

// Check is one summed indicator: the kabupaten's total and the sum
// of the figures the approved desa entered.
type Check struct {
	Code      string
	Got, Want float64
}

// Equal reports whether the total is the sum: exactly for whole numbers,
// and to within a billionth for decimals (hectares, rupiah in millions),
// which the kabupaten adds kecamatan by kecamatan, so in another order.
func (c Check) Equal() bool {
	if c.Want == math.Trunc(c.Want) {
		return c.Got == c.Want
	}
	return math.Abs(c.Got-c.Want) <= 1e-9*math.Abs(c.Want)
}

// OK reports whether the kabupaten converged and every total equals its
// sum.
func (r *Result) OK() bool {
	for _, c := range r.Checks {
		if !c.Equal() {
			return false
		}
	}
	return r.Converged && len(r.Checks) > 0
}

// Uplink is the demo's uplink: idle exchanges held 5 s, retries within
// 200 ms to 3 s, so a restored link is used again within seconds.
func Uplink(c *exchange.UplinkConfig) {
	c.Wait, c.MinBackoff, c.MaxBackoff, c.RefusedBackoff = 5*time.Second, 200*time.Millisecond, 3*time.Second, 10*time.Second
	c.Stall = 10 * time.Second
}

// demo is one demo in progress.
type demo struct {
	*localcluster.Driver
	k        *localcluster.Kabupaten
	cfg      Config
	start    time.Time
	downTill map[*localcluster.Desa]time.Time
	entered  map[schema.Code]bool
	approved map[schema.Code]bool
	actions  int
}

// Run runs a kabupaten's working day: complaints taken at random desa
// (now and then at a kecamatan), kecamatan officers acting on those that
// reach them, every desa entering its semester's figures and its
// kecamatan approving them, desa links dropping now and then. When the
// intake time is over (or ctx is done) the links come back, the remaining
// figures are approved, and the kabupaten settles; the result holds its
// aggregate and the check that its totals are the sums of what the desa
// entered.
func Run(ctx context.Context, k *localcluster.Kabupaten, cfg Config) (*Result, error) {
	d := &demo{Driver: localcluster.NewDriver(cfg.Seed), k: k, cfg: cfg, start: time.Now(), downTill: map[*localcluster.Desa]time.Time{},
		entered: map[schema.Code]bool{}, approved: map[schema.Code]bool{}}
	defer d.Close()
	if len(cfg.Regions) > 0 {
		if _, err := k.Cluster.Members[0].Node().PublishRegions(ctx, "demo", cfg.Regions); err != nil {
			return nil, fmt.Errorf("demo: publish the region list: %w", err)
		}
	}
	desas := k.Desas()
	// Each desa enters its figures at a moment of its own in the first
	// half of the intake.
	enterAt := map[*localcluster.Desa]time.Time{}
	for _, ds := range desas {
		enterAt[ds] = d.start.Add(time.Duration(d.Rand().Int64N(int64(cfg.Intake/2) + 1)))
	}
	tick := time.NewTicker(cfg.Tick)
	defer tick.Stop()
	work := time.NewTicker(cfg.Every)
	defer work.Stop()
	end := time.After(cfg.Intake)
intake:
	for {
		select {
		case <-ctx.Done():
			break intake
		case <-end:
			break intake
		case <-tick.C:
			d.report(false)
		case now := <-work.C:
			d.links(now, desas)
			d.work(now, desas, enterAt)
		}
	}
	// The links come back; every desa that has not entered does so now,
	// and the kecamatan approve what reaches them.
	if cfg.WindingUp != nil {
		cfg.WindingUp()
	}
	clear(d.downTill)
	for _, ds := range desas {
		ds.SetDown(false)
		if !d.entered[ds.Code] {
			d.entered[ds.Code] = d.Enter(ds, string(cfg.Period), d.factor(ds))
		}
	}
	settle := time.Now()
	deadline := settle.Add(cfg.Settle)
	res := &Result{}
	for time.Now().Before(deadline) {
		d.approveAll(desas)
		if len(d.approved) == len(desas) && k.Agree() == nil {
			res.Converged = true
			break
		}
		select {
		case <-tick.C:
			d.report(true)
		case <-time.After(200 * time.Millisecond):
		}
	}
	res.Settle = time.Since(settle)
	res.Last = d.report(true)
	return res, d.check(res)
}

// factor varies the counts of people from desa to desa.
func (d *demo) factor(ds *localcluster.Desa) int { return 1 + int(ds.Code[len(ds.Code)-1]-'0')%3 }

// links drops a desa's links now and then (about once a minute for each
// desa, for 3 to 15 s) and brings them back.
func (d *demo) links(now time.Time, desas []*localcluster.Desa) {
	if !d.cfg.Drops {
		return
	}
	p := float64(d.cfg.Every) / float64(time.Minute)
	for _, ds := range desas {
		till, down := d.downTill[ds]
		switch {
		case down && now.After(till):
			ds.SetDown(false)
			delete(d.downTill, ds)
		case !down && d.Rand().Float64() < p:
			ds.SetDown(true)
			d.downTill[ds] = now.Add(time.Duration(3+d.Rand().IntN(13)) * time.Second)
		}
	}
}

// work takes one complaint somewhere, acts on one at a kecamatan now and
// then, and has the desa whose moment has come enter their figures.
func (d *demo) work(now time.Time, desas []*localcluster.Desa, enterAt map[*localcluster.Desa]time.Time) {
	d.Step++
	ds := desas[d.Rand().IntN(len(desas))]
	kec := d.k.KecamatanOf(ds.Code)
	if d.Rand().IntN(10) == 0 {
		d.Intake(kec.Members[d.Rand().IntN(len(kec.Members))].URL, ds.Code)
	} else {
		d.Intake(ds.URL, ds.Code)
	}
	if d.Rand().IntN(3) == 0 {
		k := d.k.Kecamatan[d.Rand().IntN(len(d.k.Kecamatan))]
		if d.Act(k.Members[d.Rand().IntN(len(k.Members))], k.Code, "kecamatan") {
			d.actions++
		}
	}
	for _, ds := range desas {
		if !d.entered[ds.Code] && now.After(enterAt[ds]) {
			d.entered[ds.Code] = d.Enter(ds, string(d.cfg.Period), d.factor(ds))
		}
	}
	if d.Step%10 == 0 {
		d.approveAll(desas)
	}
}

// approveAll has each kecamatan approve the figures of its desa that have
// reached it.
func (d *demo) approveAll(desas []*localcluster.Desa) {
	for _, ds := range desas {
		if !d.entered[ds.Code] || d.approved[ds.Code] {
			continue
		}
		kec := d.k.KecamatanOf(ds.Code)
		doc, err := kec.Members[0].Node().Store().Monografi(ds.Code, d.cfg.Period)
		if err != nil || doc.Status != monografi.StatusSubmitted {
			continue
		}
		d.approved[ds.Code] = d.Approve(kec.Members[d.Rand().IntN(len(kec.Members))], ds.Code, string(d.cfg.Period))
	}
}

// report gathers the state of the kabupaten and hands it to Progress.
func (d *demo) report(settling bool) Progress {
	p := Progress{Elapsed: time.Since(d.start), Settling: settling, Desa: len(d.k.Desas()), Actions: d.actions,
		Approved: len(d.approved)}
	for _, ds := range d.k.Desas() {
		if _, down := d.downTill[ds]; down {
			p.Offline++
		}
		if n := ds.PendingUp(); n > 0 {
			p.DesaPending += n
		} else if n == 0 {
			p.Synced++
		}
	}
	for _, kec := range d.k.Kecamatan {
		for _, m := range kec.Members {
			// Every member counts the same changes (the acknowledged
			// position is cluster state): count the leader's alone.
			if !m.Running() || !m.Node().Cluster().IsLeader() {
				continue
			}
			if n := m.PendingUp(); n > 0 {
				p.KecPending += n
			}
		}
	}
	top := d.k.Cluster.Members[0].Node().Store()
	complaints := d.Ledger().Complaints()
	p.Taken = len(complaints)
	for id := range complaints {
		if _, err := top.Complaint(id); err == nil {
			p.AtTop++
		}
	}
	p.Entered = 0
	for _, ok := range d.entered {
		if ok {
			p.Entered++
		}
	}
	p.Converged = p.DesaPending == 0 && d.k.Agree() == nil
	if d.cfg.Progress != nil {
		d.cfg.Progress(p)
	}
	return p
}

// check reads the kabupaten's aggregate and compares every summed total
// with the sum of what the desa it counts entered.
func (d *demo) check(res *Result) error {
	top := d.k.Cluster.Members[0].Node().Store()
	agg, err := top.MonografiAggregate(d.k.Code, d.cfg.Period)
	if err != nil {
		return err
	}
	res.Aggregate = agg
	cat := monografi.Builtin()
	want := map[string]float64{}
	for _, e := range d.Ledger().MonografiEntries() {
		doc, err := top.Monografi(e.Region, e.Period)
		if err != nil || doc == nil || doc.Document == nil || !monografi.Counts(doc.Document) {
			continue
		}
		for code, x := range e.Values {
			if ind, ok := cat.Lookup(code); ok && ind.Agg == monografi.AggSum {
				want[code] += x
			}
		}
	}
	for _, code := range slices.Sorted(maps.Keys(want)) {
		res.Checks = append(res.Checks, Check{Code: code, Got: agg.Values[code], Want: want[code]})
	}
	return nil
}
