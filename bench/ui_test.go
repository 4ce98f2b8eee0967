package bench

import (
	"strings"
	"testing"
)

// TestUI runs the screens' measurement small: every page answers, and
// the report prints.
func TestUI(t *testing.T) {
	rep, err := UI(UIConfig{Complaints: 30, Requests: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Sizes) < 8 || rep.ListP99 <= 0 || rep.QueueP99 <= 0 {
		t.Fatalf("report: %+v", rep)
	}
	for _, s := range rep.Sizes {
		if s.Page <= 0 || s.FirstLoad <= s.Page {
			t.Errorf("%s: %d, first load %d", s.Name, s.Page, s.FirstLoad)
		}
	}
	var b strings.Builder
	WriteUI(&b, rep, "lumbung bench ui --complaints 30")
	if !strings.Contains(b.String(), "triage queue") {
		t.Fatalf("report:\n%s", b.String())
	}
}
