package bench

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"
)

// row is one figure against its target: ratio is the measured
// figure over the target, so at most 1 meets an upper limit and at least
// 1 a lower one; a row without a target has an empty Target.
type row struct {
	Area, Measure, Measured, Target string
	Ratio                           float64
	Met                             bool
	// Gap says, for a target this kind of machine does not meet, where
	// the time goes and what would close the gap; it is printed under
	// the section's table when the row is not met.
	Gap string
}

// because returns r with the explanation printed when it is not met.
func (r row) because(gap string) row {
	r.Gap = gap
	return r
}

func atMost(measure, measured, target string, x, limit float64) row {
	return row{Measure: measure, Measured: measured, Target: "≤ " + target, Ratio: x / limit, Met: x <= limit}
}

func atLeast(measure, measured, target string, x, limit float64) row {
	return row{Measure: measure, Measured: measured, Target: "≥ " + target, Ratio: x / limit, Met: x >= limit}
}

func noTarget(measure, measured string) row {
	return row{Measure: measure, Measured: measured}
}

// writeRows prints rows as a Markdown table, with their area when they
// have one.
func writeRows(w io.Writer, rows []row) {
	area := len(rows) > 0 && rows[0].Area != ""
	if area {
		fmt.Fprintf(w, "| area | measure | measured | target | ratio | met |\n|---|---|---:|---:|---:|---|\n")
	} else {
		fmt.Fprintf(w, "| measure | measured | target | ratio | met |\n|---|---:|---:|---:|---|\n")
	}
	for _, r := range rows {
		if area {
			fmt.Fprintf(w, "| %s ", r.Area)
		}
		if r.Target == "" {
			fmt.Fprintf(w, "| %s | %s | (none) | | |\n", r.Measure, r.Measured)
			continue
		}
		fmt.Fprintf(w, "| %s | %s | %s | %.2f | %s |\n", r.Measure, r.Measured, r.Target, r.Ratio, yes(r.Met))
	}
	fmt.Fprintln(w)
	if area {
		return // the summary: each section explains its own
	}
	// One paragraph per explanation, naming every row it explains.
	var gaps []string
	measures := map[string][]string{}
	for _, r := range rows {
		if r.Target != "" && !r.Met && r.Gap != "" {
			if measures[r.Gap] == nil {
				gaps = append(gaps, r.Gap)
			}
			measures[r.Gap] = append(measures[r.Gap], r.Measure)
		}
	}
	for _, g := range gaps {
		fmt.Fprintf(w, "- **%s: not met.** %s\n", strings.Join(measures[g], "; "), g)
	}
	if len(gaps) > 0 {
		fmt.Fprintln(w)
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.3f ms", float64(d)/float64(time.Millisecond)) }

func ratio(a, b time.Duration) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func mb(b int64) string {
	if b < 0 {
		return "n/a on this OS"
	}
	return fmt.Sprintf("%.1f MB", float64(b)/1e6)
}

// progress returns a printf that writes a line to w, or nothing when w is
// nil: a benchmark's progress lines.
func progress(w io.Writer) func(format string, args ...any) {
	return func(format string, args ...any) {
		if w != nil {
			fmt.Fprintf(w, format+"\n", args...)
		}
	}
}

// theseCores names this machine's cores, as the prose explaining a gap
// says them: "these 2 cores", "this one core".
func theseCores() string {
	if n := runtime.NumCPU(); n != 1 {
		return fmt.Sprintf("these %d cores", n)
	}
	return "this one core"
}

// Title starts BENCHMARKS.md.
func Title(w io.Writer) {
	fmt.Fprintln(w, "# Lumbung benchmarks")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Figures from one run on one machine; ratios compare against a baseline measured in the same run,")
	fmt.Fprintln(w, "because these machines are shared and noisy. Regenerate with `make bench`.")
	fmt.Fprintln(w)
}

// header starts a report's Markdown section: its title, then the
// command, the machine and the day, then rest of the first line.
func header(w io.Writer, title, cmdline, rest string) {
	fmt.Fprintf(w, "## %s\n\nCommand: `%s` on %d cores, %s, %s/%s%s\n", title, cmdline,
		runtime.NumCPU(), time.Now().UTC().Format("2006-01-02"), runtime.GOOS, runtime.GOARCH, rest)
}

func yes(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}
