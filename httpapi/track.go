package httpapi

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/schema"
)

// Tracking is what a citizen reads of their complaint by its tracking
// number (GET /api/v1/public/track/{id}): where it stands and the answers
// the officers gave them, nothing of the reporter, of what was reported,
// or of the officers' internal notes. A confidential complaint is tracked
// the same way: it says nothing the number does not already give away.
type Tracking struct {
	ID        string         `json:"id"`
	Status    schema.Status  `json:"status"`
	Label     string         `json:"status_label"`
	CreatedAt string         `json:"created_at"`
	UpdatedAt string         `json:"updated_at"`
	Answers   []TrackingStep `json:"answers"`
}

// TrackingStep is one step of the handling a citizen sees: the status it
// reached and, for an answer (respond, resolve) or a refusal (reject),
// the words written to the citizen.
type TrackingStep struct {
	At     string        `json:"at"`
	Status schema.Status `json:"status"`
	Answer string        `json:"answer,omitempty"`
}

// trackingOf is the citizen's view of c.
func trackingOf(c *schema.Complaint) *Tracking {
	t := &Tracking{ID: c.ID, Status: c.Status, Label: c.Status.Label(), CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
		Answers: []TrackingStep{}}
	for _, a := range c.Actions {
		if a.Superseded != "" || a.NotUnderstood {
			continue
		}
		step := TrackingStep{At: a.At, Status: a.To}
		switch a.Action {
		case schema.ActRespond, schema.ActResolve:
			step.Answer = a.Note
		case schema.ActReject:
			step.Answer = a.Reason
		}
		t.Answers = append(t.Answers, step)
	}
	return t
}

// Tracking numbers run in sequence at each desa, so anyone holding one
// can guess the next: lookups are bounded per address.
const (
	trackLimit  = 20
	trackWindow = 10 * time.Minute
)

func (a *api) track(w http.ResponseWriter, r *http.Request) {
	if wait, ok := a.gate.lookups.allow(clientAddr(r), time.Now()); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		locale.WriteError(w, r, newError(http.StatusTooManyRequests, "too_many_lookups", msgTooManyLookups,
			int(wait.Minutes())+1))
		return
	}
	id, ok := a.complaintID(w, r)
	if !ok {
		return
	}
	c, err := a.st.Complaint(id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	locale.WriteJSON(w, http.StatusOK, trackingOf(c))
}

// window bounds how often one key (an address, an officer) may do a
// thing: at most limit times in each period, counted from its first
// time in the period. It is safe for concurrent use.
type window struct {
	limit  int
	period time.Duration
	mu     sync.Mutex
	seen   map[string]*windowCount
}

type windowCount struct {
	start time.Time
	n     int
}

func newWindow(limit int, period time.Duration) *window {
	return &window{limit: limit, period: period, seen: map[string]*windowCount{}}
}

// allow counts one more for key at now and says whether it is within the
// limit; if not, how long until the key's period ends.
func (w *window) allow(key string, now time.Time) (time.Duration, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.seen) > 10000 { // many addresses: forget the periods that ended
		for k, c := range w.seen {
			if now.Sub(c.start) >= w.period {
				delete(w.seen, k)
			}
		}
	}
	c := w.seen[key]
	if c == nil || now.Sub(c.start) >= w.period {
		c = &windowCount{start: now}
		w.seen[key] = c
	}
	if c.n >= w.limit {
		return c.start.Add(w.period).Sub(now), false
	}
	c.n++
	return 0, true
}
