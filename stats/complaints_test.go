package stats

import (
	"testing"
	"time"

	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/workday"
)

func wib(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, workday.WIB)
	if err != nil {
		panic(err)
	}
	return t
}

// complaint received at created, then taken through steps "status@time".
func complaint(id, created string, cat schema.Category, steps ...string) *schema.Complaint {
	c := &schema.Complaint{ID: id, Region: "32.14.02.2001", Category: cat, Channel: "walk_in",
		Status: schema.StatusReceived, CreatedWall: wib(created).UnixMilli()}
	for _, s := range steps {
		to, at := s[:len(s)-17], s[len(s)-16:]
		c.Actions = append(c.Actions, schema.ActionRecord{To: schema.Status(to), At: wib(at).UTC().Format(time.RFC3339)})
		c.Status = schema.Status(to)
	}
	return c
}

// TestComplaintLimits: the LAPOR limits in working days, with a holiday
// (Independence Day, Monday 17 August 2026) in the way.
func TestComplaintLimits(t *testing.T) {
	cal := workday.New(nil, []workday.Holiday{{Date: "2026-08-17", Name: "Kemerdekaan"}})
	now := wib("2026-09-15 12:00")
	cs := []*schema.Complaint{
		// Received Friday 14 Aug: forward due by end of Thu 20 Aug (17th off).
		complaint("A", "2026-08-14 09:00", "infrastruktur",
			"verified@2026-08-18 10:00", "forwarded@2026-08-20 16:00", // on time
			"in_progress@2026-08-28 09:00", // follow-up due end of Thu 27 Aug: late
			"resolved@2026-09-04 10:00"),   // closed within 10 working days: on time
		complaint("B", "2026-08-14 09:00", "kesehatan", "verified@2026-08-19 10:00", "forwarded@2026-08-21 08:00"), // forward late; follow-up overdue
		complaint("C", "2026-09-14 09:00", "kesehatan"),                                                            // forward pending
		complaint("D", "2026-08-03 09:00", "lainnya"),                                                              // forward overdue, oldest
		complaint("E", "2026-08-03 09:00", "lainnya", "on_hold@2026-08-04 09:00"),                                  // waits for the reporter
		complaint("F", "2026-08-03 09:00", "lainnya", "rejected@2026-08-04 09:00"),                                 // handled in time, no more steps
		complaint("G", "2026-08-03 09:00", "infrastruktur", "verified@2026-08-03 10:00", "forwarded@2026-08-03 11:00",
			"in_progress@2026-08-04 09:00"), // answered, never closed: close overdue
	}
	cs[2].Region = "32.14.05.2003" // C, at another kecamatan
	r := Complaints(cal, LAPOR, now, "32.14", cs)
	want := map[string]Compliance{
		StepForward:  {OnTime: 3, Late: 1, Overdue: 1, Pending: 2},
		StepFollowUp: {OnTime: 1, Late: 1, Overdue: 1},
		StepClose:    {OnTime: 1, Overdue: 1},
	}
	for step, w := range want {
		got := *r.Compliance[step]
		got.Rate = 0
		if got != w {
			t.Errorf("%s: %+v, want %+v", step, got, w)
		}
	}
	if got := r.Compliance[StepForward].Rate; got != 0.6 {
		t.Errorf("forward rate %v, want 0.6", got)
	}
	if r.Total != 7 || r.ByCategory["lainnya"] != 3 || r.ByStatus[schema.StatusReceived] != 2 || r.ByChannel["walk_in"] != 7 {
		t.Errorf("counts: %d %v %v %v", r.Total, r.ByCategory, r.ByStatus, r.ByChannel)
	}
	// By kecamatan: every step counted once, at the complaint's own.
	if b := r.ByRegion["32.14.02"]; b == nil || *b != (Below{Total: 6, Compliance: Compliance{OnTime: 5, Late: 2, Overdue: 3, Pending: 1, Rate: 0.5}}) {
		t.Errorf("kecamatan 32.14.02: %+v", b)
	}
	if b := r.ByRegion["32.14.05"]; b == nil || *b != (Below{Total: 1, Compliance: Compliance{Pending: 1, Rate: -1}}) || len(r.ByRegion) != 2 {
		t.Errorf("kecamatan 32.14.05: %+v (of %d)", b, len(r.ByRegion))
	}
	var order []string
	for _, o := range r.Overdue {
		order = append(order, o.ID+"/"+o.Step)
	}
	// Oldest deadline first: D's forward (6 Aug), G's close (19 Aug), B's follow-up (29 Aug).
	if len(order) != 3 || order[0] != "D/forward" || order[1] != "G/close" || order[2] != "B/follow_up" {
		t.Fatalf("overdue list %v", order)
	}
	if d := r.Overdue[0]; d.Due != "2026-08-06T17:00:00Z" || d.DaysLate != 27 {
		t.Fatalf("D: due %s, %d working days late", d.Due, d.DaysLate)
	}
}

// TestReopenRestartsCloseClock: a reporter who objects reopens the
// complaint, and the closing limit runs again from the next answer.
func TestReopenRestartsCloseClock(t *testing.T) {
	cal := workday.New(nil, nil)
	c := complaint("R", "2026-06-01 09:00", "lingkungan", "verified@2026-06-01 10:00", "forwarded@2026-06-01 11:00",
		"in_progress@2026-06-02 09:00", "resolved@2026-06-03 09:00", "reopened@2026-06-04 09:00",
		"in_progress@2026-06-08 09:00")
	r := Complaints(cal, LAPOR, wib("2026-06-19 12:00"), "32.14", []*schema.Complaint{c})
	if got := *r.Compliance[StepClose]; got.OnTime != 1 || got.Pending != 1 || got.Overdue != 0 {
		t.Fatalf("close %+v: want the first closing on time and the second pending until 23 June", got)
	}
	r = Complaints(cal, LAPOR, wib("2026-06-23 00:01"), "32.14", []*schema.Complaint{c})
	if got := *r.Compliance[StepClose]; got.Overdue != 1 {
		t.Fatalf("close %+v: want overdue after 10 working days from 8 June", got)
	}
}

// Next names the first deadline still open: forwarding for a new
// complaint, none for a rejected one.
func TestNext(t *testing.T) {
	cal := workday.New(workday.WIB, nil)
	c := &schema.Complaint{Status: schema.StatusReceived, CreatedWall: time.Date(2026, 11, 30, 9, 0, 0, 0, workday.WIB).UnixMilli()}
	name, due, ok := Next(cal, LAPOR, c)
	if !ok || name != StepForward || due.Add(-time.Nanosecond).Weekday() != time.Thursday {
		t.Fatalf("a new complaint: %s %s %v, want forward due by the end of Thursday", name, due, ok)
	}
	c.Status = schema.StatusRejected
	if _, _, ok := Next(cal, LAPOR, c); ok {
		t.Fatal("a rejected complaint has a deadline")
	}
}
