package testcluster

import (
	"net/http"
	"testing"
	"time"

	"github.com/lumbung/lumbung/internal/staff"
	"github.com/lumbung/lumbung/localcluster"
	"github.com/lumbung/lumbung/officer"
)

// as is an HTTP client acting as the officer of role r at whichever node
// of the test it calls (each node's Staff, registered by localcluster),
// on its own connections. A node nobody staffed sees an outsider.
func as(r officer.Role) *http.Client {
	return &http.Client{Timeout: 20 * time.Second,
		Transport: staff.Transport(r, http.DefaultTransport.(*http.Transport).Clone())}
}

// operator is the officer most tests act as: they take complaints and
// enter figures.
func operator() *http.Client { return as(officer.Operator) }

// adminClient is as(officer.Admin) with a timeout of its own.
func adminClient(timeout time.Duration) *http.Client {
	c := as(officer.Admin)
	c.Timeout = timeout
	return c
}

// hire staffs the `lumbung serve` process p on its first start
// (localcluster.Hire): its first admin's one-time password is in what
// init printed (a desa), or else p prints it (a cluster's first serve).
func hire(t testing.TB, p *Process, initPrinted string) *staff.Staff {
	t.Helper()
	pw, ok := localcluster.FirstAdminPassword(initPrinted)
	if !ok {
		var err error
		if pw, err = p.FirstAdmin(30 * time.Second); err != nil {
			t.Fatal(err)
		}
	}
	s, err := localcluster.Hire(p.URL, pw)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
