package schema_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/lumbung/lumbung/schema"
)

// machine is the status machine written out by hand: for each status, the
// actions allowed and where each leads. Anything not listed is refused.
var machine = map[schema.Status]map[schema.Action]schema.Status{
	"received":    {"verify": "verified", "hold": "on_hold", "reject": "rejected"},
	"verified":    {"forward": "forwarded", "hold": "on_hold", "reject": "rejected"},
	"forwarded":   {"hold": "on_hold", "respond": "in_progress", "reject": "rejected"},
	"in_progress": {"hold": "on_hold", "respond": "in_progress", "resolve": "resolved"},
	"on_hold":     {"verify": "verified", "forward": "forwarded", "respond": "in_progress", "reject": "rejected"},
	"resolved":    {"reopen": "reopened", "archive": "archived"},
	"rejected":    {"reopen": "reopened", "archive": "archived"},
	"reopened":    {"forward": "forwarded", "hold": "on_hold", "respond": "in_progress", "reject": "rejected"},
	"archived":    {},
}

func TestNextEveryPair(t *testing.T) {
	if len(machine) != len(schema.Statuses) {
		t.Fatalf("the table has %d statuses, schema.Statuses %d", len(machine), len(schema.Statuses))
	}
	for _, s := range schema.Statuses {
		row, ok := machine[s]
		if !ok {
			t.Fatalf("status %q is missing from the table", s)
		}
		for _, a := range schema.Actions {
			want, allowed := row[a]
			got, err := schema.Next(s, a)
			switch {
			case allowed && (err != nil || got != want):
				t.Errorf("Next(%s, %s) = %s, %v; want %s", s, a, got, err, want)
			case !allowed:
				checkRefused(t, s, a, got, err)
			}
		}
	}
}

// checkRefused checks the error Next gives for an action it must refuse.
func checkRefused(t *testing.T, s schema.Status, a schema.Action, got schema.Status, err error) {
	t.Helper()
	var te *schema.TransitionError
	if !errors.As(err, &te) || !errors.Is(err, schema.ErrTransition) {
		t.Errorf("Next(%s, %s) = %s, %v; want a *TransitionError", s, a, got, err)
		return
	}
	if got != s || te.Status != s || te.Action != a {
		t.Errorf("Next(%s, %s) refused with status %s, error %+v", s, a, got, te)
	}
	if !strings.Contains(te.Msg.EN, string(a)) || te.Msg.ID == "" || strings.Contains(te.Msg.ID, "''") {
		t.Errorf("Next(%s, %s) messages %+v do not name the action", s, a, te.Msg)
	}
}

func TestAllowed(t *testing.T) {
	for _, s := range schema.Statuses {
		var want []schema.Action
		for _, a := range schema.Actions { // Allowed keeps the order of Actions
			if _, ok := machine[s][a]; ok {
				want = append(want, a)
			}
		}
		if got := schema.Allowed(s); !slices.Equal(got, want) {
			t.Errorf("Allowed(%s) = %v, want %v", s, got, want)
		}
	}
	if got := schema.Allowed("lost"); len(got) != 0 {
		t.Errorf("Allowed(unknown status) = %v", got)
	}
}

func TestNextUnknown(t *testing.T) {
	if _, err := schema.Next("lost", schema.ActVerify); !errors.Is(err, schema.ErrTransition) || !strings.Contains(err.Error(), "lost") {
		t.Errorf("Next(unknown status) = %v", err)
	}
	_, err := schema.Next(schema.StatusReceived, "escalate")
	var te *schema.TransitionError
	if !errors.As(err, &te) || !strings.Contains(te.Msg.ID, "'escalate'") || !strings.Contains(te.Msg.EN, "'escalate'") {
		t.Errorf("Next(received, escalate) = %v, want the action named in both languages", err)
	}
}

// TestStatusesReachable walks the machine from received: every status can
// be reached, and archived is the only one with no way out.
func TestStatusesReachable(t *testing.T) {
	seen := map[schema.Status]bool{schema.StatusReceived: true}
	queue := []schema.Status{schema.StatusReceived}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for _, a := range schema.Allowed(s) {
			if next, _ := schema.Next(s, a); !seen[next] {
				seen[next] = true
				queue = append(queue, next)
			}
		}
	}
	for _, s := range schema.Statuses {
		if !seen[s] {
			t.Errorf("status %s cannot be reached from received", s)
		}
		if terminal := len(schema.Allowed(s)) == 0; terminal != (s == schema.StatusArchived) {
			t.Errorf("status %s: terminal=%v", s, terminal)
		}
		if s.Label() == "" {
			t.Errorf("status %s has no Indonesian label", s)
		}
	}
}
