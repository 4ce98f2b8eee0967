package officer

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's costs. DefaultParams are chosen for a 4 GB
// laptop with two cores that also runs Pebble and a browser:
//
//   - Memory 64 MiB: RFC 9106's second recommended option, and far above
//     OWASP's floor of 19 MiB, so a GPU guesses slowly. Logins are rare
//     and httpapi runs at most two at a time, so a burst of logins costs
//     the laptop at most 128 MiB for a fraction of a second.
//   - Time 3 passes, Threads 2 (the laptop's cores): about 0.1–0.2 s a
//     login on this 2-core VM (BenchmarkHash; BENCHMARKS.md), a pause an
//     officer does not notice.
//
// A hash records the parameters it was made with, so they can be raised
// later without locking anyone out: Verify reads them from the hash, and
// NeedsRehash says when a login should store a stronger one.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
}

// DefaultParams are the costs new hashes are made with.
var DefaultParams = Params{Memory: 64 << 10, Time: 3, Threads: 2}

// Bounds of what Verify will compute from a stored hash, so a damaged or
// forged record cannot make a login allocate gigabytes or run for
// minutes.
const (
	maxMemory  = 1 << 20 // KiB: 1 GiB
	maxTime    = 16
	maxThreads = 16
	saltLen    = 16
	keyLen     = 32
)

// Password rules: long enough to resist guessing when argon2id slows
// each guess down, short enough to bound the work of a login.
const (
	MinPassword = 10
	MaxPassword = 128 // bytes
)

// CheckPassword says why pw cannot be an officer's password, in the
// officer's words, or nil.
func CheckPassword(pw, name string) error {
	switch {
	case !utf8.ValidString(pw) || strings.ContainsFunc(pw, isControl):
		return &Error{Err: ErrWeakPassword, Field: "password", Msg: msgPasswordChars.Text()}
	case utf8.RuneCountInString(pw) < MinPassword:
		return &Error{Err: ErrWeakPassword, Field: "password", Msg: msgPasswordShort.Text(MinPassword)}
	case len(pw) > MaxPassword:
		return &Error{Err: ErrWeakPassword, Field: "password", Msg: msgPasswordLong.Text(MaxPassword)}
	case strings.EqualFold(pw, name) || strings.Contains(strings.ToLower(pw), strings.ToLower(name)) && len(name) >= 3:
		return &Error{Err: ErrWeakPassword, Field: "password", Msg: msgPasswordName.Text()}
	}
	return nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// Hash returns the argon2id hash of pw with a fresh random salt, in the
// PHC string format: $argon2id$v=19$m=65536,t=3,p=2$<salt>$<hash>.
func Hash(pw string, p Params) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("officer: salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, keyLen)
	release(p)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// phc is a parsed argon2id hash.
type phc struct {
	p    Params
	salt []byte
	key  []byte
}

// parseHash reads a hash Hash made; anything else is ErrBadHash.
func parseHash(s string) (*phc, error) {
	bad := func(why string) error { return fmt.Errorf("%w: %s", ErrBadHash, why) }
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return nil, bad("not an argon2id hash")
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return nil, bad("version " + parts[2])
	}
	var h phc
	for i, kv := range strings.Split(parts[3], ",") {
		name, val, ok := strings.Cut(kv, "=")
		n, err := strconv.ParseUint(val, 10, 32)
		if !ok || err != nil || i > 2 || name != [3]string{"m", "t", "p"}[i] {
			return nil, bad("parameters " + parts[3])
		}
		switch name {
		case "m":
			h.p.Memory = uint32(n)
		case "t":
			h.p.Time = uint32(n)
		case "p":
			if n > 255 {
				return nil, bad("threads")
			}
			h.p.Threads = uint8(n)
		}
	}
	if h.p.Memory < 8*uint32(max(h.p.Threads, 1)) || h.p.Memory > maxMemory || h.p.Time < 1 || h.p.Time > maxTime ||
		h.p.Threads < 1 || h.p.Threads > maxThreads {
		return nil, bad("parameters out of bounds: " + parts[3])
	}
	var err error
	enc := base64.RawStdEncoding.Strict()
	if h.salt, err = enc.DecodeString(parts[4]); err != nil || len(h.salt) < 8 || len(h.salt) > 64 {
		return nil, bad("salt")
	}
	if h.key, err = enc.DecodeString(parts[5]); err != nil || len(h.key) < 16 || len(h.key) > 64 {
		return nil, bad("key")
	}
	return &h, nil
}

// release hands the memory of costly hashes back to the operating system
// once they have stopped for releaseAfter: argon2id takes 64 MiB for each
// hash, which Go would otherwise keep for minutes, and a desa laptop's
// node idles at a fraction of that (BENCHMARKS.md, "node RSS, idle").
// Waiting keeps a morning's logins from paying to fault the memory in
// again each time.
func release(p Params) {
	if p.Memory < 16<<10 {
		return
	}
	releaseMu.Lock()
	defer releaseMu.Unlock()
	if releaseTimer == nil {
		releaseTimer = time.AfterFunc(releaseAfter, debug.FreeOSMemory)
		return
	}
	releaseTimer.Reset(releaseAfter)
}

const releaseAfter = 2 * time.Second

var (
	releaseMu    sync.Mutex
	releaseTimer *time.Timer
)

// ValidHash says whether hash is one Verify can read, within its bounds.
func ValidHash(hash string) bool {
	_, err := parseHash(hash)
	return err == nil
}

// Verify says whether pw matches hash, comparing in constant time. A
// hash it cannot read is ErrBadHash, never a match.
func Verify(pw, hash string) (bool, error) {
	h, err := parseHash(hash)
	if err != nil {
		return false, err
	}
	if len(pw) > MaxPassword {
		return false, nil
	}
	key := argon2.IDKey([]byte(pw), h.salt, h.p.Time, h.p.Memory, h.p.Threads, uint32(len(h.key)))
	release(h.p)
	return subtle.ConstantTimeCompare(key, h.key) == 1, nil
}

// NeedsRehash says whether hash was made with weaker costs than p.
func NeedsRehash(hash string, p Params) bool {
	h, err := parseHash(hash)
	return err != nil || h.p.Memory < p.Memory || h.p.Time < p.Time
}

// NewPassword returns a one-time password for a new officer or a reset:
// 14 characters from an alphabet with no look-alikes (no 0/O, 1/l/I), 80
// bits, to be typed once from a printout and changed at first login.
func NewPassword() string {
	const alphabet = "23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
	out := make([]byte, 0, 14)
	var b [32]byte
	for len(out) < cap(out) {
		if _, err := rand.Read(b[:]); err != nil {
			panic("officer: no randomness: " + err.Error())
		}
		for _, c := range b {
			// 224 is the largest multiple of len(alphabet) under 256:
			// drawing only below it keeps every character equally likely.
			if int(c) < 224 && len(out) < cap(out) {
				out = append(out, alphabet[int(c)%len(alphabet)])
			}
		}
	}
	return string(out)
}
