package seal

import (
	"crypto/rand"
	"fmt"

	"golang.org/x/crypto/chacha20poly1305"
)

// Sealing each identity to three offices costs three X25519 operations
// (about 0.3 ms on a desa laptop, as much again as taking the complaint)
// and 264 bytes that no compressor shrinks. An Epoch shares that cost: an
// office draws one data key for a period (a day, or so many complaints),
// seals it once to the offices that may read (Seal, as any value), and
// seals each identity of the period under it with XChaCha20-Poly1305 and
// a random nonce: microseconds, and 49 bytes beside the identity.
//
// An identity sealed under an epoch reads as:
//
//	version (2) | epoch id (8) | nonce (24) | ciphertext + tag

// EpochIDSize is the bytes of an epoch's id.
const EpochIDSize = 8

const (
	version2      = 2
	epochOverhead = 1 + EpochIDSize + chacha20poly1305.NonceSizeX + 16
)

// EpochID names an epoch: random, so two offices never share one.
type EpochID [EpochIDSize]byte

// String is the id in hex.
func (id EpochID) String() string { return fmt.Sprintf("%x", id[:]) }

// Epoch is one period's data key at one office.
type Epoch struct {
	ID  EpochID
	key []byte
}

// NewEpoch draws a fresh epoch.
func NewEpoch() (*Epoch, error) {
	e := &Epoch{key: make([]byte, chacha20poly1305.KeySize)}
	if _, err := rand.Read(e.ID[:]); err != nil {
		return nil, fmt.Errorf("seal: epoch: %w", err)
	}
	if _, err := rand.Read(e.key); err != nil {
		return nil, fmt.Errorf("seal: epoch: %w", err)
	}
	return e, nil
}

// Sealed is the epoch's key sealed to the offices in to, bound to the
// epoch's id: what is kept and sent beside the identities sealed under
// it.
func (e *Epoch) Sealed(to ...PublicKey) (Sealed, error) { return Seal(e.key, e.ID[:], to...) }

// OpenEpoch opens the epoch id's key, sealed by Epoch.Sealed, with k.
func OpenEpoch(s Sealed, id EpochID, k *KeyPair) (*Epoch, error) {
	key, err := Open(s, id[:], k)
	if err != nil {
		return nil, err
	}
	if len(key) != chacha20poly1305.KeySize {
		return nil, fmt.Errorf("%w: epoch key of %d bytes", ErrMalformed, len(key))
	}
	return &Epoch{ID: id, key: key}, nil
}

// Seal seals value under the epoch, bound to aad (the complaint's
// tracking number).
func (e *Epoch) Seal(value, aad []byte) ([]byte, error) {
	if len(value) > MaxValue {
		return nil, fmt.Errorf("seal: a value of %d bytes (at most %d)", len(value), MaxValue)
	}
	c, err := chacha20poly1305.NewX(e.key)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	out := make([]byte, 0, epochOverhead+len(value))
	out = append(append(out, version2), e.ID[:]...)
	nonce := make([]byte, c.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("seal: nonce: %w", err)
	}
	head := append(out, nonce...)
	return c.Seal(head, nonce, value, bound(head[:1+EpochIDSize], aad)), nil
}

// EpochOf reads which epoch sealed b, an identity from elsewhere.
func EpochOf(b []byte) (EpochID, error) {
	var id EpochID
	if len(b) < epochOverhead || b[0] != version2 || len(b)-epochOverhead > MaxValue {
		return id, fmt.Errorf("%w: identity sealed under an epoch", ErrMalformed)
	}
	copy(id[:], b[1:])
	return id, nil
}

// Open opens b, sealed by Seal under this epoch with aad.
func (e *Epoch) Open(b, aad []byte) ([]byte, error) {
	id, err := EpochOf(b)
	if err != nil {
		return nil, err
	}
	if id != e.ID {
		return nil, ErrNotForKey
	}
	c, err := chacha20poly1305.NewX(e.key)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrOpen, err)
	}
	nonce := b[1+EpochIDSize : 1+EpochIDSize+c.NonceSize()]
	v, err := c.Open(nil, nonce, b[1+EpochIDSize+c.NonceSize():], bound(b[:1+EpochIDSize], aad))
	if err != nil {
		return nil, fmt.Errorf("%w: value", ErrOpen)
	}
	return v, nil
}
