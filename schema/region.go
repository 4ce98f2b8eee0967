package schema

import (
	"fmt"
	"strings"
)

// Code is a Kemendagri region code in its dotted form: "32" (province),
// "32.14" (kabupaten/kota), "32.14.02" (kecamatan), "32.14.02.2001"
// (desa/kelurahan).
type Code string

// Level is the tier of government a code names.
type Level int

// The levels, from the top.
const (
	LevelInvalid Level = iota
	LevelProvince
	LevelKabupaten
	LevelKecamatan
	LevelDesa
)

// String names the level in English.
func (l Level) String() string {
	switch l {
	case LevelProvince:
		return "province"
	case LevelKabupaten:
		return "kabupaten"
	case LevelKecamatan:
		return "kecamatan"
	case LevelDesa:
		return "desa"
	}
	return "invalid"
}

// DesaKind tells a kelurahan (urban, NNNN starting with 1) from a desa (2)
// and a desa adat (3).
type DesaKind int

// The kinds of a level-4 code.
const (
	NotDesa DesaKind = iota
	Kelurahan
	Desa
	DesaAdat
)

// String names the kind in Indonesian, as printed on forms.
func (k DesaKind) String() string {
	return [...]string{"", "kelurahan", "desa", "desa adat"}[k]
}

var partLen = [...]int{2, 2, 2, 4}

// ParseCode checks s and returns it as a Code. It accepts the dotted form
// only, as Kemendagri publishes it.
func ParseCode(s string) (Code, error) {
	if len(s) == 0 || len(s) > 13 {
		return "", fmt.Errorf("%w: region code %q: want PP, PP.KK, PP.KK.CC or PP.KK.CC.NNNN", ErrInvalid, s)
	}
	parts := strings.Split(s, ".")
	if len(parts) > 4 {
		return "", fmt.Errorf("%w: region code %q has more than four parts", ErrInvalid, s)
	}
	for i, p := range parts {
		if len(p) != partLen[i] || !allDigits(p) {
			return "", fmt.Errorf("%w: region code %q: part %d must be %d digits", ErrInvalid, s, i+1, partLen[i])
		}
	}
	if err := checkRanges(parts); err != nil {
		return "", fmt.Errorf("%w: region code %q: %w", ErrInvalid, s, err)
	}
	return Code(s), nil
}

func checkRanges(parts []string) error {
	if atoi(parts[0]) < 11 {
		return fmt.Errorf("province must be 11 to 99")
	}
	if len(parts) > 1 {
		if k := atoi(parts[1]); k == 0 || k == 70 {
			return fmt.Errorf("kabupaten must be 01 to 69, kota 71 to 99")
		}
	}
	if len(parts) > 2 && atoi(parts[2]) == 0 {
		return fmt.Errorf("kecamatan must be 01 to 99")
	}
	if len(parts) > 3 {
		if k := parts[3][0]; k < '1' || k > '3' || atoi(parts[3][1:]) == 0 {
			return fmt.Errorf("desa must be 1xxx (kelurahan), 2xxx (desa) or 3xxx (desa adat), not ending in 000")
		}
	}
	return nil
}

// MustCode is ParseCode for constants in tests and built-in data; it
// panics on a malformed code.
func MustCode(s string) Code {
	c, err := ParseCode(s)
	if err != nil {
		panic(err)
	}
	return c
}

// Valid reports whether c is well formed.
func (c Code) Valid() bool { _, err := ParseCode(string(c)); return err == nil }

// Level returns the level c names, or LevelInvalid.
func (c Code) Level() Level {
	if !c.Valid() {
		return LevelInvalid
	}
	return Level(strings.Count(string(c), ".") + 1)
}

// Parent returns the code one level up, or "" for a province.
func (c Code) Parent() Code {
	i := strings.LastIndexByte(string(c), '.')
	if i < 0 {
		return ""
	}
	return c[:i]
}

// Contains reports whether o is c or lies below c.
func (c Code) Contains(o Code) bool {
	return o == c || strings.HasPrefix(string(o), string(c)+".")
}

// Kind tells kelurahan, desa and desa adat apart for a level-4 code.
func (c Code) Kind() DesaKind {
	if c.Level() != LevelDesa {
		return NotDesa
	}
	return DesaKind(c[len(c)-4] - '0')
}

// Compact returns the code without dots ("3214022001").
func (c Code) Compact() string { return strings.ReplaceAll(string(c), ".", "") }

// IsKota reports whether a kabupaten-level code (or one below it) is a kota.
func (c Code) IsKota() bool {
	return len(c) >= 5 && atoi(string(c[3:5])) >= 71
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
