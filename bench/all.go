package bench

import (
	"fmt"
	"io"
	"os"
)

// AllConfig shapes All.
type AllConfig struct {
	// Binary is the lumbung command the intake benchmark runs as its
	// node.
	Binary string
	// Log receives progress lines; nil discards them.
	Log io.Writer
}

// Summary is every benchmark's figures: one table of every figure
// against its target, then each benchmark's section.
type Summary struct {
	rows     []row
	sections []func(io.Writer)
}

func (s *Summary) add(area string, rows []row, section func(io.Writer)) {
	for _, r := range rows {
		r.Area = area
		s.rows = append(s.rows, r)
	}
	s.sections = append(s.sections, section)
}

// All runs every benchmark with its defaults (lumbung bench).
func All(cfg AllConfig) (*Summary, error) {
	logf := progress(cfg.Log)
	s := &Summary{}
	logf("bench: intake")
	ic := DefaultIntakeConfig(cfg.Binary)
	ic.Log = cfg.Log
	in, err := Intake(ic)
	if err != nil {
		return nil, err
	}
	s.add("intake", intakeRows(in), func(w io.Writer) { WriteIntake(w, in, "lumbung bench intake") })
	logf("bench: cluster")
	cc := DefaultClusterConfig()
	cc.Log = cfg.Log
	cl, err := Cluster(cc)
	if err != nil {
		return nil, err
	}
	s.add("cluster", clusterRows(cl), func(w io.Writer) { WriteCluster(w, cl, "lumbung bench cluster") })
	logf("bench: sync")
	sc := DefaultSyncConfig()
	sc.Log = cfg.Log
	sy, err := Sync(sc)
	if err != nil {
		return nil, err
	}
	s.add("sync", syncRows(sy), func(w io.Writer) { WriteSync(w, sy, "lumbung bench sync") })
	logf("bench: ui")
	uc := DefaultUIConfig()
	uc.Log = cfg.Log
	ui, err := UI(uc)
	if err != nil {
		return nil, err
	}
	s.add("ui", uiRows(ui), func(w io.Writer) { WriteUI(w, ui, "lumbung bench ui") })
	logf("bench: aggregate")
	dir, err := os.MkdirTemp("", "lumbung-bench-aggregate-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	ag, err := Aggregate(DefaultAggregateConfig(dir))
	if err != nil {
		return nil, err
	}
	s.add("aggregate", aggregateRows(ag), func(w io.Writer) { WriteAggregate(w, ag, "lumbung bench aggregate") })
	return s, nil
}

// Write prints the summary as BENCHMARKS.md: the title, one table of
// every figure against its target, then each benchmark's section.
func (s *Summary) Write(w io.Writer) {
	Title(w)
	header(w, "Summary", "lumbung bench", ". Ratio is the measured figure over the target: at most 1")
	fmt.Fprintf(w, "meets an upper limit (≤), at least 1 a lower one (≥). Each section below explains the targets it does not meet.\n\n")
	writeRows(w, s.rows)
	for _, section := range s.sections {
		section(w)
	}
}
