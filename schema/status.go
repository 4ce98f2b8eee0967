package schema

// Status is where a complaint stands in its lifecycle.
type Status string

// The statuses of PRODUCT.md.
const (
	StatusReceived   Status = "received"
	StatusVerified   Status = "verified"
	StatusForwarded  Status = "forwarded"
	StatusInProgress Status = "in_progress"
	StatusResolved   Status = "resolved"
	StatusOnHold     Status = "on_hold"
	StatusRejected   Status = "rejected"
	StatusReopened   Status = "reopened"
	StatusArchived   Status = "archived"
)

// Statuses lists every status, in lifecycle order.
var Statuses = []Status{StatusReceived, StatusVerified, StatusForwarded, StatusInProgress,
	StatusResolved, StatusOnHold, StatusRejected, StatusReopened, StatusArchived}

// Action is what an officer does to a complaint; only actions change its
// status.
type Action string

// The actions of PRODUCT.md.
const (
	ActVerify  Action = "verify"
	ActForward Action = "forward"
	ActHold    Action = "hold"
	ActRespond Action = "respond"
	ActResolve Action = "resolve"
	ActReject  Action = "reject"
	ActReopen  Action = "reopen"
	ActArchive Action = "archive"
)

// Actions lists every action.
var Actions = []Action{ActVerify, ActForward, ActHold, ActRespond, ActResolve, ActReject, ActReopen, ActArchive}

// transitions is the status machine: for each status, the actions allowed
// and the status each leads to. on_hold waits for the reporter; when they
// answer, work resumes with the action that fits where it stopped.
var transitions = map[Status]map[Action]Status{
	StatusReceived:   {ActVerify: StatusVerified, ActReject: StatusRejected, ActHold: StatusOnHold},
	StatusVerified:   {ActForward: StatusForwarded, ActReject: StatusRejected, ActHold: StatusOnHold},
	StatusForwarded:  {ActRespond: StatusInProgress, ActReject: StatusRejected, ActHold: StatusOnHold},
	StatusInProgress: {ActRespond: StatusInProgress, ActResolve: StatusResolved, ActHold: StatusOnHold},
	StatusOnHold: {ActVerify: StatusVerified, ActForward: StatusForwarded, ActRespond: StatusInProgress,
		ActReject: StatusRejected},
	StatusResolved: {ActReopen: StatusReopened, ActArchive: StatusArchived},
	StatusRejected: {ActReopen: StatusReopened, ActArchive: StatusArchived},
	StatusReopened: {ActForward: StatusForwarded, ActRespond: StatusInProgress, ActReject: StatusRejected,
		ActHold: StatusOnHold},
	StatusArchived: {},
}

// Next returns the status that action a leads to from s, or a
// *TransitionError (errors.Is ErrTransition) that says why it cannot.
func Next(s Status, a Action) (Status, error) {
	allowed, ok := transitions[s]
	if !ok {
		return s, &TransitionError{a, s, msgUnknownStatus.Text(s)}
	}
	next, ok := allowed[a]
	if !ok {
		return s, &TransitionError{a, s, msgNotAllowed.Text(actionText(a), statusText(s))}
	}
	return next, nil
}

// Next returns the status action a leads to for this complaint. It is
// Next(c.Status, a), except on hold: a complaint put on hold resumes only
// with an action its status before the hold allowed (or a rejection), so
// holding never skips verification or forwarding.
func (c *Complaint) Next(a Action) (Status, error) {
	if c.Status != StatusOnHold || c.HeldFrom == "" {
		return Next(c.Status, a)
	}
	if next, ok := transitions[c.HeldFrom][a]; ok && a != ActHold {
		return next, nil
	}
	if a == ActReject {
		return StatusRejected, nil
	}
	return c.Status, &TransitionError{a, c.Status, msgNotAllowedHeld.Text(actionText(a), statusText(c.HeldFrom))}
}

// Allowed lists the actions valid in status s, in the order of Actions.
func Allowed(s Status) []Action {
	var out []Action
	for _, a := range Actions {
		if _, ok := transitions[s][a]; ok {
			out = append(out, a)
		}
	}
	return out
}

// Label returns the Indonesian name of s, as shown to an officer.
func (s Status) Label() string {
	if !contains(Statuses, s) {
		return ""
	}
	return statusText(s).ID
}
