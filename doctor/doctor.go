// Package doctor says what is wrong at an office, in plain words, with
// what to do about it: for the officer, and for whoever helps them on the
// phone. Its core is pure: Examine turns what a node measured of itself
// (Facts) into Findings, the same for the same facts, so every problem
// is tested without the problem. Package node gathers the facts; `lumbung
// doctor`, GET /api/v1/doctor and the officer screens show the findings.
package doctor

import (
	"fmt"
	"math"
	"time"

	"github.com/lumbung/lumbung/locale"
)

// Level is how much a finding asks of the officer.
type Level string

// The levels, mildest first.
const (
	OK      Level = "ok"      // nothing to do
	Warn    Level = "warn"    // works now; act before it stops
	Problem Level = "problem" // something does not work: act now
)

// Finding is one thing the doctor looked at, what it found and, unless
// it is OK, what to do about it.
type Finding struct {
	Check string      `json:"check"` // disk, clock, link, token, store, service
	Level Level       `json:"level"`
	Says  locale.Text `json:"says"`
	Fix   locale.Text `json:"fix,omitzero"`
}

// Facts are what a node measured of itself. A zero field is unknown,
// unless its Known flag says otherwise.
type Facts struct {
	Now time.Time

	// The disk holding the data directory, and the store on it.
	DiskKnown              bool
	DiskFree, DiskTotal    uint64
	StoreBytes             uint64
	GrowthPerDay           uint64 // bytes the store grew a day, on average since its first change
	StoreOpens             bool
	StoreCheckErr          string // empty: Check found the store consistent
	StoreChecked           bool
	HasUpstream            bool
	UpstreamReachable      bool
	UpstreamRoundTrip      time.Duration
	UpstreamProbeErr       string
	LastSuccess            time.Time
	LastError, LastErrorEN string
	LastErrorCode          string
	Failures               int
	RateBytesPerSecond     float64
	ClockKnown             bool
	ClockAhead             time.Duration // this node's clock ahead of the upstream's (negative: behind)
	TokenExpires           time.Time     // zero: not known here
	ServiceKnown           bool          // the platform has a service manager this binary speaks to
	ServiceInstalled       bool
	ServiceRunning         bool
	ServiceAtBoot          bool
	PendingChanges         uint64
	UpstreamURL            string
	DataDir                string
	SyncOverdueAfter       time.Duration // no success for this long is a problem (default a day)
	DiskWarnDays           float64       // fewer days of disk left than this is a warning (default 30)
	ClockTolerance         time.Duration // a clock off by more is a problem (default 2 minutes)
}

// The limits Examine applies when Facts leaves them zero.
const (
	DefaultSyncOverdue    = 24 * time.Hour
	DefaultDiskWarnDays   = 30
	DefaultClockTolerance = 2 * time.Minute
	// minFreeBytes is below any use: Pebble needs room to compact.
	minFreeBytes = 256 << 20
)

// Examine turns facts into findings, one per check, in a fixed order:
// disk, clock, link, token, store, service.
func Examine(f Facts) []Finding {
	if f.SyncOverdueAfter == 0 {
		f.SyncOverdueAfter = DefaultSyncOverdue
	}
	if f.DiskWarnDays == 0 {
		f.DiskWarnDays = DefaultDiskWarnDays
	}
	if f.ClockTolerance == 0 {
		f.ClockTolerance = DefaultClockTolerance
	}
	out := []Finding{disk(f), clock(f), link(f), token(f), store(f)}
	if f.ServiceKnown {
		out = append(out, service(f))
	}
	return out
}

// Worst is the most serious level among findings.
func Worst(fs []Finding) Level {
	worst := OK
	for _, x := range fs {
		if x.Level == Problem {
			return Problem
		}
		if x.Level == Warn {
			worst = Warn
		}
	}
	return worst
}

func disk(f Facts) Finding {
	x := Finding{Check: "disk"}
	if !f.DiskKnown {
		x.Level, x.Says = Warn, msgDiskUnknown.Text()
		return x
	}
	free := mib(f.DiskFree)
	days := -1.0
	if f.GrowthPerDay > 0 {
		days = float64(f.DiskFree) / float64(f.GrowthPerDay)
	}
	switch {
	case f.DiskFree < minFreeBytes:
		x.Level, x.Says, x.Fix = Problem, msgDiskFull.Text(free, mib(f.StoreBytes)), msgDiskFullFix.Text(f.DataDir)
	case days >= 0 && days < f.DiskWarnDays:
		x.Level, x.Says, x.Fix = Warn, msgDiskSoon.Text(free, int(days)), msgDiskFullFix.Text(f.DataDir)
	case days >= 0:
		x.Level, x.Says = OK, msgDiskOK.Text(free, mib(f.StoreBytes), lasts(days))
	default:
		x.Level, x.Says = OK, msgDiskOKNoRate.Text(free, mib(f.StoreBytes))
	}
	return x
}

// lasts says a number of days in words a person reads.
func lasts(days float64) locale.Text {
	if days > 3650 {
		return msgYearsMany.Text()
	}
	if days > 365 {
		return msgYears.Text(int(days / 365))
	}
	return msgDays.Text(int(days))
}

func clock(f Facts) Finding {
	x := Finding{Check: "clock"}
	switch {
	case !f.HasUpstream:
		x.Level, x.Says = OK, msgClockTop.Text()
	case !f.ClockKnown:
		x.Level, x.Says = Warn, msgClockUnknown.Text()
	case f.ClockAhead > f.ClockTolerance || f.ClockAhead < -f.ClockTolerance:
		x.Level, x.Fix = Problem, msgClockFix.Text()
		if f.ClockAhead > 0 {
			x.Says = msgClockAhead.Text(span(f.ClockAhead))
		} else {
			x.Says = msgClockBehind.Text(span(-f.ClockAhead))
		}
	default:
		x.Level, x.Says = OK, msgClockOK.Text(span(abs(f.ClockAhead)))
	}
	return x
}

