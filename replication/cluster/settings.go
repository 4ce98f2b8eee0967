package cluster

import (
	"fmt"
	"time"
)

// Settings are the raft timings and limits of a regional cluster. The
// defaults are chosen for a kecamatan or kabupaten office: two to five
// servers on one office network or a leased line between offices, a
// write load of a few thousand changes a day with bursts when desa
// catch up after days offline, and members that go down for hours when
// the power does.
type Settings struct {
	// HeartbeatTimeout is how long a follower waits without hearing from
	// the leader before it stands for election. 2 s rides out the
	// stalls of a busy office network or a laptop-class server under
	// load without needless elections; a failover then takes 2–4 s,
	// which nobody at a counter notices because intake retries.
	HeartbeatTimeout time.Duration
	// ElectionTimeout bounds an election in the candidate state; the
	// same 2 s for the same reason.
	ElectionTimeout time.Duration
	// LeaderLeaseTimeout is how long a leader stays leader without
	// hearing from a quorum; it must be below HeartbeatTimeout.
	LeaderLeaseTimeout time.Duration
	// CommitTimeout is the longest a follower waits to learn that an
	// entry committed when nothing else is sent: 50 ms.
	CommitTimeout time.Duration
	// MaxAppendEntries is how many entries one AppendEntries RPC carries.
	// Each entry is a group of writes (up to MaxEntryBytes), so 32
	// entries keep one RPC below 8 MiB on a slow line.
	MaxAppendEntries int
	// MaxEntryBytes bounds one raft entry: a group of writes stops
	// growing at this size.
	MaxEntryBytes int
	// TrailingLogs is how many entries stay in the log after a snapshot,
	// so a member that was down catches up by replaying them rather than
	// by a whole snapshot. At the expected load one entry is about one
	// write: 20,000 entries cover a member down for several days, and a
	// burst of desa syncs is grouped into few entries.
	TrailingLogs uint64
	// SnapshotThreshold is how many new entries trigger a snapshot;
	// SnapshotInterval is how often raft checks it. A snapshot streams the
	// whole state store, so it is taken rarely.
	SnapshotThreshold uint64
	SnapshotInterval  time.Duration
	// InFlight is how many raft entries of grouped writes the leader may
	// have in flight at once: while they commit, new writes gather into
	// the next group.
	InFlight int
}

// DefaultSettings returns the settings for a real office cluster.
func DefaultSettings() Settings {
	return Settings{
		HeartbeatTimeout:   2 * time.Second,
		ElectionTimeout:    2 * time.Second,
		LeaderLeaseTimeout: time.Second,
		CommitTimeout:      50 * time.Millisecond,
		MaxAppendEntries:   32,
		MaxEntryBytes:      256 << 10,
		TrailingLogs:       20000,
		SnapshotThreshold:  8192,
		SnapshotInterval:   2 * time.Minute,
		InFlight:           4,
	}
}

// LoopbackSettings returns settings for members on one machine (tests,
// the demo): fast failure detection on a link that never stalls.
func LoopbackSettings() Settings {
	s := DefaultSettings()
	s.HeartbeatTimeout = 300 * time.Millisecond
	s.ElectionTimeout = 300 * time.Millisecond
	s.LeaderLeaseTimeout = 200 * time.Millisecond
	s.CommitTimeout = 5 * time.Millisecond
	s.InFlight = 16
	return s
}

// Validate names the first setting that raft would refuse or that
// would make the cluster unsafe.
func (s Settings) Validate() error {
	switch {
	case s.HeartbeatTimeout < 5*time.Millisecond:
		return fmt.Errorf("%w: heartbeat timeout %v is below 5ms", ErrConfig, s.HeartbeatTimeout)
	case s.ElectionTimeout < s.HeartbeatTimeout:
		return fmt.Errorf("%w: election timeout %v is below the heartbeat timeout %v", ErrConfig, s.ElectionTimeout, s.HeartbeatTimeout)
	case s.LeaderLeaseTimeout <= 0 || s.LeaderLeaseTimeout > s.HeartbeatTimeout:
		return fmt.Errorf("%w: leader lease %v must be above 0 and at most the heartbeat timeout %v", ErrConfig, s.LeaderLeaseTimeout, s.HeartbeatTimeout)
	case s.CommitTimeout <= 0:
		return fmt.Errorf("%w: commit timeout %v must be above 0", ErrConfig, s.CommitTimeout)
	case s.MaxAppendEntries < 1 || s.MaxAppendEntries > 1024:
		return fmt.Errorf("%w: max append entries %d must be 1 to 1024", ErrConfig, s.MaxAppendEntries)
	case s.MaxEntryBytes < 4<<10:
		return fmt.Errorf("%w: max entry bytes %d is below 4 KiB", ErrConfig, s.MaxEntryBytes)
	case s.SnapshotThreshold < 1 || s.SnapshotInterval < 5*time.Millisecond:
		return fmt.Errorf("%w: snapshot threshold %d and interval %v must be positive", ErrConfig, s.SnapshotThreshold, s.SnapshotInterval)
	case s.InFlight < 1:
		return fmt.Errorf("%w: in-flight entries %d must be at least 1", ErrConfig, s.InFlight)
	}
	return nil
}
