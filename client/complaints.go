package client

import (
	"context"
	"net/http"
	"net/url"

	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/stats"
)

// Node is what the node says of itself: its tier, region and origin.
func (c *Client) Node(ctx context.Context) (*node.Info, error) {
	var out node.Info
	return &out, c.Do(ctx, http.MethodGet, "/api/v1/node", nil, &out)
}

// CreateComplaint takes a complaint and returns it as the node stored
// it, with its tracking number.
func (c *Client) CreateComplaint(ctx context.Context, in *schema.ComplaintInput) (*schema.Complaint, error) {
	var out schema.Complaint
	return &out, c.Do(ctx, http.MethodPost, "/api/v1/complaints", in, &out)
}

// CreateComplaintJSON is CreateComplaint with the input already in JSON
// (an officer's file), sent as it is for the node to judge.
func (c *Client) CreateComplaintJSON(ctx context.Context, in []byte) (*schema.Complaint, error) {
	var out schema.Complaint
	return &out, c.DoJSON(ctx, http.MethodPost, "/api/v1/complaints", in, &out)
}

// Complaints lists complaints, newest first, one page at a time; q holds
// the API's filters (status, category, region, q, cursor, limit).
func (c *Client) Complaints(ctx context.Context, q url.Values) (*node.ComplaintPage, error) {
	path := "/api/v1/complaints"
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	var out node.ComplaintPage
	return &out, c.Do(ctx, http.MethodGet, path, nil, &out)
}

// Complaint returns one complaint with its history.
func (c *Client) Complaint(ctx context.Context, id string) (*schema.Complaint, error) {
	var out schema.Complaint
	return &out, c.Do(ctx, http.MethodGet, "/api/v1/complaints/"+url.PathEscape(id), nil, &out)
}

// Act takes an action on a complaint and returns the complaint after it.
func (c *Client) Act(ctx context.Context, id string, a *schema.ActionInput) (*schema.Complaint, error) {
	var out schema.Complaint
	return &out, c.Do(ctx, http.MethodPost, "/api/v1/complaints/"+url.PathEscape(id)+"/actions", a, &out)
}

// ComplaintStats counts complaints; q holds the API's filters (region,
// from, to).
func (c *Client) ComplaintStats(ctx context.Context, q url.Values) (*stats.Report, error) {
	var out stats.Report
	return &out, c.Do(ctx, http.MethodGet, "/api/v1/stats/complaints?"+q.Encode(), nil, &out)
}
