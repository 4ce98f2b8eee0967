package wire

import (
	"github.com/lumbung/lumbung/schema"
)

// Version is the protocol version this build speaks. A server refuses a
// Hello of another version with a message naming both.
const Version = 2

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
