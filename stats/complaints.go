// Package stats computes the complaint statistics a kabupaten follows:
// counts per status, category and channel, and compliance with the time
// limits of SP4N-LAPOR! counted in working days (package workday), with
// the list of overdue complaints, oldest first.
//
// It is pure: it reads the complaints, the calendar and "now" it is given.
package stats

import (
	"sort"
	"time"

	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/workday"
)

// Limits are the time limits, in working days.
type Limits struct {
	// Forward: verified and forwarded (or rejected) after receipt.
	Forward int `json:"forward"`
	// FollowUp: first follow-up (a response) after forwarding.
	FollowUp int `json:"follow_up"`
	// Close: closed after the answer, unless the reporter objects
	// (reopens); a reopened complaint's clock restarts at its next answer.
	Close int `json:"close"`
}

// LAPOR are the limits of SP4N-LAPOR!: 3, 5 and 10 working days.
var LAPOR = Limits{Forward: 3, FollowUp: 5, Close: 10}

// The steps whose time limits are followed.
const (
	StepForward  = "forward"
	StepFollowUp = "follow_up"
	StepClose    = "close"
)

// Compliance counts one step over the complaints for which it was due:
// OnTime and Late were taken; Overdue were not, past their deadline;
// Pending were not, and still have time. Rate is OnTime over those that
// were taken or are overdue, or -1 when there are none.
type Compliance struct {
	OnTime  int     `json:"on_time"`
	Late    int     `json:"late"`
	Overdue int     `json:"overdue"`
	Pending int     `json:"pending"`
	Rate    float64 `json:"rate"`
}

// Below is one region directly below the report's (a kecamatan of a
// kabupaten, a desa of a kecamatan): its complaints, and its time limits
// over every step, counted as Compliance counts one.
type Below struct {
	Total int `json:"total"`
	Compliance
}

// Overdue is a complaint past a deadline with its step not taken.
type Overdue struct {
	ID       string          `json:"id"`
	Region   schema.Code     `json:"region"`
	Category schema.Category `json:"category"`
	Status   schema.Status   `json:"status"`
	Step     string          `json:"step"`
	Due      string          `json:"due"` // RFC 3339, the first late instant
	// DaysLate counts the working days since the deadline passed.
	DaysLate int `json:"days_late"`
}

// Report is the statistics of the complaints of a region received in a
// time range.
type Report struct {
	Region     schema.Code             `json:"region"`
	From       string                  `json:"from,omitempty"`
	To         string                  `json:"to,omitempty"`
	AsOf       string                  `json:"as_of"`
	Total      int                     `json:"total"`
	ByStatus   map[schema.Status]int   `json:"by_status"`
	ByCategory map[schema.Category]int `json:"by_category"`
	ByChannel  map[schema.Channel]int  `json:"by_channel"`
	// ByRegion is by region directly below the report's.
	ByRegion   map[schema.Code]*Below `json:"by_region"`
	Limits     Limits                 `json:"limits"`
	Compliance map[string]*Compliance `json:"compliance"`
	Overdue    []Overdue              `json:"overdue"`
}

// Complaints computes the report of cs as of now. Complaints in on_hold
// wait for their reporter and are never counted overdue; rejected and
// archived ones have no later step due.
func Complaints(cal *workday.Calendar, lim Limits, now time.Time, region schema.Code, cs []*schema.Complaint) *Report {
	r := &Report{Region: region, AsOf: now.UTC().Format(time.RFC3339), Limits: lim,
		ByStatus: map[schema.Status]int{}, ByCategory: map[schema.Category]int{}, ByChannel: map[schema.Channel]int{},
		ByRegion:   map[schema.Code]*Below{},
		Compliance: map[string]*Compliance{StepForward: {}, StepFollowUp: {}, StepClose: {}}, Overdue: []Overdue{}}
	for _, c := range cs {
		r.Total++
		r.ByStatus[c.Status]++
		r.ByCategory[c.Category]++
		r.ByChannel[c.Channel]++
		b := r.ByRegion[below(region, c.Region)]
		if b == nil {
			b = &Below{}
			r.ByRegion[below(region, c.Region)] = b
		}
		b.Total++
		for _, s := range steps(cal, lim, c) {
			r.count(cal, now, c, s, &b.Compliance)
		}
	}
	for _, cp := range r.Compliance {
		cp.rate()
	}
	for _, b := range r.ByRegion {
		b.rate()
	}
	sort.Slice(r.Overdue, func(i, j int) bool {
		a, b := r.Overdue[i], r.Overdue[j]
		if a.Due != b.Due {
			return a.Due < b.Due
		}
		return a.ID < b.ID
	})
	return r
}

