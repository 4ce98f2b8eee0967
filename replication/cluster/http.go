package cluster

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/raft"
	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/replication/trust"
)

// Paths of the member-to-member API, served by the member server on the
// raft port (members.go), never on the node's HTTP port.
const (
	PathPropose   = "/api/v1/cluster/propose"
	PathReadIndex = "/api/v1/cluster/readindex"
	PathJoin      = "/api/v1/cluster/join"
	PathRemove    = "/api/v1/cluster/remove"
	PathEnroll    = "/api/v1/cluster/enroll"
	// PathLeaderStatus is what a follower asks the leader of its own
	// state (Config.LeaderStatus).
	PathLeaderStatus = "/api/v1/cluster/leader-status"
	// Path and PathStatus are the officers' cluster status, served by
	// the node's API.
	Path       = "/api/v1/cluster"
	PathStatus = "/api/v1/cluster/status"
)

// handler is the member server's: proposals forwarded by followers, read
// indexes, join and remove, to members only, and the enrolment of a
// member-to-be that shows a join token.
func (c *Cluster) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+PathPropose, c.servePropose)
	mux.HandleFunc("POST "+PathReadIndex, c.serveReadIndex)
	mux.HandleFunc("POST "+PathJoin, c.serveJoin)
	mux.HandleFunc("POST "+PathRemove, c.serveRemove)
	mux.HandleFunc("POST "+PathEnroll, c.serveEnroll)
	mux.HandleFunc("POST "+PathLeaderStatus, c.serveLeaderStatus)
	mux.HandleFunc("POST "+PathReads, c.serveReads)
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, http.StatusNotFound, "no_route", msgNoRoute, nil)
	}))
	return c.onlyMembers(mux)
}

// serveMembers runs the member server on the raft port's member
// connections until Close.
func (c *Cluster) serveMembers() {
	c.srv = &http.Server{
		Handler:           c.handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          log.New(io.Discard, "", 0),
		ConnContext: func(ctx context.Context, conn net.Conn) context.Context {
			if p, ok := conn.(*peerConn); ok {
				return context.WithValue(ctx, peerKey{}, p)
			}
			return ctx
		},
	}
	go func() { _ = c.srv.Serve(c.stream.members) }()
}

// memberClient is the HTTP client of a member calling another: TLS as a
// member on the raft port, the peer checked to be the member raft names
// at that address.
func (c *Cluster) memberClient() *http.Client {
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		DialTLSContext: func(ctx context.Context, _, addr string) (net.Conn, error) {
			conn, err := c.tls.dial(ctx, addr, trust.ProtoMember)
			if err != nil {
				return nil, &net.OpError{Op: "dial", Net: "tcp", Err: err}
			}
			return &peerConn{Conn: conn}, nil // HTTP/1.1 over it, whatever ALPN said
		},
		MaxIdleConnsPerHost: 4,
		IdleConnTimeout:     time.Minute,
	}}
}

// The words a client of the cluster API may read, by error code.
var (
	msgNotLeader = locale.Define("cluster.not_leader", "Anggota ini bukan pemimpin klaster; kirim ke pemimpin.",
		"This member is not the cluster leader; send it to the leader.")
	msgUnknownOutcome = locale.Define("cluster.unknown_outcome", "Hasil penyimpanan belum pasti karena pemimpin klaster berganti; periksa dulu sebelum mengulang.",
		"The outcome is not known because the cluster leader changed; check before trying again.")
	msgUnavailable = locale.Define("cluster.unavailable", "Klaster belum dapat menyimpan data (tidak ada pemimpin); coba lagi sebentar lagi.",
		"The cluster cannot store data now (no leader); try again shortly.")
	msgBadRequest = locale.Define("cluster.bad_request", "Permintaan klaster tidak sah.", "The cluster request is not valid.")
	msgNoRoute    = locale.Define("cluster.no_route", "Titik akhir klaster ini tidak ada.", "No such cluster endpoint.")
	msgJoinToken  = locale.Define("cluster.join_refused", "Token gabung ditolak: tidak dikenal, sudah dipakai atau kedaluwarsa. Minta token baru ke admin klaster (lumbung cluster join-token).",
		"The join token was refused: unknown, used or expired. Ask the cluster's admin for a new one (lumbung cluster join-token).")
	msgOtherCluster = locale.Define("cluster.other_cluster", "Token gabung ini untuk klaster lain.", "This join token is for another cluster.")
)

// writeError answers with code and its message, followed by err in
// parentheses when there is one.
func writeError(w http.ResponseWriter, r *http.Request, status int, code string, key locale.Key, err error) {
	msg := key.Text()
	if err != nil {
		msg.ID += " (" + err.Error() + ")"
		msg.EN += " (" + err.Error() + ")"
	}
	locale.WriteError(w, r, &locale.Problem{Status: status, Code: code, Msg: msg})
}

