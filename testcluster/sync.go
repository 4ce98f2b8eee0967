package testcluster

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/lumbung/lumbung/replication/exchange"
	"github.com/lumbung/lumbung/schema"
)

// Enroll asks the node at url for a token for region (lumbung enroll).
func Enroll(url string, region schema.Code) (string, error) {
	body, _ := json.Marshal(map[string]schema.Code{"region": region})
	resp, err := http.Post(url+"/api/v1/sync/tokens", "application/json", bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("testcluster: enroll: %w", err)
	}
	defer resp.Body.Close()
	var out struct {
		Token string `json:"token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusCreated {
		return "", fmt.Errorf("testcluster: enroll %s at %s: status %d %v", region, url, resp.StatusCode, err)
	}
	return out.Token, nil
}

// FastUplink shortens an uplink's waits for tests on loopback: idle
// exchanges are held 2 s, and a failed one is retried within 20–500 ms.
func FastUplink(c *exchange.UplinkConfig) {
	c.Wait, c.MinBackoff, c.MaxBackoff = 2*time.Second, 20*time.Millisecond, 500*time.Millisecond
}
