package trust

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
)

// JoinToken lets one new member into a cluster: the fingerprint of the
// cluster's CA, so the member-to-be knows it reached the cluster its admin
// meant, and a one-time secret, so the cluster knows an admin sent it.
// The cluster keeps only the secret's hash (Hash), with an expiry, and
// spends it on the first join.
type JoinToken struct {
	CA     Fingerprint
	Secret [24]byte
}

// joinPrefix starts every join token; the version lets a later format
// be told apart.
const joinPrefix = "lbj1."

// NewJoinToken returns a new token for the cluster whose CA is ca.
func NewJoinToken(ca Fingerprint) JoinToken {
	t := JoinToken{CA: ca}
	copy(t.Secret[:], random(len(t.Secret)))
	return t
}

// String is the token as an admin hands it over: lbj1.<ca>.<secret>,
// both base64url.
func (t JoinToken) String() string {
	enc := base64.RawURLEncoding
	return joinPrefix + enc.EncodeToString(t.CA[:]) + "." + enc.EncodeToString(t.Secret[:])
}

// Hash is what the cluster stores of the token: the SHA-256 of its
// secret, in hex.
func (t JoinToken) Hash() string {
	h := sha256.Sum256(t.Secret[:])
	return hex.EncodeToString(h[:])
}

// ParseJoinToken reads a token written by String. Surrounding spaces are
// ignored (a token pasted from a message); anything else wrong is
// ErrJoinToken with what is wrong.
func ParseJoinToken(s string) (JoinToken, error) {
	var t JoinToken
	s = strings.TrimSpace(s)
	rest, ok := strings.CutPrefix(s, joinPrefix)
	if !ok {
		return t, fmt.Errorf("%w: it must start with %q", ErrJoinToken, joinPrefix)
	}
	if i := strings.IndexFunc(rest, func(r rune) bool { return !tokenRune(r) }); i >= 0 {
		return t, fmt.Errorf("%w: it holds %q, which no token does", ErrJoinToken, rest[i:i+1])
	}
	ca, secret, ok := strings.Cut(rest, ".")
	if !ok {
		return t, fmt.Errorf("%w: it has two parts after %q, separated by a dot", ErrJoinToken, joinPrefix)
	}
	enc := base64.RawURLEncoding.Strict() // one spelling per token
	b, err := enc.DecodeString(ca)
	if err != nil || len(b) != len(t.CA) {
		return t, fmt.Errorf("%w: its certificate fingerprint is cut or changed", ErrJoinToken)
	}
	copy(t.CA[:], b)
	b, err = enc.DecodeString(secret)
	if err != nil || len(b) != len(t.Secret) {
		return t, fmt.Errorf("%w: its secret is cut or changed", ErrJoinToken)
	}
	copy(t.Secret[:], b)
	return t, nil
}

// ValidHash says whether h looks like a JoinToken's Hash.
func ValidHash(h string) bool {
	b, err := hex.DecodeString(h)
	return err == nil && len(b) == sha256.Size && h == strings.ToLower(h)
}

// tokenRune says whether r may appear in a token after its prefix: the
// base64url alphabet and the dot (the decoder alone would skip newlines).
func tokenRune(r rune) bool {
	return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.'
}
