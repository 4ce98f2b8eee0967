package officer

import "fmt"

// Role is what an officer may do at their node. An account holds one.
type Role string

// The roles of PRODUCT.md, "Officers and roles".
const (
	// Operator takes complaints and enters and submits monografi: the
	// operator desa, counter staff at a kecamatan.
	Operator Role = "operator"
	// Verifikator acts on complaints (verify, forward, respond, reject…)
	// and approves, returns or accepts monografi: kasi pemerintahan,
	// sekcam, OPD staff.
	Verifikator Role = "verifikator"
	// Admin manages the office's officers, sync tokens, reference data,
	// cluster members and reads the audit trail.
	Admin Role = "admin"
	// Viewer reads statistics, aggregates, exports and overdue lists,
	// never a reporter's identity: Bappeda, Diskominfo, the camat.
	Viewer Role = "viewer"
)

// Roles are every role, in the order the screens list them.
var Roles = []Role{Operator, Verifikator, Admin, Viewer}

// Valid says whether r is one of Roles.
func (r Role) Valid() bool {
	_, ok := grants[r]
	return ok
}

// Action is what a route does, as the policy names it.
type Action string

// The actions a route may need. A route that needs none of them is
// public, and says so where it is declared (httpapi).
const (
	ComplaintCreate  Action = "complaint.create"   // take a complaint
	ComplaintRead    Action = "complaint.read"     // list and show complaints, without the reporter
	IdentityRead     Action = "complaint.identity" // read a reporter's name, NIK and phone
	ComplaintAct     Action = "complaint.act"      // verify, forward, respond, resolve, reject…
	MonografiEnter   Action = "monografi.enter"    // set and submit a desa's figures
	MonografiApprove Action = "monografi.approve"  // approve, return, unapprove, accept, unaccept
	MonografiRead    Action = "monografi.read"     // figures, aggregates, the monograph table
	StatsRead        Action = "stats.read"         // complaint statistics and overdue lists
	SyncRead         Action = "sync.read"          // sync status
	SyncNow          Action = "sync.now"           // ask the uplink to sync now
	TokensManage     Action = "sync.tokens"        // issue, list and revoke sync tokens
	ReferencePublish Action = "reference.publish"  // extend the catalogue, publish the region list
	OfficersManage   Action = "officers.manage"    // add, disable officers, reset passwords, change roles
	AuditRead        Action = "audit.read"         // read the audit trail
	ClusterManage    Action = "cluster.manage"     // cluster status, join tokens, remove members
	NodeRead         Action = "node.read"          // who this node is (GET /api/v1/node)
)

// grants is the whole policy: what each role may do. Everything an
// officer reads to do their work is granted with it.
var grants = map[Role][]Action{
	Operator: {ComplaintCreate, ComplaintRead, IdentityRead, MonografiEnter, MonografiRead,
		SyncRead, SyncNow, NodeRead},
	Verifikator: {ComplaintRead, IdentityRead, ComplaintAct, MonografiApprove, MonografiRead,
		StatsRead, SyncRead, SyncNow, NodeRead},
	Admin: {TokensManage, ReferencePublish, OfficersManage, AuditRead, ClusterManage,
		MonografiRead, StatsRead, SyncRead, SyncNow, NodeRead},
	Viewer: {ComplaintRead, MonografiRead, StatsRead, SyncRead, NodeRead},
}

// May says whether role r may take action a.
func (r Role) May(a Action) bool {
	for _, g := range grants[r] {
		if g == a {
			return true
		}
	}
	return false
}

// MayReadIdentity says whether role r may read a reporter's identity
// (name, NIK, phone, address): the officers who take complaints and the
// ones who follow them up, who must reach the citizen. An admin manages
// accounts, not complaints, and a viewer reads figures; neither ever
// sees a reporter. This is the one place the rule is kept.
func MayReadIdentity(r Role) bool { return r.May(IdentityRead) }

// Actions are every action the policy knows, for the tests that walk it.
func Actions() []Action {
	return []Action{ComplaintCreate, ComplaintRead, IdentityRead, ComplaintAct, MonografiEnter, MonografiApprove,
		MonografiRead, StatsRead, SyncRead, SyncNow, TokensManage, ReferencePublish, OfficersManage, AuditRead,
		ClusterManage, NodeRead}
}

// ParseRole reads a role as an officer types it.
func ParseRole(s string) (Role, error) {
	r := Role(s)
	if !r.Valid() {
		return "", fmt.Errorf("%w: role %q (operator, verifikator, admin or viewer)", ErrInvalid, s)
	}
	return r, nil
}
