package wire

import (
	"strconv"

	"github.com/lumbung/lumbung/schema"
)

// The sync protocol versions this build speaks: it asks for Version and
// answers any version from MinVersion up to it. Two nodes work together
// whenever their ranges overlap, at the highest version both speak.
//
//	2  the exchange of issue 4: a Hello names one version, and a change
//	   whose op the receiver does not know fails the frame.
//	3  Hello and Ack carry each side's range; a change whose op or body
//	   field the receiver does not know is kept, not refused (see
//	   replication/DESIGN.md, "Versions mix").
const (
	MinVersion = 2
	Version    = 3
)

// Range is the span of protocol versions a node speaks.
type Range struct {
	Min int `json:"min"`
	Max int `json:"max"`
}

// Supported is the range this build speaks.
var Supported = Range{Min: MinVersion, Max: Version}

// Has reports whether v is in r.
func (r Range) Has(v int) bool { return r.Min <= v && v <= r.Max }

// Common returns the highest version both r and o speak, or false when
// they share none.
func (r Range) Common(o Range) (int, bool) {
	v := min(r.Max, o.Max)
	return v, v >= max(r.Min, o.Min)
}

// String formats r as "2–3", or "2" for a single version.
func (r Range) String() string {
	if r.Min == r.Max {
		return strconv.Itoa(r.Max)
	}
	return strconv.Itoa(r.Min) + "–" + strconv.Itoa(r.Max)
}

// Hello opens a request.
type Hello struct {
	// Version is the protocol version the sender speaks in this exchange.
	Version int `json:"v"`
	// Min and Max are the range of versions the sender speaks (from
	// version 3; a version-2 sender speaks only Version).
	Min int `json:"min,omitempty"`
	Max int `json:"max,omitempty"`
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
	// Min and Max are the range of versions the receiver speaks (from
	// version 3), so a sender can move up to a newer upstream.
	Min int `json:"min,omitempty"`
	Max int `json:"max,omitempty"`
}

// Range returns the versions the sender of h speaks.
func (h *Hello) Range() Range {
	if h.Min == 0 && h.Max == 0 {
		return Range{Min: h.Version, Max: h.Version}
	}
	return Range{Min: h.Min, Max: h.Max}
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
