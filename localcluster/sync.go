package localcluster

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/lumbung/lumbung/client"
	"github.com/lumbung/lumbung/replication/exchange"
	"github.com/lumbung/lumbung/schema"
)

// Enroll asks the node at url for a token for region (lumbung enroll).
func Enroll(url string, region schema.Code) (string, error) {
	c, err := client.New(url, client.Options{HTTP: &http.Client{Timeout: 30 * time.Second}})
	if err != nil {
		return "", fmt.Errorf("localcluster: enroll: %w", err)
	}
	out, err := c.Enroll(context.Background(), region)
	if err != nil {
		return "", fmt.Errorf("localcluster: enroll %s at %s: %w", region, url, err)
	}
	return out.Token, nil
}

// FastUplink shortens an uplink's waits for tests on loopback: idle
// exchanges are held 2 s, a failed one is retried within 20–500 ms, and
// one whose bytes vanished is abandoned after 2 s beyond its wait and 2 s
// of air time each way.
func FastUplink(c *exchange.UplinkConfig) {
	c.Wait, c.MinBackoff, c.MaxBackoff = 2*time.Second, 20*time.Millisecond, 500*time.Millisecond
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
