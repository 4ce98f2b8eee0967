package wire

import (
	"encoding/binary"
	"fmt"

	"github.com/lumbung/lumbung/schema"
)

// Version is the protocol version this build speaks. A server refuses a
// Hello of another version with a message naming both.
const Version = 1

// Hello opens a request.
type Hello struct {
	// Version is the sender's protocol version.
	Version int `json:"v"`
	// Origin is the sender's identity: its region and the incarnation of
	// its log. Log positions (From) are positions in that incarnation.
	Origin schema.Origin `json:"origin"`
	// Dicts are the dictionaries the sender can read, for the response.
	Dicts []uint16 `json:"dicts"`
	// Catalogue is the monografi catalogue version the sender runs.
	Catalogue int `json:"catalogue"`
	// From is the sender's log position its uplink frames start after:
	// everything up to it has been acknowledged.
	From uint64 `json:"from"`
	// Down is the sender's downlink cursor: the position in the
	// receiver's log it has applied everything in its scope up to.
	Down uint64 `json:"down"`
	// Budget bounds the downlink bytes the response may carry.
	Budget int `json:"budget"`
	// Frame is the size a downlink frame should aim at, from the rate the
	// sender measured.
	Frame int `json:"frame"`
	// Wait asks the receiver to hold the request up to this many seconds
	// until something arrives for the sender, when there is nothing yet.
	Wait int `json:"wait,omitempty"`
	// Clock is the sender's wall clock in Unix milliseconds.
	Clock int64 `json:"clock"`
}

// Ack opens a response: what the receiver holds of the sender's log.
type Ack struct {
	// Acked is the highest position of the sender's log (in the Hello's
	// incarnation) the receiver holds durably: every change up to it is
	// committed (through raft at a cluster).
	Acked uint64 `json:"acked"`
	// Applied and Duplicates count the changes of this request that were
	// new and those already held.
	Applied    int `json:"applied,omitempty"`
	Duplicates int `json:"duplicates,omitempty"`
	// Clock is the receiver's wall clock in Unix milliseconds.
	Clock int64 `json:"clock"`
}

// End closes a body.
type End struct {
	// Frames counts the change frames before it, so a body that lost a
	// frame is told from one that had none.
	Frames int `json:"frames,omitempty"`
	// Down is, in a response, the downlink cursor after this response:
	// the receiver scanned its log up to it.
	Down uint64 `json:"down,omitempty"`
	// More says, in a response, that the budget ran out before the log.
	More bool `json:"more,omitempty"`
}

// Batch is the content of a Changes frame.
type Batch struct {
	// Last is the log position the batch ends at: the sender's position
	// of its last change uplink, the downlink cursor after it downlink.
	Last uint64
	// Changes in log order.
	Changes []*schema.Change
}

// EncodeBatch encodes b: Last and the count as uvarints, then each change's
// canonical encoding prefixed by its length.
func EncodeBatch(b *Batch) []byte {
	out := binary.AppendUvarint(nil, b.Last)
	out = binary.AppendUvarint(out, uint64(len(b.Changes)))
	for _, c := range b.Changes {
		enc := schema.EncodeChange(c)
		out = binary.AppendUvarint(out, uint64(len(enc)))
		out = append(out, enc...)
	}
	return out
}

// DecodeBatch decodes and checks a Changes payload: every change must
// decode and pass schema's checks, or the batch is refused whole.
func DecodeBatch(p []byte) (*Batch, error) {
	last, p, err := uvarint(p)
	if err != nil {
		return nil, err
	}
	n, p, err := uvarint(p)
	if err != nil {
		return nil, err
	}
	if n > uint64(len(p)) {
		return nil, fmt.Errorf("%w: a batch claims %d changes in %d bytes", ErrMessage, n, len(p))
	}
	b := &Batch{Last: last, Changes: make([]*schema.Change, 0, n)}
	for i := uint64(0); i < n; i++ {
		var size uint64
		if size, p, err = uvarint(p); err != nil {
			return nil, err
		}
		if size > uint64(len(p)) || size > schema.MaxChangeSize {
			return nil, fmt.Errorf("%w: change %d claims %d bytes", ErrMessage, i+1, size)
		}
		c, err := schema.DecodeChange(p[:size])
		if err != nil {
			return nil, fmt.Errorf("%w: change %d: %w", ErrMessage, i+1, err)
		}
		if err := c.Check(); err != nil {
			return nil, fmt.Errorf("%w: change %d: %w", ErrMessage, i+1, err)
		}
		b.Changes = append(b.Changes, c)
		p = p[size:]
	}
	if len(p) != 0 {
		return nil, fmt.Errorf("%w: %d bytes after the last change", ErrMessage, len(p))
	}
	return b, nil
}

func uvarint(p []byte) (uint64, []byte, error) {
	v, n := binary.Uvarint(p)
	if n <= 0 {
		return 0, nil, fmt.Errorf("%w: a number is cut or too long", ErrMessage)
	}
	return v, p[n:], nil
}
