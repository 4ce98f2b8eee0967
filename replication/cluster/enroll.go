package cluster

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/replication/trust"
)

// A member-to-be enrols before it joins: it dials a member's raft port
// with the join token's fingerprint pinned (trust.JoinConfig), shows the
// token, and receives the cluster's secret, from which it derives the CA
// and issues itself a certificate like any member; then it joins (Join)
// as a member. The token is checked and spent through raft (Config.Admit)
// so it lets in one member, once, before it expires; a stranger without a
// valid token never reaches raft.

// EnrollRequest is what a member-to-be sends to enrol: its join token
// and the member it will join as.
type EnrollRequest struct {
	Token string `json:"token"`
	JoinRequest
}

// EnrollAnswer is what an enrolled member receives: the cluster's key.
type EnrollAnswer struct {
	MemberKey string `json:"member_key"`
}

func (c *Cluster) serveEnroll(w http.ResponseWriter, r *http.Request) {
	var req EnrollRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, 4096)).Decode(&req); err != nil {
		writeError(w, r, http.StatusBadRequest, "bad_request", msgBadRequest, err)
		return
	}
	tok, err := trust.ParseJoinToken(req.Token)
	if err == nil {
		err = checkMember(req.ID, req.RaftAddr)
	}
	if err != nil {
		writeError(w, r, http.StatusBadRequest, "bad_request", msgBadRequest, err)
		return
	}
	if tok.CA != c.tls.auth.Fingerprint() {
		writeError(w, r, http.StatusForbidden, "other_cluster", msgOtherCluster, nil)
		return
	}
	if c.cfg.Admit == nil {
		writeError(w, r, http.StatusForbidden, "join_token", msgJoinToken, nil)
		return
	}
	if err := c.cfg.Admit(r.Context(), tok.Hash(), req.ID, r.RemoteAddr); err != nil {
		if errors.Is(err, ErrJoinRefused) {
			writeError(w, r, http.StatusForbidden, "join_token", msgJoinToken, nil)
			return
		}
		failure(w, r, err)
		return
	}
	c.log.Info("member enrolled with a join token", "member", req.ID, "raft", req.RaftAddr)
	locale.WriteJSON(w, http.StatusOK, EnrollAnswer{MemberKey: c.cfg.MemberKey})
}

// checkMember checks a member's ID (its http:// or https:// URL) and raft
// address (host:port).
func checkMember(id, raftAddr string) error {
	u, err := url.Parse(id)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%w: member id %q must be the member's URL", ErrConfig, id)
	}
	if _, _, err := net.SplitHostPort(raftAddr); err != nil {
		return fmt.Errorf("%w: raft address %q: %w", ErrConfig, raftAddr, err)
	}
	return nil
}

// Enroll enrols the member id (whose raft will listen on raftAddr) into
// the cluster whose member listens on raft port addr, with a join token,
// and returns the cluster's key. It refuses a cluster whose CA is not the
// token's (trust.ErrNotMember) and a token the cluster refused
// (ErrJoinRefused).
func Enroll(ctx context.Context, addr, token, id, raftAddr string) (string, error) {
	tok, err := trust.ParseJoinToken(token)
	if err != nil {
		return "", err
	}
	if err := checkMember(id, raftAddr); err != nil {
		return "", err
	}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		DialTLSContext: func(ctx context.Context, _, a string) (net.Conn, error) {
			d := tls.Dialer{Config: trust.JoinConfig(tok.CA)}
			conn, err := d.DialContext(ctx, "tcp", a)
			if err != nil {
				return nil, err
			}
			return &peerConn{Conn: conn}, nil
		},
	}}
	defer client.CloseIdleConnections()
	body, _ := json.Marshal(EnrollRequest{Token: tok.String(), JoinRequest: JoinRequest{ID: id, RaftAddr: raftAddr}})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "https://"+addr+PathEnroll, bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("cluster: enrol: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("cluster: enrol through %s: %w", addr, err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode == http.StatusForbidden {
		return "", fmt.Errorf("%w: %s", ErrJoinRefused, strings.TrimSpace(string(out)))
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("cluster: enrol through %s: answered %d: %s", addr, resp.StatusCode, strings.TrimSpace(string(out)))
	}
	var ans EnrollAnswer
	if err := json.Unmarshal(out, &ans); err != nil || !ValidMemberKey(ans.MemberKey) {
		return "", fmt.Errorf("cluster: enrol through %s: no member key in its answer", addr)
	}
	// The key must derive the CA the token names: a member cannot hand
	// out another cluster's key.
	auth, err := trust.Derive(ans.MemberKey)
	if err != nil || auth.Fingerprint() != tok.CA {
		return "", fmt.Errorf("%w: the key it sent is not its cluster's", trust.ErrNotMember)
	}
	return ans.MemberKey, nil
}
