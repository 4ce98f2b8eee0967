// Package zstdstream compresses and decompresses streams with zstd
// (klauspost/compress): the one place Lumbung sets zstd's options for a
// stream, a backup file or a state snapshot sent to another member. (The
// sync exchange's frames, compressed with trained dictionaries, have their
// own coders in replication/wire.)
//
// The pitfalls it keeps its callers out of:
//
//   - Memory. A frame header names the window the decoder allocates, and
//     klauspost accepts up to 512 MiB by default, so a damaged or hostile
//     header alone could exhaust a village laptop. A Reader refuses a
//     window above MaxWindow (zstd.ErrWindowSizeExceeded); a Writer uses
//     Window, well under it.
//   - Decoded size. The window bounds memory, not output: a few kilobytes
//     can decode to terabytes. A Reader does not bound what it yields:
//     whoever reads it bounds every length it trusts (a record, a file)
//     before it allocates or writes, and refuses what passes the bound.
//   - Concurrency. By default a coder starts GOMAXPROCS goroutines and
//     decodes ahead into buffers of its own. Coders here run with
//     concurrency 1: a stream is coded on its caller's goroutine, and no
//     goroutine outlives Close.
//   - Closing. A Writer must be closed to write its frame's end: a stream
//     whose Writer was not closed is truncated. Close does not close the
//     io.Writer beneath. A Reader must be closed too, to go back to the
//     pool. Neither may be used after Close.
//   - Pooling. A coder allocates its tables and window (megabytes) when it
//     is made, so coders are pooled, one pool per level, and reset onto
//     each stream; a coder back in its pool holds no reference to the last
//     stream.
package zstdstream

import (
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/klauspost/compress/zstd"
)

// Level trades speed for size.
type Level int

// The levels.
const (
	// Fastest suits a stream another member waits for (a state snapshot).
	Fastest Level = iota
	// Default compresses better at about half the speed (backups).
	Default
	numLevels
)

// Window is the window a Writer compresses with: what a Reader must hold
// to decode it (klauspost's default).
const Window = 8 << 20

// MaxWindow is the largest window a Reader accepts: Window, with room for
// a stream written with other settings.
const MaxWindow = 32 << 20

// ErrClosed means a Writer or Reader was used after Close.
var ErrClosed = errors.New("zstdstream: used after Close")

var levels = [numLevels]zstd.EncoderLevel{Fastest: zstd.SpeedFastest, Default: zstd.SpeedDefault}

var (
	encoders [numLevels]sync.Pool
	decoders = sync.Pool{New: func() any {
		d, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1),
			zstd.WithDecoderMaxWindow(MaxWindow), zstd.WithDecoderMaxMemory(MaxWindow))
		if err != nil {
			panic("zstdstream: decoder options: " + err.Error()) // constant options: a programming error
		}
		return d
	}}
)

func init() {
	for l := range encoders {
		encoders[l].New = func() any {
			e, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(levels[l]), zstd.WithEncoderConcurrency(1),
				zstd.WithWindowSize(Window))
			if err != nil {
				panic("zstdstream: encoder options: " + err.Error()) // constant options: a programming error
			}
			return e
		}
	}
}

// Writer compresses what is written to it onto an io.Writer, as one zstd
// frame. It is not safe for concurrent use.
type Writer struct {
	enc   *zstd.Encoder
	level Level
}

// NewWriter returns a Writer compressing onto w at level (an unknown
// level is Default).
func NewWriter(w io.Writer, level Level) *Writer {
	if level < 0 || level >= numLevels {
		level = Default
	}
	enc := encoders[level].Get().(*zstd.Encoder)
	enc.Reset(w)
	return &Writer{enc: enc, level: level}
}

// Write compresses p.
func (w *Writer) Write(p []byte) (int, error) {
	if w.enc == nil {
		return 0, ErrClosed
	}
	return w.enc.Write(p)
}

// Close writes the end of the frame, flushing what is buffered, and puts
// the coder back in its pool. It does not close the io.Writer beneath.
func (w *Writer) Close() error {
	if w.enc == nil {
		return ErrClosed
	}
	err := w.enc.Close()
	w.enc.Reset(nil)
	encoders[w.level].Put(w.enc)
	w.enc = nil
	if err != nil {
		return fmt.Errorf("zstdstream: %w", err)
	}
	return nil
}

// Reader decompresses a zstd stream read from an io.Reader. It is not
// safe for concurrent use.
type Reader struct {
	dec *zstd.Decoder
}

// NewReader returns a Reader decompressing r. A stream whose window passes
// MaxWindow fails on the first Read.
func NewReader(r io.Reader) (*Reader, error) {
	dec := decoders.Get().(*zstd.Decoder)
	if err := dec.Reset(r); err != nil {
		_ = dec.Reset(nil)
		decoders.Put(dec)
		return nil, fmt.Errorf("zstdstream: %w", err)
	}
	return &Reader{dec: dec}, nil
}

// Read decompresses into p.
func (r *Reader) Read(p []byte) (int, error) {
	if r.dec == nil {
		return 0, ErrClosed
	}
	n, err := r.dec.Read(p)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("zstdstream: %w", err)
	}
	return n, err
}

// Close puts the coder back in its pool; what was not read is dropped.
func (r *Reader) Close() {
	if r.dec == nil {
		return
	}
	_ = r.dec.Reset(nil)
	decoders.Put(r.dec)
	r.dec = nil
}
