package seal

import (
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"

	"golang.org/x/crypto/chacha20poly1305"
)

// Sealing each identity to three offices costs three X25519 operations
// (about 0.3 ms on a desa laptop, as much again as taking the complaint)
// and 264 bytes that no compressor shrinks. An Epoch shares that cost: an
// office draws one data key for a period (a run of its process, or until
// the offices it seals to change), seals it once to the offices that may
// read (Seal, as any value), and seals each identity of the period under
// it with ChaCha20-Poly1305: microseconds, and 26 to 28 bytes beside the
// identity.
//
// An identity sealed under an epoch reads as:
//
//	version (3) | epoch id (8) | counter (uvarint) | ciphertext + tag (16)
//
// The nonce is the counter: the epoch's key is drawn at random and lives
// only in the memory of the process that seals under it, which counts
// every value it seals, so no nonce repeats under one key. An epoch
// opened from its sealed key (OpenEpoch) only opens. Version 2, written
// before, had a random 24-byte nonce (XChaCha20-Poly1305) in place of the
// counter; it still opens.

// EpochIDSize is the bytes of an epoch's id.
const EpochIDSize = 8

const (
	version2 = 2
	version3 = 3
	tagSize  = 16
	// epochOverhead2 and epochOverhead3 are the least bytes beside the
	// identity in each version (a counter takes one byte or more).
	epochOverhead2 = 1 + EpochIDSize + chacha20poly1305.NonceSizeX + tagSize
	epochOverhead3 = 1 + EpochIDSize + 1 + tagSize
)

// EpochID names an epoch: random, so two offices never share one.
type EpochID [EpochIDSize]byte

// String is the id in hex.
func (id EpochID) String() string { return fmt.Sprintf("%x", id[:]) }

// Epoch is one period's data key at one office.
type Epoch struct {
	ID  EpochID
	key []byte
	// sealed counts the values sealed; openOnly marks an epoch opened
	// from its sealed key, which must never seal (its count is not the
	// sealer's).
	mu       sync.Mutex
	sealed   uint64
	openOnly bool
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
	return &Epoch{ID: id, key: key, openOnly: true}, nil
}

// ErrOpenOnly is Seal asked of an epoch opened from its sealed key.
var ErrOpenOnly = errors.New("seal: an epoch opened from its sealed key only opens")

// Seal seals value under the epoch, bound to aad.
func (e *Epoch) Seal(value, aad []byte) ([]byte, error) {
	if len(value) > MaxValue {
		return nil, fmt.Errorf("seal: a value of %d bytes (at most %d)", len(value), MaxValue)
	}
	e.mu.Lock()
	if e.openOnly {
		e.mu.Unlock()
		return nil, ErrOpenOnly
	}
	e.sealed++
	n := e.sealed
	e.mu.Unlock()
	c, err := chacha20poly1305.New(e.key)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	out := make([]byte, 0, epochOverhead3+binary.MaxVarintLen64+len(value))
	out = append(append(out, version3), e.ID[:]...)
	head := binary.AppendUvarint(out, n)
	return c.Seal(head, counterNonce(n), value, bound(head[:1+EpochIDSize], aad)), nil
}

// counterNonce is the 12-byte nonce of counter n.
func counterNonce(n uint64) []byte {
	nonce := make([]byte, chacha20poly1305.NonceSize)
	binary.BigEndian.PutUint64(nonce[4:], n)
	return nonce
}

func uvarintLen(n uint64) int {
	var b [binary.MaxVarintLen64]byte
	return binary.PutUvarint(b[:], n)
}

// EpochOf reads which epoch sealed b, an identity from elsewhere.
func EpochOf(b []byte) (EpochID, error) {
	var id EpochID
	min := 0
	switch {
	case len(b) > 0 && b[0] == version2:
		min = epochOverhead2
	case len(b) > 0 && b[0] == version3:
		min = epochOverhead3
	}
	if min == 0 || len(b) < min || len(b)-min > MaxValue+binary.MaxVarintLen64 {
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
	rest := b[1+EpochIDSize:]
	var c cipher.AEAD
	var nonce []byte
	if b[0] == version2 {
		c, err = chacha20poly1305.NewX(e.key)
		nonce, rest = rest[:chacha20poly1305.NonceSizeX], rest[chacha20poly1305.NonceSizeX:]
	} else {
		n, size := binary.Uvarint(rest)
		if size <= 0 || size != uvarintLen(n) || len(rest)-size < tagSize { // one way to write each counter
			return nil, fmt.Errorf("%w: identity's counter", ErrMalformed)
		}
		c, err = chacha20poly1305.New(e.key)
		nonce, rest = counterNonce(n), rest[size:]
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrOpen, err)
	}
	v, err := c.Open(nil, nonce, rest, bound(b[:1+EpochIDSize], aad))
	if err != nil {
		return nil, fmt.Errorf("%w: value", ErrOpen)
	}
	return v, nil
}