// failure maps an error of this package to an HTTP answer.
func failure(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, errRetry):
		writeError(w, r, http.StatusMisdirectedRequest, "not_leader", msgNotLeader, nil)
	case errors.Is(err, ErrUnknownOutcome):
		writeError(w, r, http.StatusServiceUnavailable, "unknown_outcome", msgUnknownOutcome, err)
	case errors.Is(err, ErrNotMember):
		writeError(w, r, http.StatusForbidden, "not_this_member", msgNotThisMember, err)
	default:
		writeError(w, r, http.StatusServiceUnavailable, "unavailable", msgUnavailable, err)
	}
}

func (c *Cluster) servePropose(w http.ResponseWriter, r *http.Request) {
	if !c.currentMember(w, r) {
		return
	}
	if !c.IsLeader() {
		failure(w, r, errRetry)
		return
	}
	cmd, err := io.ReadAll(http.MaxBytesReader(w, r.Body, int64(c.cfg.Settings.MaxEntryBytes)))
	if err != nil {
		writeError(w, r, http.StatusRequestEntityTooLarge, "bad_request", msgBadRequest, err)
		return
	}
	res, err := c.batch.submit(r.Context(), cmd)
	if err != nil {
		failure(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("X-Raft-Index", strconv.FormatUint(res.Index, 10))
	_, _ = w.Write(res.Data)
}

func (c *Cluster) serveReadIndex(w http.ResponseWriter, r *http.Request) {
	if !c.currentMember(w, r) {
		return
	}
	if !c.IsLeader() {
		failure(w, r, errRetry)
		return
	}
	idx, err := c.barrier(r.Context())
	if err != nil {
		failure(w, r, err)
		return
	}
	locale.WriteJSON(w, http.StatusOK, map[string]uint64{"index": idx})
}

func (c *Cluster) serveLeaderStatus(w http.ResponseWriter, r *http.Request) {
	if !c.currentMember(w, r) {
		return
	}
	if !c.IsLeader() {
		failure(w, r, errRetry)
		return
	}
	b, err := c.leaderStatus()
	if err != nil {
		failure(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}

func (c *Cluster) leaderStatus() ([]byte, error) {
	if c.cfg.LeaderStatus == nil {
		return []byte("null"), nil
	}
	return c.cfg.LeaderStatus()
}

// LeaderStatus returns what the leader says of itself (Config.LeaderStatus),
// asking it when this member is a follower.
func (c *Cluster) LeaderStatus(ctx context.Context) ([]byte, error) {
	for {
		err := errRetry
		var b []byte
		if c.IsLeader() {
			b, err = c.leaderStatus()
		} else if addr, id := c.leader(); id != "" && id != c.cfg.ID {
			b, _, err = c.post(ctx, addr, PathLeaderStatus, "application/json", nil)
		}
		if !errors.Is(err, errRetry) {
			return b, err
		}
		if err := c.pause(ctx); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrNoLeader, err)
		}
	}
}

// forward sends cmd to the leader's propose endpoint (at its raft
// address). The answer is checked: one without a raft index is an
// unknown outcome, never a result.
func (c *Cluster) forward(ctx context.Context, leaderAddr string, cmd []byte) (Result, error) {
	body, hdr, err := c.post(ctx, leaderAddr, PathPropose, "application/octet-stream", cmd)
	if err != nil {
		return Result{}, err
	}
	idx, err := strconv.ParseUint(hdr.Get("X-Raft-Index"), 10, 64)
	if err != nil || idx == 0 {
		return Result{}, fmt.Errorf("%w: leader sent no raft index", ErrUnknownOutcome)
	}
	return Result{Index: idx, Data: body}, nil
}

func (c *Cluster) remoteReadIndex(ctx context.Context, leaderAddr string) (uint64, error) {
	body, _, err := c.post(ctx, leaderAddr, PathReadIndex, "application/json", nil)
	if err != nil {
		return 0, err
	}
	var out struct{ Index uint64 }
	if err := json.Unmarshal(body, &out); err != nil {
		return 0, fmt.Errorf("%w: read index from %s: %w", errRetry, leaderAddr, err)
	}
	return out.Index, nil
}

// post sends a request to the member at addr (its raft address). A
// refused dial (the peer was not reached, or is not who raft names
// there) or a 421 means the request was not acted on (errRetry); any
// other failure after the request may have been sent is
// ErrUnknownOutcome.
func (c *Cluster) post(ctx context.Context, addr, path, ctype string, body []byte) ([]byte, http.Header, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "https://"+addr+path, bytes.NewReader(body))
	if err != nil {
		return nil, nil, fmt.Errorf("cluster: %w", err)
	}
	req.Header.Set("Content-Type", ctype)
	resp, err := c.client.Do(req)
	if err != nil {
		var op *net.OpError
		if errors.As(err, &op) && op.Op == "dial" {
			return nil, nil, errRetry
		}
		return nil, nil, fmt.Errorf("%w: %w", ErrUnknownOutcome, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	switch {
	case err != nil:
		return nil, nil, fmt.Errorf("%w: %w", ErrUnknownOutcome, err)
	case resp.StatusCode == http.StatusMisdirectedRequest:
		return nil, nil, errRetry
	case resp.StatusCode != http.StatusOK:
		return nil, nil, fmt.Errorf("%w: %s answered %d: %s", ErrUnknownOutcome, addr, resp.StatusCode,
			strings.TrimSpace(string(out)))
	}
	return out, resp.Header, nil
}

// JoinRequest asks the cluster to add a member.
type JoinRequest struct {
	ID       string `json:"id"`
	RaftAddr string `json:"raft_addr"`
}

// RemoveRequest asks the cluster to remove a member.
type RemoveRequest struct {
	ID string `json:"id"`
}

func (c *Cluster) serveJoin(w http.ResponseWriter, r *http.Request) {
	var req JoinRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, 4096)).Decode(&req); err != nil || req.ID == "" || req.RaftAddr == "" {
		writeError(w, r, http.StatusBadRequest, "bad_request", msgBadRequest, err)
		return
	}
	if p := peerOf(r); p.id != req.ID {
		writeError(w, r, http.StatusForbidden, "not_this_member", msgNotThisMember, nil)
		return
	}
	if err := c.Join(r.Context(), req.ID, req.RaftAddr); err != nil {
		failure(w, r, err)
		return
	}
	locale.WriteJSON(w, http.StatusOK, map[string]string{"joined": req.ID})
}

func (c *Cluster) serveRemove(w http.ResponseWriter, r *http.Request) {
	if !c.currentMember(w, r) {
		return
	}
	var req RemoveRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, 4096)).Decode(&req); err != nil || req.ID == "" {
		writeError(w, r, http.StatusBadRequest, "bad_request", msgBadRequest, err)
		return
	}
	if err := c.Remove(r.Context(), req.ID); err != nil {
		failure(w, r, err)
		return
	}
	locale.WriteJSON(w, http.StatusOK, map[string]string{"removed": req.ID})
}

