package testcluster

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"time"

	"github.com/lumbung/lumbung/localcluster"
)

// The kinds of step of a chaos schedule.
const (
	StepIntake      = "intake"      // a complaint at a desa
	StepIntakeKec   = "intake-kec"  // a complaint taken at a kecamatan member
	StepActionKec   = "action-kec"  // an action on a complaint at a kecamatan member
	StepActionKab   = "action-kab"  // an action on a complaint at a kabupaten member
	StepMonografi   = "monografi"   // a desa enters and submits its semester
	StepApprove     = "approve"     // a kecamatan member approves a desa's semester
	StepCut         = "cut"         // a desa's links refuse connections
	StepBlackHole   = "black-hole"  // a desa's links swallow everything
	StepFlap        = "flap"        // a kecamatan's uplink flaps
	StepCutKec      = "cut-kec"     // a kecamatan's uplink is cut
	StepKillDesa    = "kill-desa"   // a desa node stops
	StepKillMember  = "kill-member" // a cluster member stops
	StepKillLeader  = "kill-leader" // a cluster's leader stops
	StepPartition   = "partition"   // a cluster member is cut from the others
	StepSkew        = "skew"        // a desa's clock goes wrong
	StepSkewMember  = "skew-member" // a cluster member's clock goes wrong
	stepWeightTotal = 100
)

// weights are how often each kind of step comes up, out of 100.
var weights = []struct {
	kind string
	w    int
}{
	{StepIntake, 21}, {StepIntakeKec, 6}, {StepActionKec, 10}, {StepActionKab, 5}, {StepMonografi, 6},
	{StepApprove, 5}, {StepCut, 6}, {StepBlackHole, 4}, {StepFlap, 4}, {StepCutKec, 4}, {StepKillDesa, 5},
	{StepKillMember, 5}, {StepKillLeader, 6}, {StepPartition, 6}, {StepSkew, 4},
	{StepSkewMember, 3},
}

// Step is one step of a chaos schedule: what happens, to which kecamatan
// (-1: the kabupaten) and which desa or member, for how many steps (a
// fault is undone that many steps later), with a pause before it.
type Step struct {
	Kind   string
	Kec    int
	Target int
	Lasts  int
	Skew   time.Duration
	Pause  time.Duration
}

func (s Step) String() string {
	out := fmt.Sprintf("%s kec=%d target=%d", s.Kind, s.Kec, s.Target)
	if s.Lasts > 0 {
		out += fmt.Sprintf(" lasts=%d", s.Lasts)
	}
	if s.Skew != 0 {
		out += " skew=" + s.Skew.String()
	}
	return out
}

// Schedule is the seeded list of steps a chaos run takes on a kabupaten
// of the topology: the same seed and topology give the same schedule.
func Schedule(seed uint64, steps int, topo Topology) []Step {
	topo.SetDefaults()
	regions := topo.Layout()
	r := rand.New(rand.NewPCG(seed, 0xc4a05))
	out := make([]Step, steps)
	for i := range out {
		n, kind := r.IntN(stepWeightTotal), ""
		for _, w := range weights {
			if n < w.w {
				kind = w.kind
				break
			}
			n -= w.w
		}
		kec := r.IntN(len(regions))
		s := Step{Kind: kind, Kec: kec, Lasts: 1 + r.IntN(6), Pause: time.Duration(20+r.IntN(130)) * time.Millisecond}
		switch kind {
		case StepKillMember, StepKillLeader, StepPartition, StepActionKab, StepSkewMember:
			if r.IntN(3) == 0 || kind == StepActionKab {
				s.Kec = -1 // the kabupaten's cluster
			}
			s.Target = r.IntN(topo.Members)
		default:
			s.Target = r.IntN(len(regions[kec].Desa))
		}
		if kind == StepSkew || kind == StepSkewMember {
			s.Skew = time.Duration(r.IntN(6*24)-3*24) * time.Hour
		}
		out[i] = s
	}
	return out
}

