package httpapi

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"time"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/replication/cluster"
)

// session is an HTTP client that keeps a session cookie, or sends an API
// token.
type session struct {
	c     *http.Client
	token string
	// auth, when set, is sent as the Authorization header instead.
	auth string
}

func newSession(t testing.TB) *session {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &session{c: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

// do sends a JSON request as s and decodes the answer into out (when
// given); it returns the status and, for an error, its code.
func (s *session) do(t testing.TB, method, url string, body, out any) (int, string) {
	t.Helper()
	req := jsonRequest(t, method, url, body)
	if s.token != "" {
		req.Header.Set("Authorization", "Bearer "+s.token)
	}
	if s.auth != "" {
		req.Header.Set("Authorization", s.auth)
	}
	resp, err := s.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var e locale.ErrorBody
	if resp.StatusCode >= 400 {
		_ = json.Unmarshal(raw, &e)
	}
	if out != nil && resp.StatusCode < 400 {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: %v: %q", method, url, err, raw)
		}
	}
	return resp.StatusCode, e.Error.Code
}

// login logs s in as name with pw; a one-time password is changed to
// final first, then s logs in again with it.
func (s *session) login(t testing.TB, url, name, pw, final string) {
	t.Helper()
	var ans LoginAnswer
	if code, c := s.do(t, "POST", url+"/api/v1/login", map[string]string{"name": name, "password": pw}, &ans); code != 200 {
		t.Fatalf("login %s: %d %s", name, code, c)
	}
	if !ans.MustChange {
		return
	}
	if code, c := s.do(t, "POST", url+"/api/v1/password", map[string]string{"old": pw, "new": final}, nil); code != 200 {
		t.Fatalf("%s changes the one-time password: %d %s", name, code, c)
	}
	if code, c := s.do(t, "GET", url+"/api/v1/node", nil, nil); code != 401 || c != "session_ended" {
		t.Fatalf("the session before the password change: %d %s", code, c)
	}
	s.login(t, url, name, final, "")
}

// staff gives the node serving url its first admin, as lumbung init or
// the first serve does (node.AddFirstAdmin), who logs in with the
// one-time password and changes it, then adds one officer of each other
// role, each logged in with their own password.
func staff(t testing.TB, url string) map[officer.Role]*session {
	t.Helper()
	n := nodeAt(t, url)
	var pw string
	deadline := time.Now().Add(30 * time.Second)
	for {
		var err error
		if pw, _, err = n.AddFirstAdmin(t.Context()); err == nil {
			break
		}
		if errors.Is(err, node.ErrOfficerExists) || time.Now().After(deadline) {
			t.Fatalf("the first admin: %v", err)
		}
		time.Sleep(20 * time.Millisecond) // a young cluster elects its leader
	}
	out := map[officer.Role]*session{officer.Admin: newSession(t)}
	out[officer.Admin].login(t, url, node.FirstAdmin, pw, "kantor desa campaka")
	for _, r := range []officer.Role{officer.Operator, officer.Verifikator, officer.Viewer} {
		var ans NewOfficerAnswer
		name := string(r) + "1"
		if code, c := out[officer.Admin].do(t, "POST", url+"/api/v1/officers",
			OfficerInput{Name: name, FullName: "Petugas " + name, Role: r}, &ans); code != 201 {
			t.Fatalf("add %s: %d %s", name, code, c)
		}
		out[r] = newSession(t)
		out[r].login(t, url, name, ans.Password, "balai desa "+string(r))
	}
	return out
}

// TestRouteMatrix walks the router's own route table against every kind
// of caller: an outsider, a desa's sync token, a cluster member's key, an
// officer of another node, and each role. A route that is not public
// refuses the first four (401) and every role its policy does not name (403), and lets the
// others through (whatever the handler then says of the request).
func TestRouteMatrix(t *testing.T) {
	_, srv := openTestNode(t)
	roles := staff(t, srv.URL)
	_, other := openTestNode(t)
	staff(t, other.URL)
	stranger := newSession(t)
	var tok LoginAnswer
	newSession(t).do(t, "POST", other.URL+"/api/v1/login", map[string]any{"name": node.FirstAdmin, "password": "kantor desa campaka", "token": true}, &tok)
	stranger.token = tok.Token
	syncToken := newSession(t)
	syncToken.token = "lmb_0123456789ABCDEFGHJKMNPQRSTV"

	routes := (&api{}).routeTable()
	// Logging out ends the caller's session: both ways go last.
	for _, out := range []string{"/api/v1/logout", "/keluar"} {
		for i, rt := range routes {
			if rt.pattern == out {
				routes = append(append(routes[:i:i], routes[i+1:]...), rt)
				break
			}
		}
	}
	fill := strings.NewReplacer("{id}", "32.14.02.2001-2026-000001", "{region}", string(testDesa), "{period}", "2026-S1",
		"{step}", "approve", "{name}", "viewer1")
	member := newSession(t)
	member.auth = "Member " + cluster.NewMemberKey()
	outsiders := map[string]*session{"outsider": newSession(t), "sync token": syncToken, "another node's admin": stranger,
		"cluster member": member}
	// A page a caller may not open sends them to the login page (303),
	// and shows a role it refuses a page that says so (403); nobody is
	// followed through a redirect here.
	for _, s := range append([]*session{stranger, syncToken, member, outsiders["outsider"]}, roles[officer.Viewer],
		roles[officer.Operator], roles[officer.Verifikator], roles[officer.Admin]) {
		s.c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	for _, rt := range routes {
		url := srv.URL + fill.Replace(rt.pattern)
		for who, s := range outsiders {
			code, c := s.do(t, rt.method, url, "{}", nil)
			if rt.who.page && !rt.who.public {
				if code, loc := s.page(t, rt.method, url); code != 303 || !strings.HasPrefix(loc, "/masuk") {
					t.Errorf("%s %s (page, %s) answered the %s %d, want 303 to the login page", rt.method, rt.pattern, rt.who, who, code)
				}
				continue
			}
			if rt.who.public {
				if c == "login_required" || c == "session_ended" || c == "forbidden" {
					t.Errorf("%s %s (public) refused the %s: %d %s", rt.method, rt.pattern, who, code, c)
				}
			} else if code != 401 {
				t.Errorf("%s %s (%s) answered the %s %d %s, want 401", rt.method, rt.pattern, rt.who, who, code, c)
			}
		}
	}
	for _, r := range []officer.Role{officer.Viewer, officer.Operator, officer.Verifikator, officer.Admin} {
		for _, rt := range routes {
			code, c := roles[r].do(t, rt.method, srv.URL+fill.Replace(rt.pattern), "{}", nil)
			allowed := rt.who.public || rt.who.act == "" || r.May(rt.who.act)
			if rt.who.page {
				// Allowed: anything but the way to the login page (logging
				// out goes there on purpose). Refused: 403.
				code, loc := roles[r].page(t, rt.method, srv.URL+fill.Replace(rt.pattern))
				toLogin := code == 303 && strings.HasPrefix(loc, "/masuk")
				if allowed && toLogin && rt.pattern != "/keluar" || !allowed && code != 403 {
					t.Errorf("%s %s (page, %s) answered a %s %d %s, allowed %v", rt.method, rt.pattern, rt.who, r, code, loc, allowed)
				}
				continue
			}
			switch {
			case allowed && (c == "forbidden" || c == "login_required" || c == "session_ended"):
				t.Errorf("%s %s (%s) refused a %s: %d %s", rt.method, rt.pattern, rt.who, r, code, c)
			case !allowed && (code != 403 || c != "forbidden"):
				t.Errorf("%s %s (%s) answered a %s %d %s, want 403 forbidden", rt.method, rt.pattern, rt.who, r, code, c)
			}
		}
	}
}

// TestRevocationImmediate: disabling an officer, changing their role or
// resetting their password ends their session on its very next request.
func TestRevocationImmediate(t *testing.T) {
	_, srv := openTestNode(t)
	roles := staff(t, srv.URL)
	admin, op := roles[officer.Admin], roles[officer.Operator]
	check := func(what string) {
		t.Helper()
		if code, c := op.do(t, "GET", srv.URL+"/api/v1/complaints", nil, nil); code != 401 || c != "session_ended" {
			t.Fatalf("after %s: %d %s, want 401 session_ended", what, code, c)
		}
	}
	if code, _ := op.do(t, "GET", srv.URL+"/api/v1/complaints", nil, nil); code != 200 {
		t.Fatalf("the operator before: %d", code)
	}
	if code, c := admin.do(t, "POST", srv.URL+"/api/v1/officers/operator1", map[string]any{"role": "camat"}, nil); code != 422 || c != "invalid_input" {
		t.Fatalf("an unknown role: %d %s, want 422 invalid_input", code, c)
	}
	if code, _ := op.do(t, "GET", srv.URL+"/api/v1/complaints", nil, nil); code != 200 {
		t.Fatalf("the operator after a refused change: %d", code)
	}
	role := officer.Viewer
	admin.do(t, "POST", srv.URL+"/api/v1/officers/operator1", map[string]any{"role": role}, nil)
	check("a role change")
	op.login(t, srv.URL, "operator1", "balai desa operator", "")
	var reset NewOfficerAnswer
	admin.do(t, "POST", srv.URL+"/api/v1/officers/operator1/reset", nil, &reset)
	check("a password reset")
	op.login(t, srv.URL, "operator1", reset.Password, "balai desa baru operator")
	admin.do(t, "POST", srv.URL+"/api/v1/officers/operator1", map[string]any{"disabled": true}, nil)
	check("disabling the officer")
	if code, c := op.do(t, "POST", srv.URL+"/api/v1/login",
		map[string]string{"name": "operator1", "password": "balai desa baru operator"}, nil); code != 401 || c != "login_failed" {
		t.Fatalf("a disabled officer logs in: %d %s", code, c)
	}
	if code, _ := admin.do(t, "POST", srv.URL+"/api/v1/logout", nil, nil); code != 200 {
		t.Fatalf("logout: %d", code)
	}
	if code, c := admin.do(t, "GET", srv.URL+"/api/v1/officers", nil, nil); code != 401 {
		t.Fatalf("after logout: %d %s", code, c)
	}
}

// TestLockout: five failed logins lock the account, even for its right
// password, and five from one address lock that address for every
// account; the answer is 429 with words and a Retry-After.
func TestLockout(t *testing.T) {
	_, srv := openTestNode(t)
	roles := staff(t, srv.URL)
	_ = roles
	s := newSession(t)
	for range 5 {
		if code, c := s.do(t, "POST", srv.URL+"/api/v1/login", map[string]string{"name": "operator1", "password": "salah salah salah"}, nil); code != 401 || c != "login_failed" {
			t.Fatalf("a wrong password: %d %s", code, c)
		}
	}
	if code, c := s.do(t, "POST", srv.URL+"/api/v1/login", map[string]string{"name": "viewer1", "password": "balai desa viewer"}, nil); code != 429 || c != "locked" {
		t.Fatalf("another account from the locked address: %d %s, want 429", code, c)
	}
}

// TestActorIsTheSession: the history names the officer who logged in,
// whatever officer the request body names.
func TestActorIsTheSession(t *testing.T) {
	_, srv := openTestNode(t)
	roles := staff(t, srv.URL)
	in := sampleComplaint()
	in["officer"] = "camat"
	var c struct {
		ID      string `json:"id"`
		Actions []struct {
			Actor string `json:"actor"`
		} `json:"actions"`
	}
	if code, e := roles[officer.Operator].do(t, "POST", srv.URL+"/api/v1/complaints", in, &c); code != 201 {
		t.Fatalf("create: %d %s", code, e)
	}
	if code, e := roles[officer.Verifikator].do(t, "POST", srv.URL+"/api/v1/complaints/"+c.ID+"/actions",
		map[string]string{"action": "verify", "officer": "camat"}, &c); code != 200 {
		t.Fatalf("act: %d %s", code, e)
	}
	var actors []string
	for _, a := range c.Actions {
		actors = append(actors, a.Actor)
	}
	if strings.Contains(strings.Join(actors, ","), "camat") || actors[len(actors)-1] != "verifikator1" {
		t.Fatalf("history actors %v, want the logged-in officers", actors)
	}
	var seen struct {
		Reporter struct {
			NIK string `json:"nik"`
		} `json:"reporter"`
	}
	roles[officer.Viewer].do(t, "GET", srv.URL+"/api/v1/complaints/"+c.ID, nil, &seen)
	if seen.Reporter.NIK != "" {
		t.Fatal("a viewer reads a reporter's NIK")
	}
	roles[officer.Verifikator].do(t, "GET", srv.URL+"/api/v1/complaints/"+c.ID, nil, &seen)
	if seen.Reporter.NIK == "" {
		t.Fatal("a verifikator cannot read the reporter's NIK")
	}
}

// TestOfficersOnACluster: a kecamatan's officers and sessions are
// cluster state, written through raft.
func TestOfficersOnACluster(t *testing.T) {
	_, srv := serveTestMember(t)
	waitReady(t, srv.URL)
	roles := staff(t, srv.URL)
	if code, c := roles[officer.Verifikator].do(t, "GET", srv.URL+"/api/v1/complaints", nil, nil); code != 200 {
		t.Fatalf("a kecamatan verifikator lists complaints: %d %s", code, c)
	}
	if code, c := roles[officer.Operator].do(t, "POST", srv.URL+"/api/v1/sync/tokens", map[string]string{"region": "32.14.02.2001"}, nil); code != 403 || c != "forbidden" {
		t.Fatalf("an operator issues a sync token: %d %s", code, c)
	}
}

func waitReady(t testing.TB, url string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if code := call(t, "GET", url+"/readyz", nil, nil); code == 200 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the member is not ready")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// page sends a form request as s, following no redirect; it returns the
// status and the Location.
func (s *session) page(t testing.TB, method, url string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(""))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if s.token != "" {
		req.Header.Set("Authorization", "Bearer "+s.token)
	}
	if s.auth != "" {
		req.Header.Set("Authorization", s.auth)
	}
	c := *s.c
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Location")
}
