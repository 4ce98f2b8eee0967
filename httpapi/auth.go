package httpapi

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/schema"
)

// CookieName is the browser session's cookie.
const CookieName = "lumbung_session"

// errNoCredential is a request that presents neither a session cookie
// nor an API token.
var errNoCredential = errors.New("httpapi: no credential")

// gate is what the API keeps between requests to guard logins: the
// throttle of failed logins and the bound on argon2id hashes in flight
// (each takes 64 MiB).
type gate struct {
	mu       sync.Mutex
	throttle *officer.Throttle
	hashing  chan struct{}
	// lookups bounds a citizen's tracking lookups per address; issues,
	// the sync tokens an officer issues.
	lookups, issues *window
}

func newGate() *gate {
	return &gate{throttle: officer.NewThrottle(), hashing: make(chan struct{}, 2),
		lookups: newWindow(trackLimit, trackWindow), issues: newWindow(issueLimit, issueWindow)}
}

type ctxKey struct{}

// caller returns the officer a request acts for, from its session cookie
// or its API token (Authorization: Bearer lbt_…).
func (a *api) caller(r *http.Request) (*officer.Account, error) {
	if auth := r.Header.Get("Authorization"); auth != "" {
		tok, ok := strings.CutPrefix(auth, "Bearer ")
		if !ok {
			return nil, officer.ErrBadSecret
		}
		acct, _, err := a.n.Authenticate(r.Context(), tok, officer.Token)
		return acct, err
	}
	if c, err := r.Cookie(CookieName); err == nil {
		acct, _, err := a.n.Authenticate(r.Context(), c.Value, officer.Browser)
		return acct, err
	}
	return nil, errNoCredential
}

// officerOf returns the officer a guarded request acts for (nil only on
// a public route).
func officerOf(r *http.Request) *officer.Account {
	a, _ := r.Context().Value(ctxKey{}).(*officer.Account)
	return a
}

// actor is who a write is recorded as made by: the logged-in officer,
// never what the request says.
func actor(r *http.Request) string {
	if a := officerOf(r); a != nil {
		return a.Name
	}
	return ""
}

// guard checks a route's access before its handler runs: every route
// that is not public needs a logged-in officer whose role allows it. A
// node has no officer only until its first admin is added (lumbung init,
// or the first serve of a node made before officers existed), and until
// then it answers nobody.
func (a *api) guard(x access, h http.HandlerFunc) http.HandlerFunc {
	if x.public && x.page {
		// A public page still shows who is logged in, when someone is.
		return func(w http.ResponseWriter, r *http.Request) {
			if acct, err := a.caller(r); err == nil {
				r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, acct))
			}
			h(w, r)
		}
	}
	if x.public || x.own != "" {
		return h
	}
	return func(w http.ResponseWriter, r *http.Request) {
		acct, err := a.caller(r)
		if err != nil {
			drain(r) // a client that sends its whole body first still reads the refusal
			if x.page {
				loginRedirect(w, r)
				return
			}
			a.refuse(w, r, err)
			return
		}
		if acct.MustChange && x.act != "" {
			drain(r)
			if x.page {
				http.Redirect(w, r, "/sandi", http.StatusSeeOther)
				return
			}
			locale.WriteError(w, r, newError(http.StatusForbidden, "password_change_required", msgMustChange))
			a.record(r, acct, http.StatusForbidden)
			return
		}
		if x.act != "" && !acct.Role.May(x.act) {
			drain(r)
			a.record(r, acct, http.StatusForbidden)
			if x.page {
				r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, acct))
				p := a.page(w, r, "ui.complaints")
				p.Flash = locale.Key("ui.forbidden").In(p.Lang)
				p.Data = trackData{}
				a.pages.Render(w, r, http.StatusForbidden, "track", p)
				return
			}
			locale.WriteError(w, r, newError(http.StatusForbidden, "forbidden", msgForbidden, acct.Role))
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, acct)))
	}
}

// refuse answers a request whose credential acts for nobody.
func (a *api) refuse(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, errNoCredential):
		locale.WriteError(w, r, newError(http.StatusUnauthorized, "login_required", msgLoginRequired))
	case errors.Is(err, officer.ErrSessionEnded), errors.Is(err, officer.ErrBadSecret):
		locale.WriteError(w, r, newError(http.StatusUnauthorized, "session_ended", msgSessionEnded))
	default:
		a.fail(w, r, err)
	}
}

