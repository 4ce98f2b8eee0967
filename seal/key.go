package seal

import (
	"crypto/ecdh"
	"crypto/hpke"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// The package's errors.
var (
	// ErrMalformed is a sealed value, a wrapped key or a key's text that
	// does not parse.
	ErrMalformed = errors.New("seal: malformed")
	// ErrNotForKey is a sealed value that was not sealed to the key
	// given (or was erased of its wrappings).
	ErrNotForKey = errors.New("seal: not sealed to this key")
	// ErrOpen is a value or a wrapped key that fails its authentication:
	// the wrong password, the wrong recovery key, or bytes changed.
	ErrOpen = errors.New("seal: cannot open")
)

// The suite every wrapping uses: DHKEM(X25519, HKDF-SHA256),
// HKDF-SHA256, ChaCha20-Poly1305.
var (
	kem  = hpke.DHKEM(ecdh.X25519())
	kdf  = hpke.HKDFSHA256()
	aead = hpke.ChaCha20Poly1305()
)

// KeyIDSize is the bytes of a key id: the first bytes of SHA-256 of the
// public key.
const KeyIDSize = 8

// KeyID names a public key in a sealed value.
type KeyID [KeyIDSize]byte

// String is the key id in hex, as logs show it.
func (id KeyID) String() string { return fmt.Sprintf("%x", id[:]) }

// PublicKey is an office's public key: what a value is sealed to.
type PublicKey struct {
	raw []byte // the X25519 public key, 32 bytes
	pk  hpke.PublicKey
	id  KeyID
}

// publicKeyPrefix marks a public key's text form.
const publicKeyPrefix = "lmbpub1_"

// ParsePublicKey reads a public key's text form (String).
func ParsePublicKey(s string) (PublicKey, error) {
	b, ok := strings.CutPrefix(strings.TrimSpace(s), publicKeyPrefix)
	if !ok {
		return PublicKey{}, fmt.Errorf("%w: not a public key", ErrMalformed)
	}
	raw, err := base64.RawURLEncoding.DecodeString(b)
	if err != nil {
		return PublicKey{}, fmt.Errorf("%w: public key: %w", ErrMalformed, err)
	}
	return publicKey(raw)
}

func publicKey(raw []byte) (PublicKey, error) {
	pk, err := kem.NewPublicKey(raw)
	if err != nil {
		return PublicKey{}, fmt.Errorf("%w: public key: %w", ErrMalformed, err)
	}
	sum := sha256.Sum256(raw)
	k := PublicKey{raw: append([]byte(nil), raw...), pk: pk}
	copy(k.id[:], sum[:KeyIDSize])
	return k, nil
}

// String is the public key's text form, safe to publish.
func (k PublicKey) String() string {
	return publicKeyPrefix + base64.RawURLEncoding.EncodeToString(k.raw)
}

// ID is the key's id.
func (k PublicKey) ID() KeyID { return k.id }

// Valid says whether k holds a key (the zero PublicKey does not).
func (k PublicKey) Valid() bool { return k.pk != nil }

// KeyPair is an office's key pair. Its private half never leaves memory
// unwrapped: Wrap and WrapRecovery are how it is kept.
type KeyPair struct {
	Public PublicKey
	priv   hpke.PrivateKey
	seed   []byte // the private key's bytes, as wrapped
}

// NewKeyPair makes a fresh key pair.
func NewKeyPair() (*KeyPair, error) {
	seed := make([]byte, 32)
	if _, err := rand.Read(seed); err != nil {
		return nil, fmt.Errorf("seal: new key: %w", err)
	}
	return keyPair(seed)
}

// keyPair makes the key pair of a private key's 32 bytes.
func keyPair(seed []byte) (*KeyPair, error) {
	sk, err := ecdh.X25519().NewPrivateKey(seed)
	if err != nil {
		return nil, fmt.Errorf("%w: private key: %w", ErrMalformed, err)
	}
	priv, err := hpke.NewDHKEMPrivateKey(sk)
	if err != nil {
		return nil, fmt.Errorf("seal: private key: %w", err)
	}
	pub, err := publicKey(sk.PublicKey().Bytes())
	if err != nil {
		return nil, err
	}
	return &KeyPair{Public: pub, priv: priv, seed: append([]byte(nil), seed...)}, nil
}
