package client

import (
	"context"
	"net/http"
	"net/url"

	"github.com/lumbung/lumbung/audit"
	"github.com/lumbung/lumbung/httpapi"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/officer"
)

// Login logs an officer in and returns the API token the node gives
// (given once; keep it as a secret) with who logged in.
func (c *Client) Login(ctx context.Context, name, password string) (*httpapi.LoginAnswer, error) {
	var out httpapi.LoginAnswer
	in := map[string]any{"name": name, "password": password, "token": true}
	return &out, c.Do(ctx, http.MethodPost, "/api/v1/login", in, &out)
}

// Logout ends the session of the client's token.
func (c *Client) Logout(ctx context.Context) error {
	return c.Do(ctx, http.MethodPost, "/api/v1/logout", nil, nil)
}

// SetPassword changes the logged-in officer's own password; every
// session of theirs ends, this one included.
func (c *Client) SetPassword(ctx context.Context, old, pw string) error {
	return c.Do(ctx, http.MethodPost, "/api/v1/password", map[string]string{"old": old, "new": pw}, nil)
}

// Officers lists the node's officers (admin).
func (c *Client) Officers(ctx context.Context) ([]officer.Public, error) {
	var out struct{ Officers []officer.Public }
	err := c.Do(ctx, http.MethodGet, "/api/v1/officers", nil, &out)
	return out.Officers, err
}

// AddOfficer adds an officer and returns their one-time password (admin).
func (c *Client) AddOfficer(ctx context.Context, in httpapi.OfficerInput) (*httpapi.NewOfficerAnswer, error) {
	var out httpapi.NewOfficerAnswer
	return &out, c.Do(ctx, http.MethodPost, "/api/v1/officers", in, &out)
}

// ChangeOfficer changes an officer's name, role or state (admin).
func (c *Client) ChangeOfficer(ctx context.Context, name string, ch node.OfficerChange) (*officer.Public, error) {
	var out officer.Public
	return &out, c.Do(ctx, http.MethodPost, "/api/v1/officers/"+url.PathEscape(name), ch, &out)
}

// ResetPassword gives an officer a new one-time password (admin).
func (c *Client) ResetPassword(ctx context.Context, name string) (*httpapi.NewOfficerAnswer, error) {
	var out httpapi.NewOfficerAnswer
	return &out, c.Do(ctx, http.MethodPost, "/api/v1/officers/"+url.PathEscape(name)+"/reset", nil, &out)
}

// Audit reads the node's audit trail, newest first (admin): q may hold
// officer, action, from, to, limit and cursor.
func (c *Client) Audit(ctx context.Context, q url.Values) (*audit.Page, error) {
	path := "/api/v1/audit"
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	var out audit.Page
	return &out, c.Do(ctx, http.MethodGet, path, nil, &out)
}

// Identity says whether the office has its reporters' identity key and
// whether it is unlocked (node.read).
func (c *Client) Identity(ctx context.Context) (*httpapi.IdentityStatus, error) {
	var out httpapi.IdentityStatus
	return &out, c.Do(ctx, http.MethodGet, "/api/v1/identity", nil, &out)
}

// MakeOfficeKey gives an office made before identity keys its key and
// returns the recovery key, once (admin).
func (c *Client) MakeOfficeKey(ctx context.Context) (*httpapi.RecoveryAnswer, error) {
	var out httpapi.RecoveryAnswer
	return &out, c.Do(ctx, http.MethodPost, "/api/v1/identity/key", nil, &out)
}

// UnlockIdentities unlocks the office's key with its recovery key (admin).
func (c *Client) UnlockIdentities(ctx context.Context, recovery string) error {
	return c.Do(ctx, http.MethodPost, "/api/v1/identity/unlock", httpapi.UnlockInput{RecoveryKey: recovery}, nil)
}

// Subject answers a subject-access request for a NIK at this node (admin).
func (c *Client) Subject(ctx context.Context, nik string) (*httpapi.SubjectAnswer, error) {
	var out httpapi.SubjectAnswer
	return &out, c.Do(ctx, http.MethodPost, "/api/v1/identity/subject", httpapi.SubjectInput{NIK: nik}, &out)
}

// EraseIdentity erases the identity of a complaint's reporter (admin);
// false when it was erased already.
func (c *Client) EraseIdentity(ctx context.Context, id string) (bool, error) {
	var out httpapi.EraseAnswer
	err := c.Do(ctx, http.MethodPost, "/api/v1/identity/erase", httpapi.EraseInput{ID: id}, &out)
	return out.Erased, err
}

// Doctor examines the node (admin): what is wrong there, with the fix.
func (c *Client) Doctor(ctx context.Context) (*httpapi.DoctorReport, error) {
	var out httpapi.DoctorReport
	return &out, c.Do(ctx, http.MethodGet, "/api/v1/doctor", nil, &out)
}
