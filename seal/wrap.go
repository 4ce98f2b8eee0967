package seal

import (
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"
)

// Params are argon2id's costs for deriving an officer's wrapping key from
// their password. DefaultParams match the officers' password hashes
// (package officer): about a quarter second on a desa laptop.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// DefaultParams are the costs for real offices.
var DefaultParams = Params{Memory: 64 << 10, Time: 3, Threads: 2}

// A wrapped private key, as stored:
//
//	version (1) | kind (1) | memory (4) | time (4) | threads (1) | salt (16) | key id (8) | nonce (24) | sealed key (48)
//
// kind says what wraps it: an officer's password or the recovery key (the
// cost fields are then zero). The key id is the wrapped key's public id,
// bound as additional data.
const (
	kindPassword = 1
	kindRecovery = 2
	saltSize     = 16
	wrapHeader   = 1 + 1 + 4 + 4 + 1 + saltSize + KeyIDSize
	wrapSize     = wrapHeader + chacha20poly1305.NonceSizeX + 32 + 16
	// maxMemory bounds the memory a stored wrapping may ask argon2id
	// for (1 GiB): a changed record cannot exhaust the node.
	maxMemory = 1 << 20
	maxTime   = 64
)

// Wrapped is a private key wrapped for keeping.
type Wrapped []byte

// Wrap wraps k's private key under a key derived from password.
func (k *KeyPair) Wrap(password string, p Params) (Wrapped, error) {
	salt := make([]byte, saltSize)
	if _, err := rand.Read(salt); err != nil {
		return nil, fmt.Errorf("seal: wrap: %w", err)
	}
	kek := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, chacha20poly1305.KeySize)
	return k.wrap(kindPassword, p, salt, kek)
}

// WrapRecovery wraps k's private key under the recovery key rk.
func (k *KeyPair) WrapRecovery(rk RecoveryKey) (Wrapped, error) {
	salt := make([]byte, saltSize)
	if _, err := rand.Read(salt); err != nil {
		return nil, fmt.Errorf("seal: wrap: %w", err)
	}
	kek, err := recoveryKEK(rk, salt)
	if err != nil {
		return nil, err
	}
	return k.wrap(kindRecovery, Params{}, salt, kek)
}

func (k *KeyPair) wrap(kind byte, p Params, salt, kek []byte) (Wrapped, error) {
	head := make([]byte, 0, wrapSize)
	head = append(head, version1, kind)
	head = binary.BigEndian.AppendUint32(head, p.Memory)
	head = binary.BigEndian.AppendUint32(head, p.Time)
	head = append(head, p.Threads)
	head = append(append(head, salt...), k.Public.id[:]...)
	c, err := chacha20poly1305.NewX(kek)
	if err != nil {
		return nil, fmt.Errorf("seal: wrap: %w", err)
	}
	nonce := make([]byte, c.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("seal: wrap: %w", err)
	}
	out := append(head, nonce...)
	return c.Seal(out, nonce, k.seed, head), nil
}

// wrapping is a Wrapped parsed.
type wrapping struct {
	kind         byte
	p            Params
	salt, header []byte
	id           KeyID
	nonce, box   []byte
}

func parseWrapped(w Wrapped) (*wrapping, error) {
	if len(w) != wrapSize || w[0] != version1 || (w[1] != kindPassword && w[1] != kindRecovery) {
		return nil, fmt.Errorf("%w: wrapped key", ErrMalformed)
	}
	x := &wrapping{kind: w[1], header: w[:wrapHeader]}
	x.p.Memory = binary.BigEndian.Uint32(w[2:6])
	x.p.Time = binary.BigEndian.Uint32(w[6:10])
	x.p.Threads = w[10]
	x.salt = w[11 : 11+saltSize]
	copy(x.id[:], w[11+saltSize:wrapHeader])
	x.nonce = w[wrapHeader : wrapHeader+chacha20poly1305.NonceSizeX]
	x.box = w[wrapHeader+chacha20poly1305.NonceSizeX:]
	if x.kind == kindPassword && (x.p.Memory == 0 || x.p.Memory > maxMemory || x.p.Time == 0 || x.p.Time > maxTime || x.p.Threads == 0) {
		return nil, fmt.Errorf("%w: wrapped key costs", ErrMalformed)
	}
	return x, nil
}

