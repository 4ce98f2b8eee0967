package httpapi

import (
	"net/http"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/replication/cluster"
	"github.com/lumbung/lumbung/replication/exchange"
)

// access is who may call a route. Every route declares one where it is
// added (routeTable); a route added without one cannot be built.
type access struct {
	// public routes answer anyone: health, the public complaint view,
	// logging in.
	public bool
	// own routes check a credential of their own in their handler: the
	// sync exchange (a desa's token), the cluster endpoints (a member),
	// /metrics.
	own string
	// act is what an officer's role must allow; "" with neither public
	// nor own means any logged-in officer (logout, their own password).
	act officer.Action
	// page marks a screen's route (pages.go): a caller it refuses is sent
	// to the login page, not answered in JSON.
	page bool
}

func anyone() access                { return access{public: true} }
func credential(what string) access { return access{own: what} }
func may(act officer.Action) access { return access{act: act} }
func loggedIn() access              { return access{} }
func (x access) String() string {
	switch {
	case x.public:
		return "public"
	case x.own != "":
		return "own credential: " + x.own
	case x.act == "":
		return "any officer"
	}
	return string(x.act)
}

// route is one method of one path, its access and its handler.
type route struct {
	method, pattern string
	who             access
	h               http.HandlerFunc
}

// routeTable is every route of the JSON API, with who may call it. The
// sync exchange, the cluster endpoints and /metrics are added beside it
// (Handler), declared in otherRoutes.
func (a *api) routeTable() []route {
	return append([]route{
		{"POST", "/api/v1/login", anyone(), a.login},
		{"POST", "/api/v1/logout", loggedIn(), a.logout},
		{"POST", "/api/v1/password", loggedIn(), a.setPassword},
		{"GET", "/api/v1/officers", may(officer.OfficersManage), a.listOfficers},
		{"POST", "/api/v1/officers", may(officer.OfficersManage), a.addOfficer},
		{"POST", "/api/v1/officers/{name}", may(officer.OfficersManage), a.changeOfficer},
		{"POST", "/api/v1/officers/{name}/reset", may(officer.OfficersManage), a.resetPassword},

		{"GET", "/api/v1/complaints", may(officer.ComplaintRead), a.listComplaints},
		{"POST", "/api/v1/complaints", may(officer.ComplaintCreate), a.createComplaint},
		{"GET", "/api/v1/complaints/{id}", may(officer.ComplaintRead), a.getComplaint},
		{"POST", "/api/v1/complaints/{id}/actions", may(officer.ComplaintAct), a.actOnComplaint},
		{"GET", "/api/v1/public/complaints", anyone(), a.listPublic},
		{"GET", "/api/v1/public/track/{id}", anyone(), a.track},

		{"GET", "/api/v1/monografi/{region}/{period}", may(officer.MonografiRead), a.getMonografi},
		{"PUT", "/api/v1/monografi/{region}/{period}", may(officer.MonografiEnter), a.setMonografi},
		{"POST", "/api/v1/monografi/{region}/{period}/submit", may(officer.MonografiEnter), a.submitMonografi},
		{"GET", "/api/v1/monografi/{region}/{period}/table", may(officer.MonografiRead), a.monografiTable},
		{"POST", "/api/v1/monografi/{region}/{period}/{step}", may(officer.MonografiApprove), a.stepMonografi},
		{"GET", "/api/v1/catalogue", may(officer.NodeRead), a.catalogue},
		{"POST", "/api/v1/catalogue", may(officer.ReferencePublish), a.extendCatalogue},
		{"POST", "/api/v1/regions", may(officer.ReferencePublish), a.publishRegions},
		{"GET", "/api/v1/stats/complaints", may(officer.StatsRead), a.complaintStats},

		{"GET", "/api/v1/sync/status", may(officer.SyncRead), a.syncStatus},
		{"POST", "/api/v1/sync/now", may(officer.SyncNow), a.syncNow},
		{"GET", "/api/v1/sync/tokens", may(officer.TokensManage), a.tokens},
		{"POST", "/api/v1/sync/tokens", may(officer.TokensManage), a.enroll},
		{"POST", "/api/v1/sync/tokens/{id}/revoke", may(officer.TokensManage), a.revoke},

		{"GET", cluster.Path, may(officer.ClusterManage), a.clusterStatus},
		{"GET", cluster.PathStatus, may(officer.ClusterManage), a.clusterStatus},
		{"POST", "/api/v1/cluster/members/remove", may(officer.ClusterManage), a.removeMember},
		{"POST", "/api/v1/cluster/join-tokens", may(officer.ClusterManage), a.issueJoinToken},

		{"GET", "/api/v1/audit", may(officer.AuditRead), a.auditTrail},
		{"GET", "/api/v1/identity", may(officer.NodeRead), a.identityStatus},
		{"POST", "/api/v1/identity/key", may(officer.OfficersManage), a.makeOfficeKey},
		{"POST", "/api/v1/identity/unlock", may(officer.OfficersManage), a.unlockIdentities},
		{"POST", "/api/v1/identity/subject", may(officer.AuditRead), a.subjectAccess},
		{"POST", "/api/v1/identity/erase", may(officer.AuditRead), a.eraseIdentity},

		{"GET", "/api/v1/node", may(officer.NodeRead), a.info},
		{"GET", "/api/v1/doctor", may(officer.SyncRead), a.doctorReport},
		{"GET", "/healthz", anyone(), a.healthz},
		{"GET", "/readyz", anyone(), a.readyz},
	}, a.pageRoutes()...)
}

// GetPatterns lists the path pattern of every GET route, the screens'
// included, for the tests that walk every one from outside the package
// (the planted-identity scan).
func GetPatterns() []string {
	var out []string
	for _, rt := range (&api{}).routeTable() {
		if rt.method == http.MethodGet {
			out = append(out, rt.pattern)
		}
	}
	return out
}

// otherRoutes are the path prefixes Handler mounts beside the JSON API,
// each checking its own credential.
var otherRoutes = map[string]access{
	"/static":     anyone(), // the screens' stylesheet and script (package web)
	exchange.Path: credential("a desa's sync token"),
	"/metrics":    credential("loopback, or the metrics token (Config.MetricsToken)"),
}

// mount adds the routes to mux, each behind its access check; a path
// answers the methods it has no route for with a JSON 405.
func (a *api) mount(mux *http.ServeMux, routes []route) {
	byPattern := map[string]methods{}
	var order []string
	for _, rt := range routes {
		m, ok := byPattern[rt.pattern]
		if !ok {
			m = methods{}
			byPattern[rt.pattern] = m
			order = append(order, rt.pattern)
		}
		if _, dup := m[rt.method]; dup {
			panic("httpapi: route declared twice: " + rt.method + " " + rt.pattern)
		}
		m[rt.method] = a.guard(rt.who, a.audited(rt, rt.h))
	}
	for _, p := range order {
		mux.Handle(p, byPattern[p])
	}
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		locale.WriteError(w, r, newError(http.StatusNotFound, "no_route", msgNoRoute, r.URL.Path))
	}))
}
