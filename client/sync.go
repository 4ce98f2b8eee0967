package client

import (
	"context"
	"net/http"
	"net/url"

	"github.com/lumbung/lumbung/httpapi"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/replication/cluster"
	"github.com/lumbung/lumbung/schema"
)

// SyncStatus returns the node's links: what waits to go up, the last
// success and error, bytes and clock skew.
func (c *Client) SyncStatus(ctx context.Context) (*node.SyncStatus, error) {
	var out node.SyncStatus
	return &out, c.Do(ctx, http.MethodGet, "/api/v1/sync/status", nil, &out)
}

// SyncNow asks the node to sync with its upstream now.
func (c *Client) SyncNow(ctx context.Context) error {
	return c.Do(ctx, http.MethodPost, "/api/v1/sync/now", nil, nil)
}

// Tokens lists the enrollment tokens the node issued.
func (c *Client) Tokens(ctx context.Context) ([]node.Token, error) {
	var out struct{ Tokens []node.Token }
	err := c.Do(ctx, http.MethodGet, "/api/v1/sync/tokens", nil, &out)
	return out.Tokens, err
}

// Enroll issues a token for the node of region below this one to sync
// with it (lumbung enroll).
func (c *Client) Enroll(ctx context.Context, region schema.Code) (*httpapi.EnrollResponse, error) {
	var out httpapi.EnrollResponse
	return &out, c.Do(ctx, http.MethodPost, "/api/v1/sync/tokens", httpapi.EnrollRequest{Region: region}, &out)
}

// Revoke revokes the tokens of region.
func (c *Client) Revoke(ctx context.Context, region schema.Code) error {
	return c.Do(ctx, http.MethodPost, "/api/v1/sync/tokens/"+url.PathEscape(string(region))+"/revoke", nil, nil)
}

// JoinToken issues a join token for one new member of the node's
// cluster, valid for ttl ("" for the node's default) (admin).
func (c *Client) JoinToken(ctx context.Context, ttl string) (*httpapi.JoinToken, error) {
	var out httpapi.JoinToken
	return &out, c.Do(ctx, http.MethodPost, "/api/v1/cluster/join-tokens", httpapi.JoinTokenInput{TTL: ttl}, &out)
}

// RemoveMember removes a member (its URL) from the node's cluster (admin).
func (c *Client) RemoveMember(ctx context.Context, member string) error {
	return c.Do(ctx, http.MethodPost, "/api/v1/cluster/members/remove", httpapi.RemoveInput{Member: member}, nil)
}

// ClusterStatus returns the raft state of the node's cluster (admin).
func (c *Client) ClusterStatus(ctx context.Context) (*cluster.Status, error) {
	var out cluster.Status
	return &out, c.Do(ctx, http.MethodGet, cluster.PathStatus, nil, &out)
}
