package testcluster

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lumbung/lumbung/audit"
	"github.com/lumbung/lumbung/client"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/replication/cluster"
	"github.com/lumbung/lumbung/replication/trust"
)

// TestJoinToken: an admin issues a join token through the API; a new
// member enrols with it once, and a second enrolment with the same token,
// one with a token past its expiry, and one with a token of another
// cluster are refused in plain words, with every attempt in the audit
// trail. The enrolled member then joins and holds what the others hold;
// the token was never logged.
func TestJoinToken(t *testing.T) {
	c := NewCluster(t, 1, ClusterOptions{Region: "32.14.01"})
	m0 := c.Members[0]
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cl, err := client.New(m0.URL, client.Options{HTTP: as(officer.Admin)})
	if err != nil {
		t.Fatal(err)
	}
	jt, err := cl.JoinToken(ctx, "1h")
	if err != nil {
		t.Fatal(err)
	}
	if len(jt.Join) != 1 || jt.Join[0] != m0.RaftAddr || jt.Fingerprint != m0.Node().Cluster().Fingerprint().String() ||
		time.Until(jt.Expires) < 59*time.Minute || time.Until(jt.Expires) > 61*time.Minute {
		t.Fatalf("join token answer %+v: want the raft address %s, the CA's fingerprint and an hour", jt, m0.RaftAddr)
	}
	op, err := client.New(m0.URL, client.Options{HTTP: as(officer.Operator)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := op.JoinToken(ctx, ""); !errors.Is(err, client.ErrForbidden) {
		t.Errorf("an operator issuing a join token: %v", err)
	}

	newcomer := func() (string, node.Config) {
		dir := filepath.Join(t.TempDir(), "m")
		cfg := node.DefaultConfig(node.TierKecamatan, "32.14.01")
		cfg.HTTPAddr, cfg.RaftAddr, cfg.Join = FreeAddr(t), FreeAddr(t), m0.RaftAddr
		return dir, cfg
	}
	dir, cfg := newcomer()
	if err := node.EnrollMember(ctx, dir, cfg, m0.RaftAddr, jt.Token); err != nil {
		t.Fatal(err)
	}
	if k, err := node.LoadMemberKey(dir); err != nil || k != mustKey(t, m0.Data) {
		t.Fatalf("the enrolled member holds %q, %v: want the cluster's key", k, err)
	}
	dir2, cfg2 := newcomer()
	if err := node.EnrollMember(ctx, dir2, cfg2, m0.RaftAddr, jt.Token); !errors.Is(err, cluster.ErrJoinRefused) ||
		!strings.Contains(err.Error(), "sudah dipakai") {
		t.Errorf("a second enrolment with a spent token: %v", err)
	}
	short, err := cl.JoinToken(ctx, "2m")
	if err != nil {
		t.Fatal(err)
	}
	m0.Clock.Skew(3 * time.Minute)
	err = node.EnrollMember(ctx, dir2, cfg2, m0.RaftAddr, short.Token)
	m0.Clock.Skew(0)
	if !errors.Is(err, cluster.ErrJoinRefused) {
		t.Errorf("an enrolment with an expired token: %v", err)
	}
	other, _ := trust.Derive(trust.NewSecret())
	if err := node.EnrollMember(ctx, dir2, cfg2, m0.RaftAddr, trust.NewJoinToken(other.Fingerprint()).String()); !errors.Is(err, trust.ErrNotMember) {
		t.Errorf("a token of another cluster: %v", err)
	}
	if _, err := node.LoadMemberKey(dir2); err == nil {
		t.Error("a refused member-to-be holds the cluster's key")
	}

	// The trail holds one admitted and two refused enrolments.
	waitFor(t, func() bool {
		page, err := m0.Node().Store().AuditTrail(audit.Filter{Action: "cluster.enroll", Limit: 10})
		if err != nil {
			return false
		}
		var ok, refused int
		for _, e := range page.Entries {
			switch e.Status {
			case 200:
				ok++
			case 403:
				refused++
			}
		}
		return ok == 1 && refused == 2
	}, 10*time.Second, "the enrolments in the audit trail")

	// A member enrolled this way joins (localcluster enrols every member
	// after the first with a join token) and converges.
	if _, err := c.Add(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitMembers(2); err != nil {
		t.Fatal(err)
	}
	WaitClusterConverged(t, c)
}

func mustKey(t *testing.T, dir string) string {
	t.Helper()
	k, err := node.LoadMemberKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	return k
}
