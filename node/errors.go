package node

import (
	"errors"
	"fmt"

	"github.com/lumbung/lumbung/internal/groupcommit"
	"github.com/lumbung/lumbung/schema"
)

// The errors a node's reads and writes return. Package httpapi maps each
// to what a client is told (a status, a code and words); errors.Is and
// errors.As see through the wrapping.
var (
	// ErrOutOfScope is a region outside the node's own region.
	ErrOutOfScope = errors.New("node: region outside this node's region")
	// ErrUnknownRegion is a region the imported region list does not hold.
	ErrUnknownRegion = errors.New("node: region not in the region list")
	// ErrEntryNotDesa is monografi entered for a region above the desa,
	// whose figures are aggregated from below.
	ErrEntryNotDesa = errors.New("node: monografi is entered per desa")

	// ErrOfficerExists is an officer added under a name the office has.
	ErrOfficerExists = errors.New("node: an officer of that name exists")

	// ErrBackup marks a file that is not a Lumbung backup, or a restore that
	// would overwrite data.
	ErrBackup = errors.New("node: bad backup")
	// ErrNotAbove means reference data (a catalogue extension, a region list)
	// was to be published by a desa node: only a node above the desa
	// publishes it, for its own region.
	ErrNotAbove = errors.New("node: only a node above the desa publishes reference data")
	// ErrCorrupt means the store's own invariants do not hold.
	ErrCorrupt = errors.New("node: store invariant broken")
	// ErrNotFound means the entity asked for is not held by this node.
	ErrNotFound = errors.New("node: not found")
	// ErrBadCursor means a listing cursor was not one this node issued.
	ErrBadCursor = errors.New("node: bad cursor")
	// ErrConfig marks a configuration that cannot run; the message names the
	// field and the value.
	ErrConfig = errors.New("node: bad configuration")
	// ErrNewerStore means the data directory was written by a newer Lumbung
	// whose store format this binary cannot read. Nothing was changed.
	ErrNewerStore = errors.New("node: data directory written by a newer Lumbung")
	// ErrAlreadySubmitted means a period was submitted already and has not
	// changed since.
	ErrAlreadySubmitted = errors.New("node: monografi already submitted")
	// ErrRegionList means a region list file could not be read; the error
	// names the line.
	ErrRegionList = errors.New("node: bad region list")
	// ErrBadSnapshot means a state snapshot stream is damaged or truncated.
	ErrBadSnapshot = errors.New("node: bad state snapshot")

	// ErrNotCluster means a cluster's operation was asked of a desa node.
	ErrNotCluster = errors.New("node: not a cluster member")
	// ErrNotReady means a cluster has not established its identity yet (its
	// first leader has not written the genesis): writes wait for it.
	ErrNotReady = errors.New("node: cluster not ready")
	// ErrBadResult means the answer the leader sent back for a command
	// could not be read as that command's result (garbled, forged, or the
	// answer to another kind). The command may have been applied.
	ErrBadResult = errors.New("node: unreadable result from the cluster leader")
	// ErrClusterStore means a write was asked of a cluster member's store
	// directly; a member's store is written only through raft.
	ErrClusterStore = errors.New("node: the store belongs to a cluster member; its writes go through raft")
	// ErrClosed means the store was closed before the write ran.
	ErrClosed = groupcommit.ErrClosed
	// ErrStoreFailed means a commit to disk failed; the store takes no
	// more writes until the node restarts and Pebble recovers its WAL.
	ErrStoreFailed = groupcommit.ErrFailed
)

// RegionError is a region a request names that this node does not serve.
type RegionError struct {
	Region schema.Code // the region asked for
	Node   schema.Code // this node's region
	Err    error       // ErrOutOfScope, ErrUnknownRegion or ErrEntryNotDesa
}

func (e *RegionError) Error() string { return fmt.Sprintf("%v: %s (node %s)", e.Err, e.Region, e.Node) }

func (e *RegionError) Unwrap() error { return e.Err }
