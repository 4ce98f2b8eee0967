package workday

import (
	_ "embed"
	"strings"
)

// holidays2026 is the national holidays and collective leave of 2026 as
// set by the joint decree of three ministers (SKB 3 Menteri) for 2026, as
// far as we hold it. An office should load the decree it works under with
// its node's holiday list (holidays.csv in the data directory); moving
// religious holidays can shift by a day after the isbat session.
//
//go:embed holidays_2026.csv
var holidays2026 string

// Default returns the built-in holiday list.
func Default() []Holiday {
	h, err := ParseHolidays(strings.NewReader(holidays2026))
	if err != nil {
		panic("workday: built-in holiday list: " + err.Error())
	}
	return h
}
