package sample

import (
	"reflect"
	"strings"
	"testing"

	"github.com/lumbung/lumbung/schema"
)

// TestComplaintsAreValid: every generated complaint passes the checks a
// node runs on intake, and the same seed gives the same complaints.
func TestComplaintsAreValid(t *testing.T) {
	a, b := New(7), New(7)
	for i := 0; i < 2000; i++ {
		c := a.Complaint("32.14.02.2001")
		if strings.Contains(c.Description, "%!") {
			t.Fatalf("complaint %d: a template went wrong: %s", i, c.Description)
		}
		if err := c.Validate(nil); err != nil {
			t.Fatalf("complaint %d: %v\n%+v", i, err, c)
		}
		if d := b.Complaint("32.14.02.2001"); d.Title != c.Title || !reflect.DeepEqual(d.Reporter, c.Reporter) {
			t.Fatalf("complaint %d differs for the same seed", i)
		}
	}
	for _, s := range []schema.Status{"received", "verified", "forwarded"} {
		act, ok := a.Action(s)
		if !ok || act.Validate() != nil {
			t.Fatalf("action for %s: %v %v", s, ok, act.Validate())
		}
	}
}
