package localcluster

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/lumbung/lumbung/client"
	"github.com/lumbung/lumbung/internal/staff"
	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/replication/exchange"
	"github.com/lumbung/lumbung/schema"
)

// Enroll asks the node at url for a token for region (lumbung enroll),
// as its admin (its Staff).
// A cluster that is changing its leader (a young cluster under load may)
// answers that it cannot commit, or that the outcome is unknown: Enroll
// asks again, for up to 30 s; a token issued by a lost attempt is simply
// never used.
func Enroll(url string, region schema.Code) (string, error) {
	c, err := client.New(url, client.Options{HTTP: &http.Client{Timeout: 30 * time.Second,
		Transport: staff.Transport(officer.Admin, nil)}})
	if err != nil {
		return "", fmt.Errorf("localcluster: enroll: %w", err)
	}
	var token string
	var last error
	if err := Eventually(30*time.Second, "an enrolment token", func() bool {
		out, e := c.Enroll(context.Background(), region)
		if last = e; e != nil {
			return !errors.Is(e, client.ErrUnavailable)
		}
		token = out.Token
		return true
	}); err != nil {
		last = fmt.Errorf("%w (last: %w)", err, last)
	}
	if token == "" {
		return "", fmt.Errorf("localcluster: enroll %s at %s: %w", region, url, last)
	}
	return token, nil
}

// FastUplink shortens an uplink's waits for tests on loopback: idle
// exchanges are held 2 s, a failed one is retried within 20–500 ms, and
// one whose bytes vanished is abandoned after 2 s beyond its wait and 2 s
// of air time each way.
func FastUplink(c *exchange.UplinkConfig) {
	c.Wait, c.MinBackoff, c.MaxBackoff, c.RefusedBackoff = 2*time.Second, 20*time.Millisecond, 500*time.Millisecond, 2*time.Second
	c.ExchangeTime, c.Stall = max(2*time.Second, c.FrameTime), 2*time.Second
}

// PendingUp is how many changes m has not had acknowledged upstream (-1
// without an uplink).
func (m *Member) PendingUp() int {
	st := m.Node().SyncStatus()
	if st.Uplink == nil {
		return -1
	}
	return st.Uplink.Pending
}