type loginInput struct {
	Name     string `json:"name"`
	Password string `json:"password"`
	// Token asks for an API token (the CLI) instead of a cookie.
	Token bool `json:"token,omitempty"`
}

// LoginAnswer is what a login answers: who logged in and, for the CLI,
// its API token (given once).
type LoginAnswer struct {
	Officer    officer.Public `json:"officer"`
	Token      string         `json:"token,omitempty"`
	MustChange bool           `json:"must_change"`
}

// login checks a name and password, throttled per account and per
// address, and begins a session: a cookie for a browser, a token for the
// CLI.
func (a *api) login(w http.ResponseWriter, r *http.Request) {
	var in loginInput
	if e := decodeJSON(w, r, 4<<10, &in); e != nil {
		locale.WriteError(w, r, e)
		return
	}
	kind := officer.Browser
	if in.Token {
		kind = officer.Token
	}
	secret, acct, p, err := a.signIn(w, r, in.Name, in.Password, kind)
	switch {
	case p != nil:
		locale.WriteError(w, r, p)
		return
	case err != nil:
		a.fail(w, r, err)
		return
	case acct == nil:
		return // the caller hung up
	}
	ans := LoginAnswer{Officer: acct.Public(), MustChange: acct.MustChange}
	if kind == officer.Token {
		ans.Token = secret
	}
	locale.WriteJSON(w, http.StatusOK, ans)
}

