package bench

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestProseNamesThisMachine: a section that explains a target not met
// names the cores of the machine it ran on, not those of the machine the
// prose was written on.
func TestProseNamesThisMachine(t *testing.T) {
	slow := Measure{Ops: 10, PerSecond: 10, P50: time.Millisecond, P99: time.Millisecond}
	var b bytes.Buffer
	WriteCluster(&b, &ClusterReport{Levels: []ClusterLevel{{Writers: 64, Three: slow, One: slow, Bare: slow}}},
		"lumbung bench cluster")
	WriteIntake(&b, &IntakeReport{Levels: []IntakeLevel{{Clients: 64, HTTP: slow, Bare: slow}}, IdleRSS: -1},
		"lumbung bench intake")
	out := b.String()
	want := fmt.Sprintf("these %d cores", runtime.NumCPU())
	if runtime.NumCPU() == 1 {
		want = "this one core"
	}
	if strings.Count(out, want) != 2 {
		t.Errorf("the two explanations do not name %q:\n%s", want, out)
	}
	if runtime.NumCPU() != 2 && strings.Contains(out, "2 cores") {
		t.Errorf("the prose says 2 cores on a machine of %d:\n%s", runtime.NumCPU(), out)
	}
}
