package httpapi

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/schema"
)

// An office made before identity keys gets one from its admin, whose
// recovery key is answered once; a second is refused; the recovery key
// unlocks the office, another one or a garbled one is refused in words;
// from then on an anonymous reporter is sealed, and its identity still
// reads for an officer allowed to.
func TestIdentityKeyAPI(t *testing.T) {
	n, srv := openTestNode(t)
	for _, a := range []officer.Account{{Name: "kades", FullName: "Kepala Desa", Role: officer.Admin},
		{Name: "loket", FullName: "Petugas Loket", Role: officer.Operator}} {
		if _, err := n.AddOfficer(t.Context(), a, "kantor desa campaka", false); err != nil {
			t.Fatal(err)
		}
	}
	login := func(name string) *session {
		s := newSession(t)
		var tok LoginAnswer
		if code, body := s.do(t, "POST", srv.URL+"/api/v1/login", map[string]any{"name": name, "password": "kantor desa campaka", "token": true}, &tok); code != 200 {
			t.Fatalf("login %s: %d %s", name, code, body)
		}
		s.token = tok.Token
		return s
	}
	admin := login("kades")
	var st IdentityStatus
	if code, _ := admin.do(t, "GET", srv.URL+"/api/v1/identity", nil, &st); code != 200 || st.HasKey {
		t.Fatalf("status of an office made before keys: %d %+v", code, st)
	}
	var rk RecoveryAnswer
	if code, body := admin.do(t, "POST", srv.URL+"/api/v1/identity/key", nil, &rk); code != 201 || len(strings.Split(rk.RecoveryKey, "-")) != 13 {
		t.Fatalf("make the key: %d %s", code, body)
	}
	if code, c := admin.do(t, "POST", srv.URL+"/api/v1/identity/key", nil, nil); code != 409 || c != "office_key_exists" {
		t.Fatalf("a second key: %d %s", code, c)
	}
	for _, tc := range []struct {
		key, code string
		status    int
	}{
		{"bukan kunci", "bad_recovery_key", 400},
		{strings.Repeat("ABCD-", 12) + "ABCD", "wrong_recovery_key", 403},
		{strings.ToLower(rk.RecoveryKey), "", 200},
	} {
		code, c := admin.do(t, "POST", srv.URL+"/api/v1/identity/unlock", UnlockInput{RecoveryKey: tc.key}, nil)
		if code != tc.status || c != tc.code {
			t.Errorf("unlock with %q: %d %s, want %d %s", tc.key, code, c, tc.status, tc.code)
		}
	}
	if code, _ := admin.do(t, "GET", srv.URL+"/api/v1/identity", nil, &st); code != 200 || !st.HasKey || !st.Unlocked ||
		!strings.HasPrefix(st.PublicKey, "lmbpub1_") {
		t.Fatalf("status after: %+v", st)
	}
	in := testInput(5)
	in.Reporter = schema.Reporter{Name: "Kartawijaya Anonim", NIK: "3214020101700022", Anonymous: true}
	c, err := n.CreateComplaint(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	var got schema.Complaint
	if code, body := login("loket").do(t, "GET", srv.URL+"/api/v1/complaints/"+c.ID, nil, &got); code != 200 ||
		got.Reporter.NIK != in.Reporter.NIK || got.Reporter.IdentityLocked {
		t.Fatalf("the operator reads: %d %s", code, body)
	}

	// A subject-access request: the complaints holding the NIK, an
	// ordinary reporter and the anonymous one, never the identity.
	plain := testInput(6)
	plain.Reporter.NIK = in.Reporter.NIK
	c2, err := n.CreateComplaint(t.Context(), plain)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.CreateComplaint(t.Context(), testInput(7)); err != nil {
		t.Fatal(err)
	}
	var ans SubjectAnswer
	code, body := admin.do(t, "POST", srv.URL+"/api/v1/identity/subject", SubjectInput{NIK: in.Reporter.NIK}, &ans)
	if code != 200 || len(ans.Complaints) != 2 || ans.Locked != 0 || strings.Contains(body, "Kartawijaya") {
		t.Fatalf("subject access: %d %s", code, body)
	}
	if ids := ans.Complaints[0].ID + " " + ans.Complaints[1].ID; !strings.Contains(ids, c.ID) || !strings.Contains(ids, c2.ID) {
		t.Fatalf("subject access found %s, want %s and %s", ids, c.ID, c2.ID)
	}
	if code, c := admin.do(t, "POST", srv.URL+"/api/v1/identity/subject", SubjectInput{NIK: "3214"}, nil); code != 400 || c != "bad_nik" {
		t.Fatalf("a short NIK: %d %s", code, c)
	}

	// Erasure on request: the complaint stays, its reporter reads erased,
	// and the NIK is found no more; erasing again says so; an operator
	// may not, and a number that is no complaint is not found.
	if code, _ := login("loket").do(t, "POST", srv.URL+"/api/v1/identity/erase", EraseInput{ID: c2.ID}, nil); code != 403 {
		t.Fatalf("an operator's erasure: %d", code)
	}
	var er EraseAnswer
	if code, body := admin.do(t, "POST", srv.URL+"/api/v1/identity/erase", EraseInput{ID: c2.ID}, &er); code != 200 || !er.Erased {
		t.Fatalf("erasure: %d %s", code, body)
	}
	if code, body := admin.do(t, "POST", srv.URL+"/api/v1/identity/erase", EraseInput{ID: c2.ID}, &er); code != 200 || er.Erased {
		t.Fatalf("erasure again: %d %s", code, body)
	}
	if code, _ := admin.do(t, "POST", srv.URL+"/api/v1/identity/erase", EraseInput{ID: "3214022001-AAAAAA-0000"}, nil); code != 404 {
		t.Fatalf("erasing no complaint: %d", code)
	}
	var gone schema.Complaint
	if code, body := login("loket").do(t, "GET", srv.URL+"/api/v1/complaints/"+c2.ID, nil, &gone); code != 200 ||
		!gone.Reporter.IdentityErased || gone.Reporter.NIK != "" || gone.Title != plain.Title {
		t.Fatalf("the erased complaint reads: %d %s %+v", code, body, gone)
	}
	if code, body := admin.do(t, "POST", srv.URL+"/api/v1/identity/subject", SubjectInput{NIK: in.Reporter.NIK}, &ans); code != 200 ||
		len(ans.Complaints) != 1 || ans.Complaints[0].ID != c.ID {
		t.Fatalf("subject access after the erasure: %d %s", code, body)
	}
}

// The admin's identity-key page: an office made before keys gets one,
// its recovery key shown once on the page; a garbled or wrong recovery
// key is refused in words; the right one, typed in lower case, unlocks.
func TestIdentityPage(t *testing.T) {
	n, srv := openTestNode(t)
	if _, err := n.AddOfficer(t.Context(), officer.Account{Name: "kades", FullName: "Kepala Desa", Role: officer.Admin},
		"kantor desa campaka", false); err != nil {
		t.Fatal(err)
	}
	admin := newSession(t)
	if code, _, _ := admin.postForm(t, srv.URL+"/masuk", url.Values{"name": {"kades"}, "password": {"kantor desa campaka"}}); code != 303 {
		t.Fatalf("login: %d", code)
	}
	if _, body := admin.get(t, srv.URL+"/identitas"); !strings.Contains(body, "belum punya kunci") || !strings.Contains(body, `action="/identitas/kunci"`) {
		t.Fatalf("the page of an office with no key:\n%s", body)
	}
	code, _, body := admin.postForm(t, srv.URL+"/identitas/kunci", nil)
	m := regexp.MustCompile(`(?:[0-9A-Z]{4}-){12}[0-9A-Z]{4}`).FindString(body)
	if code != 201 || m == "" || !strings.Contains(body, "tulis di kertas") || !strings.Contains(body, "disegel untuk kantor wilayah: "+string(testDesa)) {
		t.Fatalf("make the key: %d\n%s", code, body)
	}
	if _, body := admin.get(t, srv.URL+"/identitas"); strings.Contains(body, m) || !strings.Contains(body, "terbuka") {
		t.Fatalf("the recovery key shown again, or the key not open:\n%s", body)
	}
	if code, _, _ := admin.postForm(t, srv.URL+"/identitas/kunci", nil); code != 409 {
		t.Fatalf("a second key: %d", code)
	}
	for _, tc := range []struct {
		typed  string
		status int
		words  string
	}{
		{"bukan kunci", 400, "tidak terbaca"},
		{strings.Repeat("ABCD-", 12) + "ABCD", 403, "bukan milik kantor ini"},
		{strings.ToLower(m), 200, "Kunci identitas pelapor terbuka"},
	} {
		code, _, body := admin.postForm(t, srv.URL+"/identitas/buka", url.Values{"recovery": {tc.typed}})
		if code != tc.status || !strings.Contains(body, tc.words) {
			t.Errorf("unlock with %q: %d, want %d %q", tc.typed, code, tc.status, tc.words)
		}
	}
}
