package testcluster

import (
	"errors"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/lumbung/lumbung/client"
	"github.com/lumbung/lumbung/httpapi"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/officer"
)

// TestRevocationAtEveryMember: a kecamatan's officers are cluster state.
// An officer logs in at one member and works at another; once an admin
// at a third member disables them, their token fails at every member on
// its very next request (each member catches up with the leader before
// it trusts a session). The same for a role changed, a password changed
// by its officer, and a logout, each at another member. The audit trail is cluster state: read at one
// member, it holds what was done at the others.
func TestRevocationAtEveryMember(t *testing.T) {
	c := NewCluster(t, 3, ClusterOptions{})
	ctx := t.Context()
	at := func(i int, token string) *client.Client {
		cl, err := client.New(c.Members[i].URL, client.Options{Token: token})
		if err != nil {
			t.Fatal(err)
		}
		return cl
	}
	var login func(i int, name, pw, final string) string
	login = func(i int, name, pw, final string) string {
		t.Helper()
		ans, err := at(i, "").Login(ctx, name, pw)
		if err != nil {
			t.Fatalf("login %s at member %d: %v", name, i, err)
		}
		if !ans.MustChange {
			return ans.Token
		}
		if err := at(i, ans.Token).SetPassword(ctx, pw, final); err != nil {
			t.Fatal(err)
		}
		return login(i, name, final, "")
	}
	first, err := at(0, c.Staff.Token(officer.Admin)).AddOfficer(ctx, httpapi.OfficerInput{Name: "sekcam", FullName: "Sekretaris Camat", Role: officer.Admin})
	if err != nil {
		t.Fatal(err)
	}
	admin := login(1, "sekcam", first.Password, "kantor kecamatan")
	added, err := at(2, admin).AddOfficer(ctx, httpapi.OfficerInput{Name: "kasi", FullName: "Kasi Pemerintahan", Role: officer.Verifikator})
	if err != nil {
		t.Fatal(err)
	}
	kasi := login(0, "kasi", added.Password, "pemerintahan desa")
	for i := range c.Members {
		if _, err := at(i, kasi).Complaints(ctx, nil); err != nil {
			t.Fatalf("the verifikator at member %d: %v", i, err)
		}
	}
	off := true
	if _, err := at(2, admin).ChangeOfficer(ctx, "kasi", node.OfficerChange{Disabled: &off}); err != nil {
		t.Fatal(err)
	}
	for i := range c.Members {
		if _, err := at(i, kasi).Complaints(ctx, nil); !errors.Is(err, client.ErrLogin) {
			t.Fatalf("the disabled verifikator at member %d: %v, want ErrLogin", i, err)
		}
	}
	// A role changed at member 0, a password changed at member 1, a
	// logout at member 2: the old token fails at every member at once.
	for k, revoke := range []func(name, pw, token string){
		func(name, _, _ string) {
			viewer := officer.Viewer
			if _, err := at(0, admin).ChangeOfficer(ctx, name, node.OfficerChange{Role: &viewer}); err != nil {
				t.Fatal(err)
			}
		},
		func(_, pw, token string) {
			if err := at(1, token).SetPassword(ctx, pw, "kata sandi yang baru"); err != nil {
				t.Fatal(err)
			}
		},
		func(_, _, token string) {
			if err := at(2, token).Logout(ctx); err != nil {
				t.Fatal(err)
			}
		},
	} {
		name := []string{"kasi1", "kasi2", "kasi3"}[k]
		added, err := at(k, admin).AddOfficer(ctx, httpapi.OfficerInput{Name: name, FullName: "Kasi " + name, Role: officer.Verifikator})
		if err != nil {
			t.Fatal(err)
		}
		pw := fmt.Sprintf("pelayanan umum nomor %d", k)
		tok := login((k+1)%3, name, added.Password, pw)
		for i := range c.Members {
			if _, err := at(i, tok).Complaints(ctx, nil); err != nil {
				t.Fatalf("%s at member %d: %v", name, i, err)
			}
		}
		revoke(name, pw, tok)
		for i := range c.Members {
			if _, err := at(i, tok).Complaints(ctx, nil); !errors.Is(err, client.ErrLogin) {
				t.Fatalf("%s's old token at member %d after revocation %d: %v, want ErrLogin", name, i, k, err)
			}
		}
	}
	Eventually(t, 20*time.Second, "the whole cluster's trail at member 1", func() bool {
		page, err := at(1, admin).Audit(ctx, url.Values{"limit": {"1000"}})
		if err != nil {
			return false
		}
		seen := map[string]bool{}
		for _, e := range page.Entries {
			seen[e.Officer+" "+e.Action+" "+e.Node] = true
		}
		return seen["kasi login 32.14.02 "+c.Members[0].URL] &&
			seen["sekcam POST /api/v1/officers/{name} 32.14.02 "+c.Members[2].URL]
	})
}
