package officer

import (
	"errors"

	"github.com/lumbung/lumbung/locale"
)

// The errors of this package; match them with errors.Is.
var (
	// ErrInvalid is an account field that cannot be kept (a login name,
	// a full name, a role).
	ErrInvalid = errors.New("officer: invalid")
	// ErrWeakPassword is a password the rules refuse (CheckPassword).
	ErrWeakPassword = errors.New("officer: password refused")
	// ErrBadHash is a stored password hash this package cannot read.
	ErrBadHash = errors.New("officer: unreadable password hash")
	// ErrBadSecret is a session secret or token that is not well formed.
	ErrBadSecret = errors.New("officer: malformed secret")
	// ErrSessionEnded is a session that can no longer act: its officer
	// is gone or disabled, their password or role changed, or it is too
	// old or was idle too long.
	ErrSessionEnded = errors.New("officer: session ended")
)

// Error is a refusal with the field at fault and the officer's words.
type Error struct {
	Err   error
	Field string
	Msg   locale.Text
}

func (e *Error) Error() string { return e.Err.Error() + ": " + e.Msg.EN }

func (e *Error) Unwrap() error { return e.Err }
