package testcluster

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/hashicorp/raft"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/replication/cluster"
	"github.com/lumbung/lumbung/replication/trust"
)

// TestMemberAttacks replays, against a real 3-member cluster over
// loopback, what the security review did as an outsider who could reach
// its raft port, and what an insider holding a member's certificate could
// still try. Each is refused, and afterwards every member holds the same
// state as before (digests), the same three members and the same term:
//
//   - a stranger's cluster asks to join (the review's serve --join);
//   - a client with no certificate, or one of another cluster, asks to
//     propose, read an index, join or remove;
//   - a member-to-be (join protocol, no certificate) asks for anything
//     but enrolment, or enrols with a token the cluster never issued;
//   - a member's certificate asks to join a phantom voter at an address
//     where no member listens, or in another member's name;
//   - a raw raft client claims leadership at term 1000.
func TestMemberAttacks(t *testing.T) {
	c := NewCluster(t, 3, ClusterOptions{Region: "32.14.01"})
	WaitClusterConverged(t, c)
	target := c.Members[0]
	key, err := node.LoadMemberKey(target.Data)
	if err != nil {
		t.Fatal(err)
	}
	before := snapshotCluster(t, c)

	// A stranger's own one-member cluster asks to join through the raft
	// port: neither side's certificate verifies under the other's CA.
	stranger := NewCluster(t, 1, ClusterOptions{Region: "32.14.01"})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := stranger.Members[0].Node().Cluster().JoinVia(ctx, target.RaftAddr); err == nil {
		t.Error("a stranger's cluster joined")
	}

	own, err := trust.Derive(key)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := trust.Derive(trust.NewSecret())
	otherLeaf, _ := other.Issue("http://127.0.0.1:1", time.Now())
	insider, _ := own.Issue("http://127.0.0.1:2", time.Now())
	noCert := &tls.Config{InsecureSkipVerify: true, NextProtos: []string{trust.ProtoMember}}
	join := trust.JoinConfig(own.Fingerprint())
	proposal := `{"kind":"officer.add","v":1,"account":{"name":"penyusup","role":"admin"}}`
	phantom := `{"id":"http://127.0.0.1:2","raft_addr":"127.0.0.1:1"}`
	for _, tc := range []struct {
		what   string
		tls    *tls.Config
		path   string
		body   string
		status int // 0: no answer at all (refused at the handshake)
	}{
		{"plain TCP, no TLS", nil, cluster.PathPropose, proposal, 0},
		{"no certificate, propose", noCert, cluster.PathPropose, proposal, 0},
		{"no certificate, join", noCert, cluster.PathJoin, phantom, 0},
		{"another cluster's certificate, propose", other.ClientConfig(otherLeaf, trust.ProtoMember, ""), cluster.PathPropose, proposal, 0},
		{"a member-to-be, propose", join, cluster.PathPropose, proposal, 401},
		{"a member-to-be, read index", join, cluster.PathReadIndex, "", 401},
		{"a member-to-be, remove", join, cluster.PathRemove, `{"id":"` + c.Members[1].URL + `"}`, 401},
		{"a member-to-be with a made-up token", join, cluster.PathEnroll,
			`{"token":"` + trust.NewJoinToken(own.Fingerprint()).String() + `","id":"http://127.0.0.1:2","raft_addr":"127.0.0.1:1"}`, 403},
		{"a member-to-be with another cluster's token", join, cluster.PathEnroll,
			`{"token":"` + trust.NewJoinToken(other.Fingerprint()).String() + `","id":"http://127.0.0.1:2","raft_addr":"127.0.0.1:1"}`, 403},
		{"a member's certificate not in the cluster, propose", own.ClientConfig(insider, trust.ProtoMember, ""), cluster.PathPropose, proposal, 403},
		{"a member's certificate not in the cluster, remove", own.ClientConfig(insider, trust.ProtoMember, ""), cluster.PathRemove, `{"id":"` + c.Members[1].URL + `"}`, 403},
		{"a phantom voter where no member listens", own.ClientConfig(insider, trust.ProtoMember, ""), cluster.PathJoin, phantom, 403},
		{"a join in another member's name", own.ClientConfig(insider, trust.ProtoMember, ""), cluster.PathJoin,
			`{"id":"http://127.0.0.1:3","raft_addr":"` + target.RaftAddr + `"}`, 403},
	} {
		status, body := rawMemberPost(t, target.RaftAddr, tc.tls, tc.path, tc.body)
		if status != tc.status {
			t.Errorf("%s: answered %d %s, want %d", tc.what, status, body, tc.status)
		}
	}

	// A raw raft client with no certificate: it cannot even be heard.
	trans, err := raft.NewTCPTransport("127.0.0.1:0", nil, 1, 5*time.Second, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer trans.Close()
	var resp raft.AppendEntriesResponse
	err = trans.AppendEntries(raft.ServerID(target.URL), raft.ServerAddress(target.RaftAddr), &raft.AppendEntriesRequest{
		RPCHeader: raft.RPCHeader{ID: []byte("http://127.0.0.1:9"), Addr: []byte(trans.LocalAddr())}, Term: 1000,
		LeaderCommitIndex: 1}, &resp)
	if err == nil {
		t.Errorf("a raw raft client was answered: %+v", resp)
	}
	var vote raft.RequestVoteResponse
	if err := trans.RequestVote(raft.ServerID(target.URL), raft.ServerAddress(target.RaftAddr), &raft.RequestVoteRequest{
		RPCHeader: raft.RPCHeader{ID: []byte("http://127.0.0.1:9"), Addr: []byte(trans.LocalAddr())}, Term: 1000}, &vote); err == nil {
		t.Errorf("a raw raft vote request was answered: %+v", vote)
	}

	if after := snapshotCluster(t, c); after != before {
		t.Fatalf("the cluster changed under the attacks:\nbefore %+v\nafter  %+v", before, after)
	}
}

// clusterSnapshot is what an attack must leave as it was.
type clusterSnapshot struct {
	Digest  [32]byte
	Members string
	Term    uint64
}

// snapshotCluster waits until c's members agree, and returns their state
// digest, membership and term.
func snapshotCluster(t *testing.T, c *Cluster) clusterSnapshot {
	t.Helper()
	d := WaitClusterConverged(t, c)
	st, err := c.Members[0].Node().Cluster().Status()
	if err != nil {
		t.Fatal(err)
	}
	members, _ := json.Marshal(st.Members)
	for _, m := range c.Members[1:] {
		o, err := m.Node().Cluster().Status()
		if err != nil || o.Term != st.Term {
			t.Fatalf("members disagree on the term: %v %v", err, o)
		}
	}
	return clusterSnapshot{Digest: d, Members: string(members), Term: st.Term}
}

// rawMemberPost sends one POST to a member's raft port over cfg (plain
// TCP when nil) and returns the status, 0 when no answer came.
func rawMemberPost(t *testing.T, addr string, cfg *tls.Config, path, body string) (int, string) {
	t.Helper()
	tr := &http.Transport{DialTLSContext: func(ctx context.Context, _, a string) (net.Conn, error) {
		d := tls.Dialer{Config: cfg}
		conn, err := d.DialContext(ctx, "tcp", a)
		if err != nil {
			return nil, err
		}
		return struct{ net.Conn }{conn}, nil // HTTP/1.1 whatever ALPN said
	}}
	defer tr.CloseIdleConnections()
	scheme := "https://"
	if cfg == nil {
		scheme = "http://"
	}
	req, _ := http.NewRequest(http.MethodPost, scheme+addr+path, bytes.NewBufferString(body))
	req.Header.Set("Content-Type", "application/json")
	client := &http.Client{Transport: tr, Timeout: 15 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		var nerr net.Error
		if errors.As(err, &nerr) && nerr.Timeout() {
			t.Errorf("%s: timed out rather than refused", path)
		}
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
