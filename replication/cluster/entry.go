package cluster

import (
	"encoding/binary"
	"fmt"
)

// entryVersion is the first byte of every raft entry this package writes.
const entryVersion = 1

// entry is one raft log entry: a group of commands proposed together, and
// the leader's wall clock when it proposed them, so every member applies
// the group with the same time.
type entry struct {
	wall int64
	cmds [][]byte
}

// encode lays the entry out as: version byte, wall (8 bytes, big-endian),
// command count (uvarint), then each command as a uvarint length and its
// bytes.
func (e *entry) encode() []byte {
	n := 1 + 8 + binary.MaxVarintLen64
	for _, c := range e.cmds {
		n += binary.MaxVarintLen64 + len(c)
	}
	out := make([]byte, 9, n)
	out[0] = entryVersion
	binary.BigEndian.PutUint64(out[1:], uint64(e.wall))
	out = binary.AppendUvarint(out, uint64(len(e.cmds)))
	for _, c := range e.cmds {
		out = binary.AppendUvarint(out, uint64(len(c)))
		out = append(out, c...)
	}
	return out
}

// decodeEntry reads an entry written by encode. Every length is checked
// against what is left, so a damaged entry is an error, never a panic or
// a huge allocation. The commands alias data.
func decodeEntry(data []byte) (*entry, error) {
	if len(data) < 9 {
		return nil, fmt.Errorf("%w: %d bytes, shorter than its header", ErrBadEntry, len(data))
	}
	if data[0] != entryVersion {
		return nil, fmt.Errorf("%w: version %d, this build reads %d", ErrBadEntry, data[0], entryVersion)
	}
	e := &entry{wall: int64(binary.BigEndian.Uint64(data[1:9]))}
	rest := data[9:]
	count, n := binary.Uvarint(rest)
	if n <= 0 || count > uint64(len(rest)) {
		return nil, fmt.Errorf("%w: bad command count", ErrBadEntry)
	}
	rest = rest[n:]
	e.cmds = make([][]byte, 0, count)
	for i := uint64(0); i < count; i++ {
		l, n := binary.Uvarint(rest)
		if n <= 0 || l > uint64(len(rest)-n) {
			return nil, fmt.Errorf("%w: command %d: bad length", ErrBadEntry, i)
		}
		e.cmds = append(e.cmds, rest[n:n+int(l)])
		rest = rest[n+int(l):]
	}
	if len(rest) != 0 {
		return nil, fmt.Errorf("%w: %d bytes after the last command", ErrBadEntry, len(rest))
	}
	return e, nil
}
