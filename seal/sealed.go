package seal

import (
	"crypto/hpke"
	"crypto/rand"
	"fmt"

	"golang.org/x/crypto/chacha20poly1305"
)

// A sealed value, as stored and sent:
//
//	version (1) | n (1) | n × [ key id (8) | HPKE enc (32) | wrapped data key (48) ] | ciphertext + tag
const (
	version1      = 1
	encSize       = 32
	wrappedSize   = chacha20poly1305.KeySize + 16
	recipientSize = KeyIDSize + encSize + wrappedSize
	// MaxRecipients bounds the offices one value is sealed to.
	MaxRecipients = 8
	// MaxValue bounds a sealed value's plaintext.
	MaxValue = 4 << 10
)

// info binds an HPKE wrapping to its use in Lumbung.
var info = []byte("lumbung identity v1")

// Sealed is a value sealed to some offices' public keys.
type Sealed []byte

// Seal seals value to each public key in to (at least one, at most
// MaxRecipients) under a fresh data key; aad (a complaint's tracking
// number) is bound to the value: Open with another aad fails.
func Seal(value, aad []byte, to ...PublicKey) (Sealed, error) {
	if len(to) == 0 || len(to) > MaxRecipients {
		return nil, fmt.Errorf("seal: %d recipients (1 to %d)", len(to), MaxRecipients)
	}
	if len(value) > MaxValue {
		return nil, fmt.Errorf("seal: a value of %d bytes (at most %d)", len(value), MaxValue)
	}
	key := make([]byte, chacha20poly1305.KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("seal: data key: %w", err)
	}
	out := make([]byte, 0, 2+len(to)*recipientSize+len(value)+16)
	out = append(out, version1, byte(len(to)))
	for _, pk := range to {
		if !pk.Valid() {
			return nil, fmt.Errorf("seal: an empty public key")
		}
		w, err := hpke.Seal(pk.pk, kdf, aead, info, key)
		if err != nil {
			return nil, fmt.Errorf("seal: wrap for %s: %w", pk.id, err)
		}
		out = append(append(out, pk.id[:]...), w...)
	}
	c, err := chacha20poly1305.New(key)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	// The key is used once: a zero nonce is safe. The recipients'
	// wrappings are authenticated with the value, so that none can be
	// changed unseen.
	return c.Seal(out, make([]byte, c.NonceSize()), value, bound(out, aad)), nil
}

// bound is the additional data of a value's ciphertext: its header (the
// recipients' wrappings) and the caller's aad.
func bound(header, aad []byte) []byte {
	return append(append(make([]byte, 0, len(header)+len(aad)), header...), aad...)
}

// Envelope is a sealed value parsed: its recipients' key ids and
// wrappings, and its ciphertext.
type Envelope struct {
	Recipients []KeyID
	wrapped    [][]byte
	header     []byte
	ciphertext []byte
}

// Parse reads a sealed value from elsewhere, bounding everything.
func Parse(s Sealed) (*Envelope, error) {
	if len(s) < 2 || s[0] != version1 {
		return nil, fmt.Errorf("%w: sealed value version", ErrMalformed)
	}
	n := int(s[1])
	if n == 0 || n > MaxRecipients {
		return nil, fmt.Errorf("%w: %d recipients", ErrMalformed, n)
	}
	rest := s[2:]
	if len(rest) < n*recipientSize+16 || len(rest)-n*recipientSize-16 > MaxValue {
		return nil, fmt.Errorf("%w: sealed value of %d bytes", ErrMalformed, len(s))
	}
	e := &Envelope{header: s[:2+n*recipientSize]}
	for range n {
		var id KeyID
		copy(id[:], rest[:KeyIDSize])
		e.Recipients = append(e.Recipients, id)
		e.wrapped = append(e.wrapped, rest[KeyIDSize:recipientSize])
		rest = rest[recipientSize:]
	}
	e.ciphertext = rest
	return e, nil
}

// Open opens s with k, checking aad; it fails with ErrNotForKey when s
// was not sealed to k, and ErrOpen when it does not authenticate.
func Open(s Sealed, aad []byte, k *KeyPair) ([]byte, error) {
	e, err := Parse(s)
	if err != nil {
		return nil, err
	}
	for i, id := range e.Recipients {
		if id != k.Public.id {
			continue
		}
		key, err := hpke.Open(k.priv, kdf, aead, info, e.wrapped[i])
		if err != nil {
			return nil, fmt.Errorf("%w: data key: %w", ErrOpen, err)
		}
		c, err := chacha20poly1305.New(key)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrOpen, err)
		}
		v, err := c.Open(nil, make([]byte, c.NonceSize()), e.ciphertext, bound(e.header, aad))
		if err != nil {
			return nil, fmt.Errorf("%w: value: %w", ErrOpen, err)
		}
		return v, nil
	}
	return nil, ErrNotForKey
}
