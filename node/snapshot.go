package node

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/cockroachdb/pebble/v2"
	"github.com/lumbung/lumbung/internal/zstdstream"
)

// Bounds on what a snapshot record may claim, so a damaged stream cannot
// make the reader allocate without limit.
const (
	maxSnapshotKey   = 64 << 10
	maxSnapshotValue = 64 << 20
)

// StoreSnapshot is the whole state store at one instant (a Pebble
// snapshot), to be streamed to another member.
type StoreSnapshot struct {
	snap *pebble.Snapshot
}

// Snapshot captures the store as it is now. Writes that follow do not
// change what the snapshot writes.
func (s *Store) Snapshot() *StoreSnapshot { return &StoreSnapshot{snap: s.db.NewSnapshot()} }

// Release frees the snapshot.
func (ss *StoreSnapshot) Release() { _ = ss.snap.Close() }

// WriteTo streams every key and value, zstd-compressed: each record is a
// uvarint key length, the key, a uvarint value length and the value; a
// zero key length ends the records and is followed by the SHA-256 of all
// bytes before it, so a truncated or damaged stream is refused whole.
func (ss *StoreSnapshot) WriteTo(w io.Writer) (int64, error) {
	cw := &countWriter{w: w}
	it, err := ss.snap.NewIter(nil)
	if err != nil {
		return 0, fmt.Errorf("node: snapshot: %w", err)
	}
	zw := zstdstream.NewWriter(cw, zstdstream.Fastest)
	h := sha256.New()
	out := io.MultiWriter(zw, h)
	var n [binary.MaxVarintLen64]byte
	for it.First(); it.Valid() && err == nil; it.Next() {
		if bytes.Equal(it.Key(), keyClockFix) {
			continue // what this member's clock is off by says nothing of another's
		}
		for _, part := range [][]byte{it.Key(), it.Value()} {
			if _, err = out.Write(n[:binary.PutUvarint(n[:], uint64(len(part)))]); err == nil {
				_, err = out.Write(part)
			}
		}
	}
	if cerr := it.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		_, err = out.Write([]byte{0})
	}
	if err == nil {
		_, err = zw.Write(h.Sum(nil))
	}
	if cerr := zw.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return cw.n, fmt.Errorf("node: snapshot: %w", err)
	}
	return cw.n, nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// Replace makes the store hold exactly what a StoreSnapshot wrote. It
// runs as a write, so no other write interleaves. It first marks the store
// as restoring and clears it, then loads the records in batches, checks
// the stream's hash, and removes the mark with a synced commit. A store
// cut off in the middle stays marked; RaftApplied then reports 0, so the
// cluster restores the snapshot again when the member starts.
func (s *Store) Replace(r io.Reader) error {
	_, err := s.do(context.Background(), func(tx *Tx) (any, error) {
		if err := s.replace(r); err != nil {
			return nil, err
		}
		return nil, s.load()
	})
	s.authGen.Add(1) // every account and session may have changed
	s.keysGen.Add(1)
	return err
}

func (s *Store) replace(r io.Reader) error {
	b := s.db.NewBatch()
	_ = b.DeleteRange([]byte{}, []byte{0xff}, nil)
	_ = b.Set(keyRestoring, nil, nil)
	if err := b.Commit(pebble.Sync); err != nil {
		return fmt.Errorf("node: clear store for restore: %w", err)
	}
	zr, err := zstdstream.NewReader(r)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrBadSnapshot, err)
	}
	defer zr.Close()
	br := bufio.NewReaderSize(zr, 1<<20)
	h := sha256.New()
	b = s.db.NewBatch()
	for {
		key, err := readPart(br, h, maxSnapshotKey)
		if err != nil {
			return err
		}
		if len(key) == 0 {
			break
		}
		val, err := readPart(br, h, maxSnapshotValue)
		if err != nil {
			return err
		}
		_ = b.Set(key, val, nil)
		if b.Len() > 4<<20 {
			if err := b.Commit(pebble.NoSync); err != nil {
				return fmt.Errorf("node: restore: %w", err)
			}
			b = s.db.NewBatch()
		}
	}
	var sum [sha256.Size]byte
	if _, err := io.ReadFull(br, sum[:]); err != nil {
		return fmt.Errorf("%w: no checksum: %w", ErrBadSnapshot, err)
	}
	if !bytes.Equal(sum[:], h.Sum(nil)) {
		return fmt.Errorf("%w: checksum mismatch", ErrBadSnapshot)
	}
	_ = b.Delete(keyRestoring, nil)
	if err := b.Commit(pebble.Sync); err != nil {
		return fmt.Errorf("node: restore: %w", err)
	}
	return nil
}

// readPart reads one uvarint-prefixed part of a record (a zero length
// reads nothing), feeding the bytes read to h.
func readPart(br *bufio.Reader, h io.Writer, max uint64) ([]byte, error) {
	n, err := binary.ReadUvarint(br)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadSnapshot, err)
	}
	if n > max {
		return nil, fmt.Errorf("%w: a record of %d bytes", ErrBadSnapshot, n)
	}
	var lenBuf [binary.MaxVarintLen64]byte
	h.Write(lenBuf[:binary.PutUvarint(lenBuf[:], n)])
	if n == 0 {
		return nil, nil
	}
	p := make([]byte, n)
	if _, err := io.ReadFull(br, p); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadSnapshot, err)
	}
	h.Write(p)
	return p, nil
}