// ChaosReport is what one chaos run did and checked.
type ChaosReport struct {
	Seed uint64
	// Taken counts the steps taken by kind; Skipped, those skipped
	// because a fault already held the same cluster or node.
	Taken, Skipped map[string]int
	// Complaints, Actions and Docs are the writes acknowledged.
	Complaints, Actions, Docs int
	// Operations is the length of the clusters' histories checked by
	// porcupine.
	Operations int
	// Settle is how long the kabupaten took to converge after healing.
	Settle time.Duration
}

// Invariants are what every chaos run checks after healing.
var Invariants = []string{
	"every cluster's running members applied the same state",
	"every desa's scope digest is equal at the desa, its kecamatan's members and the kabupaten's",
	"every kecamatan's scope digest is equal at its members and the kabupaten's",
	"every complaint, action and monografi entry acknowledged to a client is held by every kabupaten member",
	"every cluster's history of writes and consistent reads is linearizable (porcupine)",
	"no goroutine outlives the kabupaten (checked at teardown)",
}

// chaos is one run in progress.
type chaos struct {
	*localcluster.Driver
	k    *Kabupaten
	rep  *ChaosReport
	undo map[int][]func() error // step index -> what to undo then
	busy map[string]bool        // a cluster or desa a fault holds now
}

// Chaos runs the seeded schedule of steps on k while clients record each
// cluster's history, then undoes every fault, heals, and checks the
// invariants. It returns the report and the first invariant broken.
func Chaos(k *Kabupaten, seed uint64, steps int) (*ChaosReport, error) {
	c := &chaos{Driver: localcluster.NewDriver(seed), k: k, undo: map[int][]func() error{}, busy: map[string]bool{},
		rep: &ChaosReport{Seed: seed, Taken: map[string]int{}, Skipped: map[string]int{}}}
	defer c.Close()
	var next atomic.Int64
	var histories []*History
	for i, cl := range k.Clusters() {
		key := fmt.Sprintf("%s.99.%04d", k.Code, 2001+i) // a desa of a kecamatan the topology has not
		if i > 0 {
			key = fmt.Sprintf("%s.%04d", k.Kecamatan[i-1].Code, 2999)
		}
		histories = append(histories, Record(cl, []string{key}, 2, seed+uint64(i), 40*time.Millisecond, &next))
	}
	var errs []error
	for i, s := range Schedule(seed, steps, k.Topology()) {
		c.Step = i
		time.Sleep(s.Pause) // the schedule's pace, not a wait for anything
		if err := c.undoDue(i); err != nil {
			errs = append(errs, err)
			break
		}
		if err := c.take(s); err != nil {
			errs = append(errs, fmt.Errorf("step %d (%s): %w", i, s, err))
			break
		}
	}
	if err := c.undoDue(-1); err != nil {
		errs = append(errs, err)
	}
	var ops int
	for i, h := range histories {
		hist := h.Stop()
		ops += len(hist)
		if err := CheckLinearizable(hist, fmt.Sprintf("%d-%d", seed, i)); err != nil {
			errs = append(errs, fmt.Errorf("cluster %d: %w", i, err))
		}
	}
	c.rep.Operations = ops
	if err := errors.Join(errs...); err != nil {
		return c.rep, err
	}
	start := time.Now()
	if err := k.Heal(); err != nil {
		return c.rep, fmt.Errorf("heal: %w", err)
	}
	if err := k.Converged(); err != nil {
		return c.rep, err
	}
	c.rep.Settle = time.Since(start)
	c.rep.Complaints, c.rep.Actions, c.rep.Docs = c.Ledger().Counts()
	return c.rep, k.Lost(c.Ledger())
}

// undoDue undoes the faults due at step i (every one when i < 0).
func (c *chaos) undoDue(i int) error {
	var errs []error
	for at, fs := range c.undo {
		if i >= 0 && at != i {
			continue
		}
		for _, f := range fs {
			errs = append(errs, f())
		}
		delete(c.undo, at)
	}
	return errors.Join(errs...)
}

// hold marks what a fault holds until Lasts steps from now, and undoes it
// then with f.
func (c *chaos) hold(s Step, what string, f func() error) {
	c.busy[what] = true
	at := c.Step + s.Lasts
	c.undo[at] = append(c.undo[at], func() error {
		delete(c.busy, what)
		return f()
	})
}