// signIn is every login, the API's and the login page's: throttled by
// account and address, at most two password hashes at once, audited.
// A browser session's cookie is set on w. It returns the refusal to
// show (locked, wrong password) as p, or a failure as err; acct is nil
// with neither when the caller hung up.
func (a *api) signIn(w http.ResponseWriter, r *http.Request, login, pw string, kind officer.Kind) (secret string, acct *officer.Account, p *locale.Problem, err error) {
	addr := clientAddr(r)
	name := login
	if officer.CheckName(name) != nil {
		name = "?" // not a login: neither kept in the throttle nor logged (it may be a password typed in the wrong box)
	}
	keys := []string{"acct:" + name, "addr:" + addr}
	now := time.Now()
	a.gate.mu.Lock()
	for _, k := range keys {
		if until, locked := a.gate.throttle.Locked(k, now); locked {
			a.gate.mu.Unlock()
			mins := int(until.Sub(now).Minutes()) + 1
			w.Header().Set("Retry-After", strconv.Itoa(int(until.Sub(now).Seconds())+1))
			a.recordLogin(r, name, "", http.StatusTooManyRequests)
			return "", nil, newError(http.StatusTooManyRequests, "locked", msgLocked, mins), nil
		}
	}
	a.gate.mu.Unlock()
	select {
	case a.gate.hashing <- struct{}{}:
	case <-r.Context().Done():
		return "", nil, nil, nil
	}
	secret, acct, err = a.n.Login(r.Context(), login, pw, kind, addr)
	<-a.gate.hashing
	if errors.Is(err, node.ErrBadLogin) {
		a.gate.mu.Lock()
		for _, k := range keys {
			a.gate.throttle.Fail(k, now)
		}
		a.gate.mu.Unlock()
		a.log.Warn("login refused", "officer", name, "addr", addr)
		a.recordLogin(r, name, "", http.StatusUnauthorized)
		return "", nil, newError(http.StatusUnauthorized, "login_failed", msgLoginFailed), nil
	}
	if err != nil {
		return "", nil, nil, err
	}
	a.gate.mu.Lock()
	a.gate.throttle.Succeed(keys[0])
	a.gate.mu.Unlock()
	a.log.Info("login", "officer", acct.Name, "addr", addr, "kind", kind)
	a.recordLogin(r, acct.Name, acct.Role, http.StatusOK)
	if kind == officer.Browser {
		http.SetCookie(w, &http.Cookie{Name: CookieName, Value: secret, Path: "/", HttpOnly: true,
			Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
	}
	return secret, acct, nil, nil
}

// logout ends the caller's session and clears its cookie.
func (a *api) logout(w http.ResponseWriter, r *http.Request) {
	var err error
	if auth := r.Header.Get("Authorization"); auth != "" {
		err = a.n.Logout(r.Context(), strings.TrimPrefix(auth, "Bearer "), officer.Token)
	} else if c, cerr := r.Cookie(CookieName); cerr == nil {
		err = a.n.Logout(r.Context(), c.Value, officer.Browser)
	}
	if err != nil && !errors.Is(err, officer.ErrBadSecret) {
		a.fail(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
	locale.WriteJSON(w, http.StatusOK, map[string]string{"status": "logged_out"})
}

type passwordInput struct {
	Old string `json:"old"`
	New string `json:"new"`
}

// setPassword changes the caller's own password; every session of theirs
// ends, so they log in again with it.
func (a *api) setPassword(w http.ResponseWriter, r *http.Request) {
	me := officerOf(r)
	if me == nil {
		a.refuse(w, r, errNoCredential)
		return
	}
	var in passwordInput
	if e := decodeJSON(w, r, 4<<10, &in); e != nil {
		locale.WriteError(w, r, e)
		return
	}
	a.gate.hashing <- struct{}{}
	err := a.n.SetPassword(r.Context(), me.Name, in.Old, in.New)
	<-a.gate.hashing
	if errors.Is(err, node.ErrBadLogin) {
		locale.WriteError(w, r, newError(http.StatusForbidden, "wrong_password", msgWrongPassword))
		return
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	locale.WriteJSON(w, http.StatusOK, map[string]string{"status": "changed"})
}

// OfficerInput is what an admin sends to add an officer.
type OfficerInput struct {
	Name     string       `json:"name"`
	FullName string       `json:"full_name"`
	Role     officer.Role `json:"role"`
}

// NewOfficerAnswer is an officer added or reset, with the one-time
// password, given once.
type NewOfficerAnswer struct {
	Officer  officer.Public `json:"officer"`
	Password string         `json:"password"`
}

func (a *api) listOfficers(w http.ResponseWriter, r *http.Request) {
	all, err := a.st.Officers()
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := make([]officer.Public, 0, len(all))
	for _, o := range all {
		out = append(out, o.Public())
	}
	locale.WriteJSON(w, http.StatusOK, map[string][]officer.Public{"officers": out})
}

func (a *api) addOfficer(w http.ResponseWriter, r *http.Request) {
	var in OfficerInput
	if e := decodeJSON(w, r, 4<<10, &in); e != nil {
		locale.WriteError(w, r, e)
		return
	}
	pw := officer.NewPassword()
	acct, err := a.n.AddOfficer(r.Context(), officer.Account{Name: in.Name, FullName: in.FullName, Role: in.Role}, pw, true)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.log.Info("officer added", "officer", acct.Name, "role", acct.Role, "by", actor(r))
	locale.WriteJSON(w, http.StatusCreated, NewOfficerAnswer{Officer: acct.Public(), Password: pw})
}

func (a *api) changeOfficer(w http.ResponseWriter, r *http.Request) {
	var in node.OfficerChange
	if e := decodeJSON(w, r, 4<<10, &in); e != nil {
		locale.WriteError(w, r, e)
		return
	}
	acct, err := a.n.ChangeOfficer(r.Context(), r.PathValue("name"), in)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.log.Info("officer changed", "officer", acct.Name, "by", actor(r))
	locale.WriteJSON(w, http.StatusOK, acct.Public())
}

func (a *api) resetPassword(w http.ResponseWriter, r *http.Request) {
	pw, err := a.n.ResetPassword(r.Context(), r.PathValue("name"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	acct, _, err := a.st.Officer(r.PathValue("name"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.log.Info("password reset", "officer", acct.Name, "by", actor(r))
	locale.WriteJSON(w, http.StatusOK, NewOfficerAnswer{Officer: acct.Public(), Password: pw})
}

// redact removes the reporter's identity from c when the caller's role
// may not read it (MayReadIdentity).
func redact(r *http.Request, c *schema.Complaint) {
	if me := officerOf(r); me != nil && !officer.MayReadIdentity(me.Role) {
		c.Reporter = schema.Reporter{Anonymous: c.Reporter.Anonymous, Confidential: c.Reporter.Confidential}
	}
}

// clientAddr is the address a request came from, without its port.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
