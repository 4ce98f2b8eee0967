package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/replication/cluster"
	"github.com/lumbung/lumbung/schema"
)

// TestNodeErrorsMapped walks the node's errors a request can meet and
// checks what a client is told of each, wrapped as the node wraps them:
// only an error no input can cause is a 500.
func TestNodeErrorsMapped(t *testing.T) {
	for _, tc := range []struct {
		err    error
		status int
		code   string
	}{
		{node.ErrNotFound, http.StatusNotFound, "not_found"},
		{node.ErrAlreadySubmitted, http.StatusConflict, "already_submitted"},
		{node.ErrNotAbove, http.StatusForbidden, "not_above"},
		{node.ErrBadCursor, http.StatusBadRequest, "bad_cursor"},
		{node.ErrBadResult, http.StatusBadGateway, "bad_leader_answer"},
		{node.ErrNotReady, http.StatusServiceUnavailable, "no_leader"},
		{cluster.ErrNoLeader, http.StatusServiceUnavailable, "no_leader"},
		{cluster.ErrUnknownOutcome, http.StatusServiceUnavailable, "unknown_outcome"},
		{node.ErrStoreFailed, http.StatusServiceUnavailable, "unavailable"},
		{node.ErrClosed, http.StatusServiceUnavailable, "unavailable"},
		{context.DeadlineExceeded, http.StatusServiceUnavailable, "unavailable"},
		{&node.RegionError{Region: "32.15", Node: "32.14", Err: node.ErrOutOfScope}, http.StatusForbidden, "out_of_scope"},
		{&node.RegionError{Region: "32.14.02.2099", Node: "32.14.02", Err: node.ErrUnknownRegion}, http.StatusUnprocessableEntity, "unknown_region"},
		{&node.RegionError{Region: "32.14.02", Node: "32.14.02", Err: node.ErrEntryNotDesa}, http.StatusUnprocessableEntity, "not_a_desa"},
		{&schema.ValidationError{Fields: map[string]schema.Msg{"title": {ID: "wajib", EN: "required"}}}, http.StatusUnprocessableEntity, "invalid_input"},
		{fmt.Errorf("%w: role %q", schema.ErrInvalid, "camat"), http.StatusUnprocessableEntity, "invalid_input"},
		{errors.New("disk on fire"), http.StatusInternalServerError, "internal"},
	} {
		e := errorFor(fmt.Errorf("wrapped: %w", tc.err))
		if e.Status != tc.status || e.Code != tc.code || e.Msg.ID == "" || e.Msg.EN == "" {
			t.Errorf("%v: told %d %s %+v, want %d %s", tc.err, e.Status, e.Code, e.Msg, tc.status, tc.code)
		}
	}
	e := errorFor(&node.RegionError{Region: "32.15", Node: "32.14", Err: node.ErrOutOfScope})
	if e.Fields["region"].ID == "" {
		t.Errorf("a region refusal does not name the region field: %+v", e)
	}
}
