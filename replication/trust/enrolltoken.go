package trust

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// EnrollToken is what `lumbung enroll` prints for a node below: the sync
// token the upstream keeps only the hash of, and, when the upstream
// serves HTTPS under its cluster's CA, that CA's Pin, so the node below
// verifies its upstream with no public CA and no step of its own.
type EnrollToken struct {
	// Secret is the sync token: "lmb_" and 26 Crockford base-32
	// characters. It alone goes to the upstream, as a bearer token.
	Secret string
	// Pin is the upstream's CA key; zero when the token carries none (a
	// token of an upstream with a certificate of a public CA, or of a
	// release before HTTPS).
	Pin Pin
}

// syncPrefix starts every sync token; syncLen is its whole length.
const (
	syncPrefix = "lmb_"
	syncLen    = len(syncPrefix) + 26
)

// String is the token as an admin hands it over: the secret, then a dot
// and the pin when there is one.
func (t EnrollToken) String() string {
	if t.Pin.IsZero() {
		return t.Secret
	}
	return t.Secret + "." + t.Pin.String()
}

// ParseEnrollToken reads a token written by String. Surrounding spaces
// are ignored (a token pasted from a message); anything else wrong is
// ErrEnrollToken with what is wrong.
func ParseEnrollToken(s string) (EnrollToken, error) {
	var t EnrollToken
	s = strings.TrimSpace(s)
	secret, pin, pinned := strings.Cut(s, ".")
	if !strings.HasPrefix(secret, syncPrefix) {
		return t, fmt.Errorf("%w: it must start with %q", ErrEnrollToken, syncPrefix)
	}
	if len(secret) != syncLen {
		return t, fmt.Errorf("%w: it has %d characters before the dot, not %d", ErrEnrollToken, len(secret), syncLen)
	}
	for _, r := range secret[len(syncPrefix):] {
		if !strings.ContainsRune("0123456789ABCDEFGHJKMNPQRSTVWXYZ", r) {
			return t, fmt.Errorf("%w: it holds %q, which no token does", ErrEnrollToken, r)
		}
	}
	t.Secret = secret
	if !pinned {
		return t, nil
	}
	var err error
	if t.Pin, err = ParsePin(pin); err != nil {
		return EnrollToken{}, fmt.Errorf("%w: the certificate pin after the dot: %w", ErrEnrollToken, err)
	}
	return t, nil
}

// ErrPin means a certificate pin is malformed.
var ErrPin = errors.New("trust: not a certificate pin")

// ParsePin reads a pin written by Pin.String: 43 characters of
// base64url, not all zero.
func ParsePin(s string) (Pin, error) {
	var p Pin
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil || len(b) != len(p) || strings.ContainsAny(s, "\r\n") {
		return p, fmt.Errorf("%w: it is cut or changed", ErrPin)
	}
	copy(p[:], b)
	if p.IsZero() {
		return Pin{}, fmt.Errorf("%w: it is empty", ErrPin)
	}
	return p, nil
}
