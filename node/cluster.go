package node

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/replication/cluster"
	"github.com/lumbung/lumbung/replication/exchange"
	"github.com/lumbung/lumbung/schema"
)

// RaftDir is where a cluster member keeps its raft log and snapshots.
func RaftDir(dataDir string) string { return filepath.Join(dataDir, "raft") }

// stateMachine is the store as the raft cluster replicates it.
type stateMachine struct{ s *Store }

// Apply implements cluster.StateMachine: every command is decoded and
// checked through the registry (decodeCommand), then all run in one
// batch (applyEntry), and each is answered by its kind's result codec.
func (m stateMachine) Apply(index uint64, wall int64, cmds [][]byte) ([][]byte, error) {
	calls := make([]decoded, len(cmds))
	for i, c := range cmds {
		calls[i] = decodeCommand(c)
	}
	errs, err := m.s.applyEntry(context.Background(), index, wall, calls)
	if err != nil {
		return nil, err
	}
	results := make([][]byte, len(cmds))
	for i, c := range calls {
		rerr := errReplayed
		if errs != nil {
			rerr = errs[i]
		}
		results[i] = c.answer(rerr)
	}
	return results, nil
}

var errReplayed = errors.New("node: raft entry replayed")

// Applied implements cluster.StateMachine.
func (m stateMachine) Applied() (uint64, error) { return m.s.RaftApplied() }

// Snapshot implements cluster.StateMachine. The store commits without
// fsync on a cluster member, so it is synced first: raft may compact its
// log up to this snapshot, and the store must hold on disk everything the
// log then no longer does.
func (m stateMachine) Snapshot() (cluster.Snapshot, error) {
	if err := m.s.syncWAL(); err != nil {
		return nil, err
	}
	return m.s.Snapshot(), nil
}

// Restore implements cluster.StateMachine.
func (m stateMachine) Restore(r io.Reader) error { return m.s.Replace(r) }

// wireError is an error as it travels from the leader to the member
// that proposed the command.
type wireError struct {
	Kind   string                `json:"kind"`
	Fields map[string]schema.Msg `json:"fields,omitempty"`
	Msg    schema.Msg            `json:"msg"`
	Action schema.Action         `json:"action,omitempty"`
	Status schema.Status         `json:"status,omitempty"`
	Text   string                `json:"text,omitempty"`
	HTTP   int                   `json:"http,omitempty"`
	Code   string                `json:"code,omitempty"`
}

func toWire(err error) *wireError {
	var ve *schema.ValidationError
	var te *schema.TransitionError
	var ae *ApprovalError
	switch {
	case errors.As(err, &ve):
		return &wireError{Kind: "invalid", Fields: ve.Fields}
	case errors.As(err, &ae):
		return &wireError{Kind: "approval", HTTP: ae.Status, Code: ae.Code, Msg: ae.Msg}
	case errors.As(err, &te):
		return &wireError{Kind: "transition", Msg: te.Msg, Action: te.Action, Status: te.Status}
	case errors.Is(err, ErrNotFound):
		return &wireError{Kind: "not_found"}
	case errors.Is(err, ErrAlreadySubmitted):
		return &wireError{Kind: "already_submitted"}
	case errors.Is(err, ErrNotReady):
		return &wireError{Kind: "not_ready"}
	case errors.Is(err, ErrNotAbove):
		return &wireError{Kind: "not_above"}
	case errors.Is(err, ErrOfficerExists):
		return &wireError{Kind: "officer_exists"}
	case errors.Is(err, officer.ErrSessionEnded):
		return &wireError{Kind: "session_ended"}
	case errors.Is(err, cluster.ErrJoinRefused):
		return &wireError{Kind: "join_refused", Text: err.Error()}
	case errors.Is(err, exchange.ErrBound):
		return &wireError{Kind: "token_bound", Text: err.Error()}
	case errors.Is(err, exchange.ErrGap):
		return &wireError{Kind: "sequence_gap", Text: err.Error()}
	case errors.Is(err, exchange.ErrToken):
		return &wireError{Kind: "bad_token", Text: err.Error()}
	case errors.Is(err, schema.ErrInvalid):
		return &wireError{Kind: "invalid", Fields: map[string]schema.Msg{"(command)": {ID: err.Error(), EN: err.Error()}}}
	}
	return &wireError{Kind: "failed", Text: err.Error()}
}

