package seal

import (
	"bytes"
	"crypto/rand"
	"errors"
	"strings"
	"testing"

	"golang.org/x/crypto/chacha20poly1305"
)

// cheap are argon2id costs for the tests.
var cheap = Params{Memory: 64, Time: 1, Threads: 1}

func keys(t testing.TB, n int) []*KeyPair {
	t.Helper()
	var out []*KeyPair
	for range n {
		k, err := NewKeyPair()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, k)
	}
	return out
}

// identity is a reporter's identity as a complaint seals it.
var identity = []byte(`{"name":"Siti Aminah","nik":"3214021204900001","phone":"081234567890"}`)

// TestSealOpen: a value sealed to two offices opens with each office's
// key and with no other; it is bound to its complaint (aad) and to every
// byte of it; its size is what DESIGN.md says.
func TestSealOpen(t *testing.T) {
	ks := keys(t, 3)
	aad := []byte("3214022001-6XXCVP-0001")
	s, err := Seal(identity, aad, ks[0].Public, ks[1].Public)
	if err != nil {
		t.Fatal(err)
	}
	if want := 2 + 2*recipientSize + len(identity) + 16; len(s) != want {
		t.Errorf("sealed size %d, want %d", len(s), want)
	}
	if bytes.Contains(s, []byte("Siti")) || bytes.Contains(s, []byte("3214021204900001")) {
		t.Fatal("the identity shows through")
	}
	for _, k := range ks[:2] {
		v, err := Open(s, aad, k)
		if err != nil || !bytes.Equal(v, identity) {
			t.Fatalf("open with %s: %q %v", k.Public.ID(), v, err)
		}
	}
	if _, err := Open(s, aad, ks[2]); !errors.Is(err, ErrNotForKey) {
		t.Errorf("a third office opened it: %v", err)
	}
	if _, err := Open(s, []byte("3214022001-6XXCVP-0002"), ks[0]); !errors.Is(err, ErrOpen) {
		t.Errorf("moved onto another complaint: %v", err)
	}
	for i := 2; i < len(s); i += 7 {
		bad := append(Sealed(nil), s...)
		bad[i] ^= 0x40
		if v, err := Open(bad, aad, ks[0]); err == nil {
			t.Fatalf("byte %d changed, opened as %q", i, v)
		}
	}
	if _, err := Seal(identity, aad); err == nil {
		t.Error("sealed to nobody")
	}
	if _, err := Seal(make([]byte, MaxValue+1), aad, ks[0].Public); err == nil {
		t.Error("sealed a value over the bound")
	}
}

