package zstdstream

import (
	"bytes"
	"errors"
	"io"
	"math/rand"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// TestRoundTrip writes and reads streams at each level, several times so
// that pooled coders are reused, and checks each stream reads back whole.
func TestRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 6; i++ {
		level := Level(i % int(numLevels))
		want := make([]byte, rng.Intn(3<<20))
		for j := range want {
			want[j] = byte(rng.Intn(8)) // compressible
		}
		var buf bytes.Buffer
		w := NewWriter(&buf, level)
		if _, err := w.Write(want); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte("x")); !errors.Is(err, ErrClosed) {
			t.Fatalf("write after close: %v, want ErrClosed", err)
		}
		r, err := NewReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(r)
		r.Close()
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("level %d, %d bytes: read back %d bytes, %v", level, len(want), len(got), err)
		}
		if _, err := r.Read(make([]byte, 1)); !errors.Is(err, ErrClosed) {
			t.Fatalf("read after close: %v, want ErrClosed", err)
		}
	}
}

// TestWindowBound feeds a frame whose header asks for a 256 MiB window,
// which klauspost allows by default: the Reader refuses it before it
// allocates.
func TestWindowBound(t *testing.T) {
	// Magic, a frame header with no content size and not single-segment,
	// and a window descriptor of exponent 18: 1 << 28 bytes.
	frame := []byte{0x28, 0xb5, 0x2f, 0xfd, 0x00, 18 << 3, 0x01, 0x00, 0x00}
	r, err := NewReader(bytes.NewReader(frame))
	if err == nil {
		_, err = io.ReadAll(r)
		r.Close()
	}
	if !errors.Is(err, zstd.ErrWindowSizeExceeded) {
		t.Fatalf("a 256 MiB window: %v, want %v", err, zstd.ErrWindowSizeExceeded)
	}
}