// step is one time limit of one complaint: when it was due, and when it
// was taken (zero: not yet).
type step struct {
	name  string
	due   time.Time
	taken time.Time
}

// below is the region directly below region that holds c, or c itself
// when it is not below region.
func below(region, c schema.Code) schema.Code {
	for p := c; p != "" && p.Valid(); p = p.Parent() {
		if p.Parent() == region {
			return p
		}
	}
	return c
}

// rate sets Rate: OnTime over those taken or overdue, or -1 for none.
func (cp *Compliance) rate() {
	cp.Rate = -1
	if n := cp.OnTime + cp.Late + cp.Overdue; n > 0 {
		cp.Rate = float64(cp.OnTime) / float64(n)
	}
}

// count counts step s of c into its step's compliance and into also (its
// region's).
func (r *Report) count(cal *workday.Calendar, now time.Time, c *schema.Complaint, s step, also *Compliance) {
	cp := r.Compliance[s.name]
	switch {
	case !s.taken.IsZero() && s.taken.Before(s.due):
		cp.OnTime++
		also.OnTime++
	case !s.taken.IsZero():
		cp.Late++
		also.Late++
	case now.Before(s.due) || c.Status == schema.StatusOnHold:
		cp.Pending++
		also.Pending++
	default:
		cp.Overdue++
		also.Overdue++
		r.Overdue = append(r.Overdue, Overdue{ID: c.ID, Region: c.Region, Category: c.Category, Status: c.Status,
			Step: s.name, Due: s.due.UTC().Format(time.RFC3339), DaysLate: cal.Between(s.due.Add(-time.Nanosecond), now)})
	}
}

// steps reads a complaint's history, in fold order, into its time limits.
func steps(cal *workday.Calendar, lim Limits, c *schema.Complaint) []step {
	received := time.UnixMilli(c.CreatedWall)
	fwd := step{name: StepForward, due: cal.Due(received, lim.Forward)}
	var follow, closing *step
	var out []step
	for _, a := range c.Actions {
		if a.Superseded != "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, a.At)
		if err != nil {
			continue
		}
		switch {
		case fwd.taken.IsZero() && (a.To == schema.StatusForwarded || a.To == schema.StatusRejected):
			fwd.taken = t
			if a.To == schema.StatusForwarded {
				follow = &step{name: StepFollowUp, due: cal.Due(t, lim.FollowUp)}
			}
		case a.To == schema.StatusInProgress:
			if follow != nil && follow.taken.IsZero() {
				follow.taken = t
			}
			if closing == nil || !closing.taken.IsZero() {
				closing = &step{name: StepClose}
			}
			closing.due = cal.Due(t, lim.Close) // the latest answer sets the clock
		case closing != nil && closing.taken.IsZero() &&
			(a.To == schema.StatusResolved || a.To == schema.StatusArchived || a.To == schema.StatusRejected):
			closing.taken = t
			out = append(out, *closing)
		case a.To == schema.StatusReopened && closing != nil:
			closing = nil // the reporter objected: wait for the next answer
		}
	}
	out = append(out, fwd)
	if follow != nil {
		out = append(out, *follow)
	}
	if closing != nil && closing.taken.IsZero() {
		out = append(out, *closing)
	}
	return out
}

// Next is the first time limit of c still open: the step and its
// deadline; ok is false when none is (every step taken, or a complaint
// rejected or archived). A complaint on hold has one, but it waits.
func Next(cal *workday.Calendar, lim Limits, c *schema.Complaint) (name string, due time.Time, ok bool) {
	if c.Status == schema.StatusRejected || c.Status == schema.StatusArchived {
		return "", time.Time{}, false
	}
	for _, s := range steps(cal, lim, c) {
		if s.taken.IsZero() && (!ok || s.due.Before(due)) {
			name, due, ok = s.name, s.due, true
		}
	}
	return name, due, ok
}