// TestPublicKeyText: a public key's text form reads back as the same key;
// other text is refused.
func TestPublicKeyText(t *testing.T) {
	k := keys(t, 1)[0]
	got, err := ParsePublicKey(" " + k.Public.String() + "\n")
	if err != nil || got.ID() != k.Public.ID() || got.String() != k.Public.String() {
		t.Fatalf("read back %v %v", got, err)
	}
	for _, bad := range []string{"", "lmbpub1_", "lmbpub1_AAAA", "age1xyz", k.Public.String()[:20]} {
		if _, err := ParsePublicKey(bad); !errors.Is(err, ErrMalformed) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// TestWrapUnwrap: the private key wrapped by a password opens with that
// password only; wrapped by the recovery key, with that key only, as
// typed from paper; a wrapping asking argon2id for absurd costs is
// refused before any is spent.
func TestWrapUnwrap(t *testing.T) {
	k := keys(t, 1)[0]
	w, err := k.Wrap("balai desa campaka", cheap)
	if err != nil {
		t.Fatal(err)
	}
	if id, err := w.KeyID(); err != nil || id != k.Public.ID() {
		t.Errorf("key id %v %v", id, err)
	}
	got, err := Unwrap(w, "balai desa campaka")
	if err != nil || got.Public.ID() != k.Public.ID() {
		t.Fatalf("unwrap: %v", err)
	}
	s, _ := Seal(identity, nil, k.Public)
	if v, err := Open(s, nil, got); err != nil || !bytes.Equal(v, identity) {
		t.Fatalf("the unwrapped key does not open: %v", err)
	}
	if _, err := Unwrap(w, "balai desa campaka!"); !errors.Is(err, ErrOpen) {
		t.Errorf("another password: %v", err)
	}
	rk, err := NewRecoveryKey()
	if err != nil {
		t.Fatal(err)
	}
	text := rk.String()
	if len(strings.Split(text, "-")) != 13 {
		t.Errorf("recovery key %q: want 13 groups", text)
	}
	typed := strings.ToLower(strings.ReplaceAll(strings.ReplaceAll(text, "-", " "), "0", "O"))
	rk2, err := ParseRecoveryKey(typed)
	if err != nil || rk2 != rk {
		t.Fatalf("the key as typed %q: %v", typed, err)
	}
	wr, err := k.WrapRecovery(rk)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := UnwrapRecovery(wr, rk2); err != nil || got.Public.ID() != k.Public.ID() {
		t.Fatalf("unwrap by recovery: %v", err)
	}
	other, _ := NewRecoveryKey()
	if _, err := UnwrapRecovery(wr, other); !errors.Is(err, ErrOpen) {
		t.Errorf("another recovery key: %v", err)
	}
	if _, err := UnwrapRecovery(w, rk); !errors.Is(err, ErrOpen) {
		t.Errorf("a password wrapping opened by a recovery key: %v", err)
	}
	if _, err := Unwrap(wr, ""); !errors.Is(err, ErrOpen) {
		t.Errorf("a recovery wrapping opened by a password: %v", err)
	}
	greedy := append(Wrapped(nil), w...)
	greedy[2] = 0xff // memory: 4 GiB
	if _, err := Unwrap(greedy, "balai desa campaka"); !errors.Is(err, ErrMalformed) {
		t.Errorf("a wrapping asking for 4 GiB: %v", err)
	}
	changed := append(Wrapped(nil), w...)
	changed[len(changed)-20] ^= 1
	if _, err := Unwrap(changed, "balai desa campaka"); !errors.Is(err, ErrOpen) {
		t.Errorf("a changed wrapping: %v", err)
	}
	for _, bad := range []string{"", "ABCD", strings.Repeat("Z", 51), text[:40]} {
		if _, err := ParseRecoveryKey(bad); !errors.Is(err, ErrMalformed) {
			t.Errorf("recovery key %q: %v", bad, err)
		}
	}
}

// FuzzParse: a sealed value from a peer never panics the parser or Open,
// and what parses opens for no key it was not sealed to.
func FuzzParse(f *testing.F) {
	k, _ := NewKeyPair()
	s, _ := Seal(identity, []byte("x"), k.Public)
	f.Add([]byte(s))
	f.Add([]byte{1, 1})
	f.Add([]byte{1, 9})
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := Parse(b)
		if err != nil {
			return
		}
		if len(e.Recipients) == 0 || len(e.Recipients) > MaxRecipients || len(e.ciphertext) > MaxValue+16 {
			t.Fatalf("parsed out of bounds: %d recipients, %d bytes", len(e.Recipients), len(e.ciphertext))
		}
		if v, err := Open(b, []byte("x"), k); err == nil && !bytes.Equal(b, s) {
			t.Fatalf("changed bytes opened as %q", v)
		}
	})
}

// FuzzWrapped: a stored wrapping never panics its parser, and what
// parses asks argon2id for bounded costs.
func FuzzWrapped(f *testing.F) {
	k, _ := NewKeyPair()
	w, _ := k.Wrap("x", cheap)
	f.Add([]byte(w))
	f.Fuzz(func(t *testing.T, b []byte) {
		x, err := parseWrapped(b)
		if err != nil {
			return
		}
		if x.kind == kindPassword && (x.p.Memory > maxMemory || x.p.Time > maxTime) {
			t.Fatalf("unbounded costs %+v", x.p)
		}
	})
}

// FuzzRecoveryKey: what an officer types never panics the reader.
func FuzzRecoveryKey(f *testing.F) {
	rk, _ := NewRecoveryKey()
	f.Add(rk.String())
	f.Fuzz(func(t *testing.T, s string) {
		if got, err := ParseRecoveryKey(s); err == nil {
			if again, err := ParseRecoveryKey(got.String()); err != nil || again != got {
				t.Fatalf("%q read as a key that does not read back", s)
			}
		}
	})
}