// Join adds a voting member (through the leader, wherever it is). The
// leader first dials raftAddr and checks that the member there holds a
// certificate naming id, so no phantom voter enters the configuration. A
// member already present at the same address is left as it is.
func (c *Cluster) Join(ctx context.Context, id, raftAddr string) error {
	return c.membership(ctx, PathJoin, JoinRequest{ID: id, RaftAddr: raftAddr}, func() error {
		if err := c.probe(ctx, raftAddr, id); err != nil {
			return err
		}
		return c.raft.AddVoter(raft.ServerID(id), raft.ServerAddress(raftAddr), 0, timeoutOf(ctx)).Error()
	})
}

// probe checks that the member at raftAddr is id.
func (c *Cluster) probe(ctx context.Context, raftAddr, id string) error {
	if c.stream.plain {
		return nil // benchmarks only (Config.plainRaft)
	}
	d := tls.Dialer{Config: c.tls.auth.ClientConfig(c.tls.leaf, trust.ProtoMember, id)}
	conn, err := d.DialContext(ctx, "tcp", raftAddr)
	if err != nil {
		return fmt.Errorf("%w: %s at %s: %w", ErrNotMember, id, raftAddr, err)
	}
	return conn.Close()
}

// JoinVia asks the cluster, through its member at raftAddr, to add this
// member (a member-to-be that holds the cluster's key).
func (c *Cluster) JoinVia(ctx context.Context, raftAddr string) error {
	body, _ := json.Marshal(JoinRequest{ID: c.cfg.ID, RaftAddr: c.cfg.RaftAddr})
	if _, _, err := c.post(ctx, raftAddr, PathJoin, "application/json", body); err != nil {
		return fmt.Errorf("cluster: join through %s: %w", raftAddr, err)
	}
	return nil
}

// Remove removes a member (through the leader, wherever it is).
func (c *Cluster) Remove(ctx context.Context, id string) error {
	return c.membership(ctx, PathRemove, RemoveRequest{ID: id}, func() error {
		return c.raft.RemoveServer(raft.ServerID(id), 0, timeoutOf(ctx)).Error()
	})
}

func (c *Cluster) membership(ctx context.Context, path string, req any, local func() error) error {
	for {
		err := errRetry
		if c.IsLeader() {
			err = local()
			if errors.Is(err, raft.ErrNotLeader) || errors.Is(err, raft.ErrLeadershipLost) {
				err = errRetry
			}
		} else if addr, id := c.leader(); id != "" && id != c.cfg.ID {
			body, _ := json.Marshal(req)
			_, _, err = c.post(ctx, addr, path, "application/json", body)
		}
		if !errors.Is(err, errRetry) {
			if err != nil {
				return fmt.Errorf("cluster: %s: %w", strings.TrimPrefix(path, "/api/v1/cluster/"), err)
			}
			return nil
		}
		if err := c.pause(ctx); err != nil {
			return fmt.Errorf("%w: %w", ErrNoLeader, err)
		}
	}
}

func timeoutOf(ctx context.Context) time.Duration {
	if d, ok := ctx.Deadline(); ok {
		return time.Until(d)
	}
	return 0
}
