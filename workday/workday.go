// Package workday counts working days as Indonesian public offices do:
// Monday to Friday, less the national holidays and collective leave days
// (cuti bersama) of a configurable list, in Western Indonesia Time.
//
// It is pure: a Calendar is built from its holiday list and answers from
// that alone.
package workday

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// WIB is Western Indonesia Time (UTC+7), where the working day of a
// Calendar begins and ends by default. A fixed zone: Indonesia keeps no
// summer time, and no time zone database is needed.
var WIB = time.FixedZone("WIB", 7*3600)

// ErrHolidayList means a holiday list could not be read; the error names
// the line.
var ErrHolidayList = errors.New("workday: bad holiday list")

// Holiday is one day off.
type Holiday struct {
	Date string // YYYY-MM-DD
	Name string
}

// Calendar tells working days from days off.
type Calendar struct {
	loc      *time.Location
	holidays map[string]string // YYYY-MM-DD -> name
}

// New returns a calendar in loc (nil: WIB) with the given holidays. A
// holiday that falls on a weekend changes nothing.
func New(loc *time.Location, holidays []Holiday) *Calendar {
	if loc == nil {
		loc = WIB
	}
	c := &Calendar{loc: loc, holidays: map[string]string{}}
	for _, h := range holidays {
		c.holidays[h.Date] = h.Name
	}
	return c
}

// ParseHolidays reads a holiday list as lines "YYYY-MM-DD,name" (the name
// may be empty); blank lines and lines starting with # are skipped. It
// reads all or nothing.
func ParseHolidays(r io.Reader) ([]Holiday, error) {
	var out []Holiday
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		date, name, _ := strings.Cut(text, ",")
		date = strings.TrimSpace(date)
		if _, err := time.Parse(time.DateOnly, date); err != nil {
			return nil, fmt.Errorf("%w: line %d: date %q is not YYYY-MM-DD", ErrHolidayList, line, date)
		}
		out = append(out, Holiday{Date: date, Name: strings.TrimSpace(name)})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrHolidayList, err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	return out, nil
}

// IsWorkday reports whether the day t falls on (in the calendar's zone)
// is a working day.
func (c *Calendar) IsWorkday(t time.Time) bool {
	t = t.In(c.loc)
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	_, off := c.holidays[t.Format(time.DateOnly)]
	return !off
}

// Holiday returns the name of the holiday on t's day, if it is one.
func (c *Calendar) Holiday(t time.Time) (string, bool) {
	name, ok := c.holidays[t.In(c.loc).Format(time.DateOnly)]
	return name, ok
}

// midnight returns the start of t's day in the calendar's zone.
func (c *Calendar) midnight(t time.Time) time.Time {
	t = t.In(c.loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, c.loc)
}

// Due returns the deadline of a step that must be taken within n working
// days of t: the end of the n-th working day after t's day (the day
// itself does not count, as a letter received today is answered from
// tomorrow). The result is exclusive: the step is on time if taken before
// it. With n = 0 it is the end of t's day.
func (c *Calendar) Due(t time.Time, n int) time.Time {
	d := c.midnight(t)
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if c.IsWorkday(d) {
			n--
		}
	}
	return d.AddDate(0, 0, 1)
}

// Between counts the working days after a's day up to and including b's
// day: how many working days have passed since a at b. It is 0 when b is
// on a's day or before it.
func (c *Calendar) Between(a, b time.Time) int {
	n := 0
	end := c.midnight(b)
	for d := c.midnight(a).AddDate(0, 0, 1); !d.After(end); d = d.AddDate(0, 0, 1) {
		if c.IsWorkday(d) {
			n++
		}
	}
	return n
}

// WITA and WIT are Central and Eastern Indonesia Time.
var (
	WITA = time.FixedZone("WITA", 8*3600)
	WIT  = time.FixedZone("WIT", 9*3600)
)

// ZoneOf is the time zone of the province whose two-digit Kemendagri
// code starts region (a code of any level): Bali, Nusa Tenggara, South,
// East and North Kalimantan and Sulawesi keep WITA; Maluku and Papua
// WIT; the rest WIB.
func ZoneOf(region string) *time.Location {
	if len(region) < 2 {
		return WIB
	}
	switch p := region[:2]; {
	case p == "51" || p == "52" || p == "53" || p == "63" || p == "64" || p == "65" || p[0] == '7':
		return WITA
	case p[0] == '8' || p[0] == '9':
		return WIT
	}
	return WIB
}