// BenchmarkSeal seals an identity to three offices (a desa, its
// kecamatan, its kabupaten), as intake does.
func BenchmarkSeal(b *testing.B) {
	ks := keys(b, 3)
	to := []PublicKey{ks[0].Public, ks[1].Public, ks[2].Public}
	for b.Loop() {
		if _, err := Seal(identity, []byte("3214022001-6XXCVP-0001"), to...); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpen opens it, as a screen showing the reporter does.
func BenchmarkOpen(b *testing.B) {
	ks := keys(b, 3)
	s, _ := Seal(identity, nil, ks[0].Public, ks[1].Public, ks[2].Public)
	for b.Loop() {
		if _, err := Open(s, nil, ks[2]); err != nil {
			b.Fatal(err)
		}
	}
}

// TestEpoch: identities sealed under an epoch open with the epoch's key,
// which opens only with an office's key it was sealed to; each is bound
// to its complaint and to every byte; another epoch does not open it.
func TestEpoch(t *testing.T) {
	ks := keys(t, 3)
	e, err := NewEpoch()
	if err != nil {
		t.Fatal(err)
	}
	sealedKey, err := e.Sealed(ks[0].Public, ks[1].Public)
	if err != nil {
		t.Fatal(err)
	}
	v, err := e.Seal(identity, []byte("A-1"))
	if err != nil {
		t.Fatal(err)
	}
	if len(v) != epochOverhead3+len(identity) || bytes.Contains(v, []byte("Siti")) {
		t.Fatalf("sealed under an epoch: %d bytes", len(v))
	}
	if v2, _ := e.Seal(identity, []byte("A-1")); bytes.Equal(v[:11], v2[:11]) {
		t.Fatal("two values sealed under one counter")
	}
	old := sealV2(t, e, identity, []byte("A-1")) // written before the counter
	if id, err := EpochOf(old); err != nil || id != e.ID {
		t.Fatalf("epoch of a version 2 value: %v %v", id, err)
	}
	if id, err := EpochOf(v); err != nil || id != e.ID {
		t.Fatalf("epoch of the value: %v %v", id, err)
	}
	if _, err := OpenEpoch(sealedKey, e.ID, ks[2]); !errors.Is(err, ErrNotForKey) {
		t.Errorf("a third office opened the epoch: %v", err)
	}
	var other EpochID
	if _, err := OpenEpoch(sealedKey, other, ks[0]); !errors.Is(err, ErrOpen) {
		t.Errorf("the epoch's key opened under another id: %v", err)
	}
	opened, err := OpenEpoch(sealedKey, e.ID, ks[1])
	if err != nil {
		t.Fatal(err)
	}
	if got, err := opened.Open(v, []byte("A-1")); err != nil || !bytes.Equal(got, identity) {
		t.Fatalf("open: %q %v", got, err)
	}
	if got, err := opened.Open(old, []byte("A-1")); err != nil || !bytes.Equal(got, identity) {
		t.Fatalf("open a version 2 value: %q %v", got, err)
	}
	if _, err := opened.Seal(identity, nil); !errors.Is(err, ErrOpenOnly) {
		t.Fatalf("an opened epoch sealed (its counter would repeat the sealer's): %v", err)
	}
	long := append(append(append([]byte(nil), v[:9]...), 0x81, 0x00), v[10:]...) // counter 1, written long
	if _, err := opened.Open(long, []byte("A-1")); err == nil {
		t.Fatal("a counter written two ways opened")
	}
	if _, err := opened.Open(v, []byte("A-2")); !errors.Is(err, ErrOpen) {
		t.Errorf("moved onto another complaint: %v", err)
	}
	for i := range v {
		bad := append([]byte(nil), v...)
		bad[i] ^= 0x10
		if _, err := opened.Open(bad, []byte("A-1")); err == nil {
			t.Fatalf("byte %d changed and opened", i)
		}
	}
	e2, _ := NewEpoch()
	if _, err := e2.Open(v, []byte("A-1")); !errors.Is(err, ErrNotForKey) {
		t.Errorf("another epoch: %v", err)
	}
}

// sealV2 seals value as version 2 did: XChaCha20-Poly1305 with a random
// nonce in the value.
func sealV2(t *testing.T, e *Epoch, value, aad []byte) []byte {
	t.Helper()
	c, err := chacha20poly1305.NewX(e.key)
	if err != nil {
		t.Fatal(err)
	}
	head := append([]byte{version2}, e.ID[:]...)
	nonce := make([]byte, c.NonceSize())
	_, _ = rand.Read(nonce)
	head = append(head, nonce...)
	return c.Seal(head, nonce, value, bound(head[:1+EpochIDSize], aad))
}

// FuzzEpochValue: an identity sealed under an epoch, from a peer, never
// panics the reader, and changed bytes never open.
func FuzzEpochValue(f *testing.F) {
	e, _ := NewEpoch()
	v, _ := e.Seal(identity, []byte("x"))
	f.Add(v)
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, err := EpochOf(b); err != nil {
			return
		}
		if got, err := e.Open(b, []byte("x")); err == nil && !bytes.Equal(b, v) {
			t.Fatalf("changed bytes opened as %q", got)
		}
	})
}

// BenchmarkEpochSeal seals an identity under an epoch, as intake does
// between two epochs.
func BenchmarkEpochSeal(b *testing.B) {
	e, _ := NewEpoch()
	for b.Loop() {
		if _, err := e.Seal(identity, []byte("3214022001-6XXCVP-0001")); err != nil {
			b.Fatal(err)
		}
	}
}