func fromWire(e *wireError) error {
	switch e.Kind {
	case "invalid":
		return &schema.ValidationError{Fields: e.Fields}
	case "transition":
		return &schema.TransitionError{Action: e.Action, Status: e.Status, Msg: e.Msg}
	case "approval":
		if e.HTTP < 400 || e.HTTP > 499 {
			e.HTTP = 409
		}
		return &ApprovalError{Status: e.HTTP, Code: e.Code, Msg: e.Msg}
	case "not_found":
		return ErrNotFound
	case "already_submitted":
		return ErrAlreadySubmitted
	case "not_ready":
		return ErrNotReady
	case "not_above":
		return ErrNotAbove
	case "officer_exists":
		return ErrOfficerExists
	case "session_ended":
		return officer.ErrSessionEnded
	case "join_refused":
		return fmt.Errorf("%w (%s)", cluster.ErrJoinRefused, e.Text)
	case "token_bound":
		return fmt.Errorf("%w (%s)", exchange.ErrBound, e.Text)
	case "sequence_gap":
		return fmt.Errorf("%w (%s)", exchange.ErrGap, e.Text)
	case "bad_token":
		return fmt.Errorf("%w (%s)", exchange.ErrToken, e.Text)
	}
	return fmt.Errorf("node: write failed on the leader: %s", e.Text)
}

// Consistent makes the next read linearizable (a cluster member catches
// up with the leader's commit index); a desa node is always consistent.
func (n *Node) Consistent(ctx context.Context) error {
	if n.cluster == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, writeTimeout)
	defer cancel()
	return n.cluster.Consistent(ctx)
}

// Cluster returns the node's raft member, nil on a desa node.
func (n *Node) Cluster() *cluster.Cluster { return n.cluster }

// ensureGenesis gives a new cluster its identity: whenever this member
// leads a cluster that has none, it proposes its own incarnation. The
// first genesis applied wins; later ones change nothing.
func (n *Node) ensureGenesis(ctx context.Context) {
	for ctx.Err() == nil { // a closing node stops here, even while it leads
		if done, err := n.store.hasGenesis(); err != nil || done {
			return
		}
		if n.cluster.IsLeader() {
			cmd, _ := encodeCommand(kindGenesis, &genesisInput{Incarnation: n.store.Origin().Incarnation})
			pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			if _, err := n.cluster.Propose(pctx, cmd); err != nil {
				n.log.Warn("cluster genesis not written yet", "err", err)
			}
			cancel()
			continue
		}
		t := time.NewTimer(50 * time.Millisecond)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// RemoveMember removes the member id from this node's cluster, through
// its leader (an admin's lumbung cluster remove).
func (n *Node) RemoveMember(ctx context.Context, id string) error {
	if n.cluster == nil {
		return ErrNotCluster
	}
	return n.cluster.Remove(ctx, id)
}

// catchUp waits until this member has applied everything the cluster had
// committed (after a restart, raft replays the entries the store lost),
// then marks the member ready: before that, local reads could miss
// acknowledged writes.
func (n *Node) catchUp(ctx context.Context) {
	for ctx.Err() == nil {
		cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err := n.cluster.Consistent(cctx)
		cancel()
		if err == nil {
			n.caughtUp.Store(true)
			n.log.Info("cluster member caught up; ready")
			return
		}
		n.log.Warn("cluster member not caught up yet", "err", err)
	}
}

// RecoverCluster makes the stopped cluster member in dir, whose
// configuration is cfg, its cluster's only voter, when the other members
// are lost for good (cluster.Recover; lumbung cluster recover). The store
// is written with fsync here: no raft log stands behind it until the
// member starts again.
func RecoverCluster(dir string, cfg Config, log *slog.Logger) error {
	if cfg.Tier == TierDesa {
		return ErrNotCluster
	}
	key, err := LoadMemberKey(dir)
	if err != nil {
		return err
	}
	sc := DefaultStoreConfig(StoreDir(dir), cfg.Region)
	sc.Logger = log
	st, err := OpenStore(sc)
	if err != nil {
		return err
	}
	err = cluster.Recover(cluster.Config{ID: cfg.AdvertiseURL(), RaftAddr: cfg.RaftAddr, Dir: RaftDir(dir),
		Settings: cluster.DefaultSettings(), Logger: log, MemberKey: key}, stateMachine{st})
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	return err
}