// KeyID is the public id of the key w wraps.
func (w Wrapped) KeyID() (KeyID, error) {
	x, err := parseWrapped(w)
	if err != nil {
		return KeyID{}, err
	}
	return x.id, nil
}

// Unwrap opens a key wrapped by Wrap with the officer's password.
func Unwrap(w Wrapped, password string) (*KeyPair, error) {
	x, err := parseWrapped(w)
	if err != nil {
		return nil, err
	}
	if x.kind != kindPassword {
		return nil, fmt.Errorf("%w: not wrapped by a password", ErrOpen)
	}
	return x.open(argon2.IDKey([]byte(password), x.salt, x.p.Time, x.p.Memory, x.p.Threads, chacha20poly1305.KeySize))
}

// UnwrapRecovery opens a key wrapped by WrapRecovery with the recovery
// key.
func UnwrapRecovery(w Wrapped, rk RecoveryKey) (*KeyPair, error) {
	x, err := parseWrapped(w)
	if err != nil {
		return nil, err
	}
	if x.kind != kindRecovery {
		return nil, fmt.Errorf("%w: not wrapped by the recovery key", ErrOpen)
	}
	kek, err := recoveryKEK(rk, x.salt)
	if err != nil {
		return nil, err
	}
	return x.open(kek)
}

func (x *wrapping) open(kek []byte) (*KeyPair, error) {
	c, err := chacha20poly1305.NewX(kek)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrOpen, err)
	}
	seed, err := c.Open(nil, x.nonce, x.box, x.header)
	if err != nil {
		return nil, fmt.Errorf("%w: wrapped key", ErrOpen)
	}
	k, err := keyPair(seed)
	if err != nil {
		return nil, err
	}
	if k.Public.id != x.id {
		return nil, fmt.Errorf("%w: the wrapped key is not the one named", ErrOpen)
	}
	return k, nil
}

// RecoveryKey is an office's recovery key: 32 random bytes, printed once
// at init for the office to keep on paper.
type RecoveryKey [32]byte

// crockford is Crockford's base32 alphabet: no I, L, O or U to misread.
var crockford = base32.NewEncoding("0123456789ABCDEFGHJKMNPQRSTVWXYZ").WithPadding(base32.NoPadding)

// NewRecoveryKey makes a fresh recovery key.
func NewRecoveryKey() (RecoveryKey, error) {
	var rk RecoveryKey
	if _, err := rand.Read(rk[:]); err != nil {
		return rk, fmt.Errorf("seal: recovery key: %w", err)
	}
	return rk, nil
}

// String prints the key in groups of four characters, to write down.
func (rk RecoveryKey) String() string {
	s := crockford.EncodeToString(rk[:])
	var groups []string
	for len(s) > 4 {
		groups, s = append(groups, s[:4]), s[4:]
	}
	return strings.Join(append(groups, s), "-")
}

// ParseRecoveryKey reads a recovery key as typed from paper: groups in any
// case, with dashes or spaces or neither; I and L read as 1, O as 0.
func ParseRecoveryKey(s string) (RecoveryKey, error) {
	var rk RecoveryKey
	clean := strings.Map(func(r rune) rune {
		switch r {
		case '-', ' ', '\t':
			return -1
		case 'i', 'I', 'l', 'L':
			return '1'
		case 'o', 'O':
			return '0'
		}
		if r >= 'a' && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, s)
	b, err := crockford.DecodeString(clean)
	if err != nil || len(b) != len(rk) {
		return rk, fmt.Errorf("%w: recovery key", ErrMalformed)
	}
	copy(rk[:], b)
	return rk, nil
}

// recoveryKEK derives the wrapping key of a recovery wrapping.
func recoveryKEK(rk RecoveryKey, salt []byte) ([]byte, error) {
	k, err := hkdf.Key(sha256.New, rk[:], salt, "lumbung recovery wrap v1", chacha20poly1305.KeySize)
	if err != nil {
		return nil, fmt.Errorf("seal: recovery key: %w", err)
	}
	return k, nil
}
