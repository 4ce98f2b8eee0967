package raftstore

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/raft"
)

// ErrCorrupt means a stored entry could not be decoded.
var ErrCorrupt = errors.New("raftstore: corrupt log entry")

// maxField bounds one decoded field, so a corrupt length cannot make the
// decoder allocate without limit.
const maxField = 64 << 20

// codecVersion is the first byte of every entry: the raft log's format
// record, per entry. A release that changes the layout writes a higher
// one, and an older binary refuses its entries with ErrNewer rather than
// misread them.
const codecVersion = 1

// ErrNewer means a log entry was written by a newer Lumbung, in a layout
// this binary does not read: upgrade this member.
var ErrNewer = errors.New("raftstore: log entry written by a newer Lumbung; upgrade this member")

// encodeLog writes an entry as: version, term, type, appended-at (unix
// nanoseconds), then data and extensions each as a uvarint length and the
// bytes. The index is the key, not part of the value.
func encodeLog(l *raft.Log) []byte {
	b := make([]byte, 0, 1+8+1+8+2*binary.MaxVarintLen64+len(l.Data)+len(l.Extensions))
	b = append(b, codecVersion)
	b = binary.BigEndian.AppendUint64(b, l.Term)
	b = append(b, byte(l.Type))
	var at int64
	if !l.AppendedAt.IsZero() {
		at = l.AppendedAt.UnixNano()
	}
	b = binary.BigEndian.AppendUint64(b, uint64(at))
	b = binary.AppendUvarint(b, uint64(len(l.Data)))
	b = append(b, l.Data...)
	b = binary.AppendUvarint(b, uint64(len(l.Extensions)))
	return append(b, l.Extensions...)
}

// decodeLog fills l from an encoded entry; it never panics.
func decodeLog(index uint64, b []byte, l *raft.Log) error {
	if len(b) > 0 && b[0] > codecVersion {
		return fmt.Errorf("%w: index %d: layout %d, this binary reads %d", ErrNewer, index, b[0], codecVersion)
	}
	if len(b) < 18 || b[0] != codecVersion {
		return fmt.Errorf("%w: index %d: bad header", ErrCorrupt, index)
	}
	l.Index = index
	l.Term = binary.BigEndian.Uint64(b[1:9])
	l.Type = raft.LogType(b[9])
	l.AppendedAt = time.Time{}
	if at := int64(binary.BigEndian.Uint64(b[10:18])); at != 0 {
		l.AppendedAt = time.Unix(0, at)
	}
	rest := b[18:]
	var err error
	if l.Data, rest, err = field(rest); err != nil {
		return fmt.Errorf("%w: index %d: data: %w", ErrCorrupt, index, err)
	}
	if l.Extensions, rest, err = field(rest); err != nil {
		return fmt.Errorf("%w: index %d: extensions: %w", ErrCorrupt, index, err)
	}
	if len(rest) != 0 {
		return fmt.Errorf("%w: index %d: %d trailing bytes", ErrCorrupt, index, len(rest))
	}
	return nil
}

var errShort = errors.New("length beyond the entry")

func field(b []byte) ([]byte, []byte, error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > maxField || n > uint64(len(b)-k) {
		return nil, nil, errShort
	}
	if n == 0 {
		return nil, b[k:], nil
	}
	out := make([]byte, n)
	copy(out, b[k:k+int(n)])
	return out, b[k+int(n):], nil
}