func link(f Facts) Finding {
	x := Finding{Check: "link"}
	if !f.HasUpstream {
		x.Level, x.Says = OK, msgLinkTop.Text()
		return x
	}
	last := msgNever.Text()
	if !f.LastSuccess.IsZero() {
		last = msgAgo.Text(span(f.Now.Sub(f.LastSuccess)))
	}
	rate := msgRateUnknown.Text()
	if f.RateBytesPerSecond > 0 {
		rate = msgRate.Text(f.RateBytesPerSecond * 8 / 1000)
	}
	switch {
	case !f.UpstreamReachable:
		x.Level, x.Says, x.Fix = Problem, msgUnreachable.Text(f.UpstreamURL, f.UpstreamProbeErr, last, f.PendingChanges),
			msgUnreachableFix.Text()
	case f.LastErrorCode == "bad_token" || f.LastErrorCode == "token_expired" || f.LastErrorCode == "token_bound":
		x.Level, x.Says, x.Fix = Problem, msgRefused.Text(errorText(f)), msgTokenFix.Text()
	case f.LastSuccess.IsZero() && f.Failures > 0, !f.LastSuccess.IsZero() && f.Now.Sub(f.LastSuccess) > f.SyncOverdueAfter:
		x.Level, x.Says, x.Fix = Problem, msgStale.Text(last, errorText(f), f.PendingChanges), msgStaleFix.Text()
	case f.Failures > 0:
		x.Level, x.Says = Warn, msgFlaky.Text(span(f.UpstreamRoundTrip), last, errorText(f))
	default:
		x.Level, x.Says = OK, msgLinkOK.Text(span(f.UpstreamRoundTrip), rate, last, f.PendingChanges)
	}
	return x
}

// errorText is the last failure in both languages.
func errorText(f Facts) locale.Text {
	if f.LastError == "" {
		return msgNoError.Text()
	}
	return locale.Text{ID: f.LastError, EN: f.LastErrorEN}
}

func token(f Facts) Finding {
	x := Finding{Check: "token"}
	switch {
	case !f.HasUpstream:
		x.Level, x.Says = OK, msgTokenTop.Text()
	case f.LastErrorCode == "bad_token":
		x.Level, x.Says, x.Fix = Problem, msgTokenRevoked.Text(), msgTokenFix.Text()
	case f.LastErrorCode == "token_expired":
		x.Level, x.Says, x.Fix = Problem, msgTokenExpired.Text(), msgTokenFix.Text()
	case f.LastErrorCode == "token_bound":
		x.Level, x.Says, x.Fix = Problem, msgTokenBound.Text(), msgTokenFix.Text()
	case !f.TokenExpires.IsZero() && f.TokenExpires.Before(f.Now.Add(30*24*time.Hour)):
		x.Level, x.Says, x.Fix = Warn, msgTokenSoon.Text(f.TokenExpires.Format("2006-01-02")), msgTokenSoonFix.Text()
	case !f.TokenExpires.IsZero():
		x.Level, x.Says = OK, msgTokenOKUntil.Text(f.TokenExpires.Format("2006-01-02"))
	default:
		x.Level, x.Says = OK, msgTokenOK.Text()
	}
	return x
}

func store(f Facts) Finding {
	x := Finding{Check: "store"}
	switch {
	case !f.StoreOpens:
		x.Level, x.Says, x.Fix = Problem, msgStoreShut.Text(f.StoreCheckErr), msgStoreFix.Text()
	case f.StoreChecked && f.StoreCheckErr != "":
		x.Level, x.Says, x.Fix = Problem, msgStoreBroken.Text(f.StoreCheckErr), msgStoreFix.Text()
	case f.StoreChecked:
		x.Level, x.Says = OK, msgStoreOK.Text(mib(f.StoreBytes))
	default:
		x.Level, x.Says = OK, msgStoreOpen.Text(mib(f.StoreBytes))
	}
	return x
}

func service(f Facts) Finding {
	x := Finding{Check: "service"}
	switch {
	case !f.ServiceInstalled:
		x.Level, x.Says, x.Fix = Warn, msgServiceNone.Text(), msgServiceInstall.Text()
	case !f.ServiceRunning:
		x.Level, x.Says, x.Fix = Problem, msgServiceStopped.Text(), msgServiceStart.Text()
	case !f.ServiceAtBoot:
		x.Level, x.Says, x.Fix = Warn, msgServiceNoBoot.Text(), msgServiceInstall.Text()
	default:
		x.Level, x.Says = OK, msgServiceOK.Text()
	}
	return x
}

// mib is a size for words: MB below a GB, GB with one decimal above.
func mib(b uint64) string {
	if b >= 1<<30 {
		return fmt.Sprintf("%.1f GB", float64(b)/(1<<30))
	}
	return fmt.Sprintf("%.0f MB", float64(b)/(1<<20))
}

// span is a duration in words a person reads, rounded to its unit (a
// clock measured 71 h 59 m ahead is three days ahead).
func span(d time.Duration) locale.Text {
	round := func(x float64) int { return int(math.Round(x)) }
	switch {
	case d < time.Second:
		return msgMillis.Text(d.Milliseconds())
	case d < 2*time.Minute:
		return msgSeconds.Text(round(d.Seconds()))
	case d < 2*time.Hour:
		return msgMinutes.Text(round(d.Minutes()))
	case d < 47*time.Hour:
		return msgHours.Text(round(d.Hours()))
	}
	return msgDays.Text(round(d.Hours() / 24))
}

func abs(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
