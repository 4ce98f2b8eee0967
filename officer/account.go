package officer

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/lumbung/lumbung/schema"
)

// Account is an officer of one node's office. A desa laptop keeps its
// own; a kecamatan or kabupaten cluster keeps its accounts as cluster
// state, so an officer logs in at any member.
type Account struct {
	// Name is the login: 3 to 32 of a–z, 0–9, '.', '_' and '-', starting
	// with a letter (NameRule). It never changes.
	Name string `json:"name"`
	// FullName is the officer's name as the screens and the history show
	// it.
	FullName string `json:"full_name"`
	Role     Role   `json:"role"`
	// Region is the region of the node that holds the account: the
	// officer acts there and below, nowhere else.
	Region schema.Code `json:"region"`
	// Hash is the argon2id hash of the password (Hash); never shown.
	Hash string `json:"hash"`
	// MustChange is set on a one-time password: until it is changed the
	// officer may do nothing but change it.
	MustChange bool `json:"must_change,omitempty"`
	Disabled   bool `json:"disabled,omitempty"`
	// Gen moves on at every change of password, role or state: a session
	// made under an older Gen is void.
	Gen uint64 `json:"gen"`
	// Created and Changed are Unix milliseconds.
	Created int64 `json:"created"`
	Changed int64 `json:"changed"`
	// KeyWrap is the office's identity key wrapped under the officer's
	// password (package seal): logging in unlocks the office's
	// reporters. Never shown.
	KeyWrap []byte `json:"key_wrap,omitempty"`
}

// Public is an account as an admin sees it: without its hash.
type Public struct {
	Name       string      `json:"name"`
	FullName   string      `json:"full_name"`
	Role       Role        `json:"role"`
	Region     schema.Code `json:"region"`
	MustChange bool        `json:"must_change,omitempty"`
	Disabled   bool        `json:"disabled,omitempty"`
	Created    int64       `json:"created"`
	Changed    int64       `json:"changed"`
}

// Public returns a without its hash.
func (a *Account) Public() Public {
	return Public{Name: a.Name, FullName: a.FullName, Role: a.Role, Region: a.Region, MustChange: a.MustChange,
		Disabled: a.Disabled, Created: a.Created, Changed: a.Changed}
}

var nameRule = regexp.MustCompile(`^[a-z][a-z0-9._-]{2,31}$`)

// MaxFullName bounds an officer's full name, in characters.
const MaxFullName = 80

// CheckName says why name cannot be a login, in the officer's words.
func CheckName(name string) error {
	if !nameRule.MatchString(name) {
		return &Error{Err: ErrInvalid, Field: "name", Msg: msgName.Text()}
	}
	return nil
}

// CheckFullName says why a full name cannot be shown, or nil.
func CheckFullName(s string) error {
	switch {
	case strings.TrimSpace(s) == "":
		return &Error{Err: ErrInvalid, Field: "full_name", Msg: msgFullNameEmpty.Text()}
	case !utf8.ValidString(s) || strings.ContainsFunc(s, isControl):
		return &Error{Err: ErrInvalid, Field: "full_name", Msg: msgFullNameChars.Text()}
	case utf8.RuneCountInString(s) > MaxFullName:
		return &Error{Err: ErrInvalid, Field: "full_name", Msg: msgFullNameLong.Text(MaxFullName)}
	}
	return nil
}

// Check checks everything an account holds but its hash.
func (a *Account) Check() error {
	if err := CheckName(a.Name); err != nil {
		return err
	}
	if err := CheckFullName(a.FullName); err != nil {
		return err
	}
	if !a.Role.Valid() {
		return &Error{Err: ErrInvalid, Field: "role", Msg: msgRole.Text(a.Role)}
	}
	if !a.Region.Valid() {
		return fmt.Errorf("%w: region %q", ErrInvalid, a.Region)
	}
	return nil
}

// MayIn says whether a may take action act on data of region r: the role
// allows it and r lies in the account's region.
func (a *Account) MayIn(act Action, r schema.Code) bool {
	return !a.Disabled && a.Role.May(act) && a.Region.Contains(r)
}
