package node

import (
	"context"
	"errors"
	"testing"

	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/schema"
)

// TestOfficersAndSessions walks an account's life on a desa node: a weak
// password and a taken name are refused and change nothing; a wrong
// password, an unknown name and a disabled account log in nobody; and a
// session ends on its very next use once the officer's role or password
// changes, the account is disabled, or the officer logs out.
func TestOfficersAndSessions(t *testing.T) {
	ctx := context.Background()
	n := openTestNode(t)
	siti := officer.Account{Name: "siti", FullName: "Siti Aminah", Role: officer.Operator}

	before := storeDigest(t, n.Store())
	var ve *schema.ValidationError
	if _, err := n.AddOfficer(ctx, siti, "pendek", false); !errors.As(err, &ve) || ve.Fields["password"].ID == "" {
		t.Fatalf("a short password: %v, want a validation error on password", err)
	}
	if storeDigest(t, n.Store()) != before {
		t.Fatal("a refused officer changed the store")
	}
	a, err := n.AddOfficer(ctx, siti, "balai desa campaka", true)
	if err != nil {
		t.Fatal(err)
	}
	if a.Region != testDesa || a.Gen != 1 || !a.MustChange || a.Hash == "" {
		t.Fatalf("added %+v", a)
	}
	before = storeDigest(t, n.Store())
	if _, err := n.AddOfficer(ctx, siti, "balai desa campaka", false); !errors.Is(err, ErrOfficerExists) {
		t.Fatalf("a taken name: %v", err)
	}
	if storeDigest(t, n.Store()) != before {
		t.Fatal("a refused officer changed the store")
	}

	for name, pw := range map[string]string{"siti": "balai desa campakA", "budi": "balai desa campaka"} {
		if _, _, err := n.Login(ctx, name, pw, officer.Browser, "127.0.0.1"); !errors.Is(err, ErrBadLogin) {
			t.Fatalf("login %s with a wrong password: %v", name, err)
		}
	}
	login := func() string {
		t.Helper()
		secret, _, err := n.Login(ctx, "siti", "balai desa campaka", officer.Browser, "127.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		if got, _, err := n.Authenticate(ctx, secret, officer.Browser); err != nil || got.Name != "siti" {
			t.Fatalf("a fresh session: %v %v", got, err)
		}
		return secret
	}
	ended := func(what, secret string) {
		t.Helper()
		if _, _, err := n.Authenticate(ctx, secret, officer.Browser); !errors.Is(err, officer.ErrSessionEnded) {
			t.Fatalf("after %s the old session: %v, want ErrSessionEnded", what, err)
		}
	}

	s := login()
	if _, _, err := n.Authenticate(ctx, s, officer.Token); err == nil {
		t.Fatal("a browser session's secret works as an API token")
	}
	role := officer.Verifikator
	if _, err := n.ChangeOfficer(ctx, "siti", OfficerChange{Role: &role}); err != nil {
		t.Fatal(err)
	}
	ended("a role change", s)

	s = login()
	if err := n.SetPassword(ctx, "siti", "wrong password", "kantor desa baru"); !errors.Is(err, ErrBadLogin) {
		t.Fatalf("a password change with the wrong old one: %v", err)
	}
	if err := n.SetPassword(ctx, "siti", "balai desa campaka", "kantor desa baru"); err != nil {
		t.Fatal(err)
	}
	ended("a password change", s)
	if got, _, _ := n.Store().Officer("siti"); got.MustChange {
		t.Fatal("the one-time password is still to be changed after the change")
	}

	secret, _, err := n.Login(ctx, "siti", "kantor desa baru", officer.Browser, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Logout(ctx, secret, officer.Browser); err != nil {
		t.Fatal(err)
	}
	ended("logout", secret)

	secret, _, _ = n.Login(ctx, "siti", "kantor desa baru", officer.Browser, "127.0.0.1")
	off := true
	if _, err := n.ChangeOfficer(ctx, "siti", OfficerChange{Disabled: &off}); err != nil {
		t.Fatal(err)
	}
	ended("disabling the officer", secret)
	if _, _, err := n.Login(ctx, "siti", "kantor desa baru", officer.Browser, "127.0.0.1"); !errors.Is(err, ErrBadLogin) {
		t.Fatalf("a disabled officer logs in: %v", err)
	}

	pw, err := n.ResetPassword(ctx, "siti")
	if err != nil || officer.CheckPassword(pw, "siti") != nil {
		t.Fatalf("reset: %q %v", pw, err)
	}
	if _, err := n.ResetPassword(ctx, "nobody"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("reset of an unknown officer: %v", err)
	}
	if _, _, err := n.Authenticate(ctx, "lbs_not-a-secret", officer.Browser); !errors.Is(err, officer.ErrBadSecret) {
		t.Fatalf("a malformed secret: %v", err)
	}
}

// TestSessionsForgotten: a login forgets its officer's sessions that
// have ended, so the store holds no more than the live ones.
func TestSessionsForgotten(t *testing.T) {
	ctx := context.Background()
	n := openTestNode(t)
	if _, err := n.AddOfficer(ctx, officer.Account{Name: "budi", FullName: "Budi", Role: officer.Admin},
		"kantor kecamatan", false); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, _, err := n.Login(ctx, "budi", "kantor kecamatan", officer.Browser, "127.0.0.1"); err != nil {
			t.Fatal(err)
		}
	}
	role := officer.Viewer
	if _, err := n.ChangeOfficer(ctx, "budi", OfficerChange{Role: &role}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := n.Login(ctx, "budi", "kantor kecamatan", officer.Browser, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	if got := countPrefix(t, n.Store(), prefixSession); got != 1 {
		t.Fatalf("%d sessions kept, want the one live", got)
	}
}

func countPrefix(t *testing.T, s *Store, prefix string) int {
	t.Helper()
	p := []byte(prefix)
	it, err := s.db.NewIter(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	n := 0
	for it.SeekGE(p); it.Valid() && len(it.Key()) >= len(p) && string(it.Key()[:len(p)]) == prefix; it.Next() {
		n++
	}
	return n
}
