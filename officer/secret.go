package officer

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
)

// A secret is what carries a session: the browser's cookie, the CLI's API
// token. It is 32 random bytes, written as 43 characters of unpadded
// base64url after a prefix that says which kind it is, so a leaked one is
// recognisable in a log or a paste ("lbs_" a browser session, "lbt_" an
// API token). The node keeps only its SHA-256 (SecretHash).
const (
	PrefixSession = "lbs_"
	PrefixToken   = "lbt_"
	secretBytes   = 32
	secretChars   = 43 // base64url of 32 bytes, unpadded
)

// PrefixOf returns the prefix of the secrets of a kind of session.
func PrefixOf(k Kind) string {
	if k == Token {
		return PrefixToken
	}
	return PrefixSession
}

// NewSecret returns a fresh secret of the kind prefix names and its
// hash, which is what may be stored.
func NewSecret(prefix string) (secret, hash string) {
	var b [secretBytes]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("officer: no randomness: " + err.Error())
	}
	secret = prefix + base64.RawURLEncoding.EncodeToString(b[:])
	return secret, hashOf(secret)
}

// SecretHash checks that s is a well-formed secret of the kind prefix
// names and returns its hash; anything else (a guess, a truncated copy,
// the other kind) is ErrBadSecret, before any lookup.
func SecretHash(s, prefix string) (string, error) {
	if len(s) != len(prefix)+secretChars || s[:len(prefix)] != prefix {
		return "", fmt.Errorf("%w: not a %s secret", ErrBadSecret, prefix)
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(s[len(prefix):])
	if err != nil || len(raw) != secretBytes {
		return "", fmt.Errorf("%w: not base64url", ErrBadSecret)
	}
	return hashOf(s), nil
}

func hashOf(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}
