// Package client speaks to one Lumbung node's HTTP API, as an officer's
// tools do: complaints and their actions, monografi and its approval
// steps, the catalogue and the region list, complaint statistics, the
// sync status and enrollment tokens, the cluster status. It is the one
// client of the API: the lumbung command, the test harness and the demo
// all go through it.
//
// Every method takes a context, sends JSON and decodes the node's JSON
// answer into the node's own types, so a field the node adds reaches the
// caller with no change here. A Client is safe for concurrent use, except
// for a copy made by Keep.
//
// Errors say what went wrong in a form a program can test with
// errors.Is: a refusal by the node is an *Error, decoded from the API's
// error shape ({"error": {"code", "message", "fields"}}), which matches
// the sentinel for its HTTP status (ErrNotFound, ErrInvalid, ErrConflict,
// ErrForbidden, ErrUnavailable, ErrServer) and, for a write whose outcome
// the cluster could not tell, ErrUnknownOutcome. A request that got no
// usable answer is a *TransportError matching ErrUnreachable, ErrTimeout,
// ErrTransport or ErrBadAnswer, and the cause.
package client

import "errors"

// Errors a call can match with errors.Is.
var (
	// ErrNotFound: the node holds no such thing (HTTP 404).
	ErrNotFound = errors.New("client: not found")
	// ErrInvalid: the node refused the request's data (HTTP 400, 413,
	// 415 or 422); Error.Fields names the fields at fault.
	ErrInvalid = errors.New("client: invalid request")
	// ErrConflict: the request does not fit the entity's state, such as
	// an action the complaint's status does not allow (HTTP 409).
	ErrConflict = errors.New("client: conflict with the current state")
	// ErrLogin: the node needs a logged-in officer, and the client has no
	// session or its session ended (HTTP 401): lumbung login.
	ErrLogin = errors.New("client: log in first")
	// ErrForbidden: this node may not do it, such as a desa extending
	// the catalogue (HTTP 403).
	ErrForbidden = errors.New("client: not allowed at this node")
	// ErrUnavailable: the node or its cluster cannot serve now; trying
	// again later may work (HTTP 503).
	ErrUnavailable = errors.New("client: node unavailable")
	// ErrUnknownOutcome: the cluster's leader changed while a write was
	// stored, so it may or may not be stored (HTTP 503, code
	// unknown_outcome). It also matches ErrUnavailable.
	ErrUnknownOutcome = errors.New("client: write outcome unknown")
	// ErrServer: any other refusal (HTTP 500 and codes not listed).
	ErrServer = errors.New("client: node error")

	// ErrUnreachable: nothing answers at the node's address.
	ErrUnreachable = errors.New("client: node unreachable")
	// ErrTimeout: the node did not answer in time.
	ErrTimeout = errors.New("client: node did not answer in time")
	// ErrTransport: the request failed on the way, for another reason.
	ErrTransport = errors.New("client: request failed")
	// ErrBadAnswer: the node answered with a body that is not the JSON
	// expected.
	ErrBadAnswer = errors.New("client: answer not understood")
)