func (c *chaos) cluster(s Step) (*Cluster, string) {
	if s.Kec < 0 {
		return c.k.Cluster, string(c.k.Code)
	}
	return c.k.Kecamatan[s.Kec].Cluster, string(c.k.Kecamatan[s.Kec].Code)
}

// take takes one step. Writes that fail are not acknowledged and leave
// nothing to check; an error means the harness itself failed.
func (c *chaos) take(s Step) error {
	kec := c.k.Kecamatan[max(s.Kec, 0)]
	desa := kec.Desa[min(s.Target, len(kec.Desa)-1)]
	cl, name := c.cluster(s)
	faulty := func(what string) bool {
		if c.busy[what] {
			c.rep.Skipped[s.Kind]++
			return true
		}
		c.rep.Taken[s.Kind]++
		return false
	}
	switch s.Kind {
	case StepIntake:
		c.rep.Taken[s.Kind]++
		if desa.Running() {
			c.Intake(desa.URL, desa.Code)
		}
	case StepIntakeKec:
		c.rep.Taken[s.Kind]++
		c.Intake(cl.Members[s.Target%len(cl.Members)].URL, desa.Code)
	case StepActionKec, StepActionKab:
		c.rep.Taken[s.Kind]++
		c.Act(cl.Members[s.Target%len(cl.Members)], kec.Code, s.Kind)
	case StepMonografi:
		c.rep.Taken[s.Kind]++
		if desa.Running() {
			c.Enter(desa, "2026-S1", 1+c.Rand().IntN(3))
		}
	case StepApprove:
		c.rep.Taken[s.Kind]++
		m := cl.Members[c.Rand().IntN(len(cl.Members))]
		c.Approve(m, desa.Code, "2026-S1")
	case StepCut, StepBlackHole:
		if faulty("link " + string(desa.Code)) {
			return nil
		}
		on := desa.SetDown
		if s.Kind == StepBlackHole {
			on = desa.SetBlackHole
		}
		on(true)
		c.hold(s, "link "+string(desa.Code), func() error { on(false); return nil })
	case StepFlap, StepCutKec:
		if faulty("uplink " + string(kec.Code)) {
			return nil
		}
		if s.Kind == StepFlap {
			for _, l := range kec.Up {
				l.Flap(time.Duration(50+c.Rand().IntN(200))*time.Millisecond, time.Duration(50+c.Rand().IntN(300))*time.Millisecond)
			}
		} else {
			kec.SetDown(true)
		}
		c.hold(s, "uplink "+string(kec.Code), func() error {
			for _, l := range kec.Up {
				l.Flap(0, 0)
			}
			return nil
		})
	case StepKillDesa:
		if faulty("desa " + string(desa.Code)) {
			return nil
		}
		desa.SetDown(true) // its connections drop with it, mid-exchange
		if err := desa.Stop(); err != nil {
			return err
		}
		c.hold(s, "desa "+string(desa.Code), func() error { desa.SetDown(false); return desa.Start() })
	case StepKillMember, StepKillLeader, StepPartition:
		if faulty("cluster " + name) {
			return nil
		}
		i := s.Target
		if s.Kind != StepKillMember {
			var err error
			if i, err = cl.Leader(); err != nil {
				return err
			}
		}
		m := cl.Members[i]
		if s.Kind == StepPartition {
			cl.Partition(i)
			c.hold(s, "cluster "+name, func() error { cl.Heal(); return nil })
			return nil
		}
		if err := m.Stop(); err != nil {
			return err
		}
		c.hold(s, "cluster "+name, m.Start)
	case StepSkewMember:
		m := cl.Members[s.Target]
		if faulty("clock " + m.URL) {
			return nil
		}
		m.Clock.Skew(s.Skew)
		c.hold(s, "clock "+m.URL, func() error { m.Clock.Skew(0); return nil })
	case StepSkew:
		if faulty("clock " + string(desa.Code)) {
			return nil
		}
		desa.Clock.Skew(s.Skew)
		c.hold(s, "clock "+string(desa.Code), func() error { desa.Clock.Skew(0); return nil })
	default:
		return fmt.Errorf("unknown step %q", s.Kind)
	}
	return nil
}
