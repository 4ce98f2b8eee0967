package monografi

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/lumbung/lumbung/schema"
)

// Period is what a monografi is filed for: a semester ("2026-S1" for
// January–June, "2026-S2" for July–December) or a whole year ("2026").
type Period string

// The years a period may name.
const (
	MinYear = 2000
	MaxYear = 2100
)

// ParsePeriod checks s and returns it as a Period. Errors wrap
// schema.ErrInvalid.
func ParsePeriod(s string) (Period, error) {
	year, sem, found := strings.Cut(s, "-")
	if len(year) != 4 || !allDigits(year) || (found && sem != "S1" && sem != "S2") {
		return "", fmt.Errorf("%w: period %q: want a year (2026) or a semester (2026-S1, 2026-S2)", schema.ErrInvalid, s)
	}
	if y, _ := strconv.Atoi(year); y < MinYear || y > MaxYear {
		return "", fmt.Errorf("%w: period %q: year must be %d to %d", schema.ErrInvalid, s, MinYear, MaxYear)
	}
	return Period(s), nil
}

// Year returns the year p falls in.
func (p Period) Year() int {
	y, _ := strconv.Atoi(string(p[:min(4, len(p))]))
	return y
}

// Semester returns 1 or 2 for a semester, and 0 for a whole year.
func (p Period) Semester() int {
	switch {
	case strings.HasSuffix(string(p), "-S1"):
		return 1
	case strings.HasSuffix(string(p), "-S2"):
		return 2
	}
	return 0
}

// entityPrefix starts the entity key of every monografi document.
const entityPrefix = "monografi/"

// Entity returns the entity key of a region's monografi for a period:
// "monografi/<region>/<period>".
func Entity(region schema.Code, p Period) string {
	return entityPrefix + string(region) + "/" + string(p)
}

// ParseEntity splits a monografi entity key into its region and period.
// Errors wrap schema.ErrInvalid.
func ParseEntity(entity string) (schema.Code, Period, error) {
	rest, ok := strings.CutPrefix(entity, entityPrefix)
	region, period, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 {
		return "", "", fmt.Errorf("%w: entity %q is not monografi/<region>/<period>", schema.ErrInvalid, entity)
	}
	code, err := schema.ParseCode(region)
	if err != nil {
		return "", "", fmt.Errorf("entity %q: %w", entity, err)
	}
	p, err := ParsePeriod(period)
	if err != nil {
		return "", "", fmt.Errorf("entity %q: %w", entity, err)
	}
	return code, p, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
