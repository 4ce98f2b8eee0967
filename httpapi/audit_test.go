package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lumbung/lumbung/audit"
	demo "github.com/lumbung/lumbung/internal/staff"
	"github.com/lumbung/lumbung/officer"
)

// TestAuditTrail: a write, a read of a reporter's identity, a refused
// request of an officer, a login, a failed login and one with a password
// typed as the name are each in the trail, with who, the address and the
// node; a viewer's read (no identity) and an outsider's refused request
// are not; the trail holds no password and no token; an admin reads it
// with filters, and that read is itself in the trail.
func TestAuditTrail(t *testing.T) {
	_, srv := openTestNode(t)
	hire(t, srv.URL)
	s := demo.Lookup(srv.URL)
	var c struct{ ID string }
	if code := call(t, "POST", srv.URL+"/api/v1/complaints", sampleComplaint(), &c); code != 201 {
		t.Fatalf("take: %d", code)
	}
	send := func(role officer.Role, method, path string, body any) int {
		req := jsonRequest(t, method, srv.URL+path, body)
		if role != "" {
			req.Header.Set("Authorization", "Bearer "+s.Token(role))
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	send(officer.Verifikator, "GET", "/api/v1/complaints/"+c.ID, nil)
	send(officer.Operator, "GET", "/api/v1/complaints?q=3214024506870001&status=received", nil) // a search by NIK
	send(officer.Viewer, "GET", "/api/v1/complaints", nil)
	if code := send(officer.Operator, "POST", "/api/v1/officers", OfficerInput{Name: "x1", FullName: "X", Role: officer.Admin}); code != 403 {
		t.Fatalf("an operator adds an officer: %d", code)
	}
	send("", "POST", "/api/v1/complaints", sampleComplaint())
	send("", "POST", "/api/v1/login", map[string]string{"name": demo.Name(officer.Operator), "password": "salah sekali kata sandi"})
	send("", "POST", "/api/v1/login", map[string]string{"name": "Rahasia Sekali 99!", "password": "x"})
	send("", "POST", "/api/v1/login", map[string]string{"name": demo.Name(officer.Viewer), "password": demo.Password})

	want := []struct{ officer, action string }{
		{demo.Name(officer.Operator), "POST /api/v1/complaints"},
		{demo.Name(officer.Verifikator), "GET /api/v1/complaints/{id}"},
		{demo.Name(officer.Operator), "GET /api/v1/complaints"},
		{demo.Name(officer.Operator), "POST /api/v1/officers"},
		{demo.Name(officer.Operator), "login"},
		{"?", "login"},
		{demo.Name(officer.Viewer), "login"},
	}
	var page audit.Page
	var raw []byte
	deadline := time.Now().Add(10 * time.Second)
	for {
		req := jsonRequest(t, "GET", srv.URL+"/api/v1/audit?limit=100", nil)
		req.Header.Set("Authorization", "Bearer "+s.Token(officer.Admin))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		page = audit.Page{}
		_ = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		raw, _ = json.Marshal(page)
		if len(page.Entries) >= len(want) || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	find := func(who, action string) *audit.Entry {
		for i, e := range page.Entries {
			if e.Officer == who && e.Action == action {
				return &page.Entries[i]
			}
		}
		return nil
	}
	for _, w := range want {
		e := find(w.officer, w.action)
		if e == nil {
			t.Errorf("no %q by %q in the trail: %s", w.action, w.officer, raw)
			continue
		}
		if e.Addr != "127.0.0.1" || e.Node != string(testDesa) || e.At == 0 || e.Status == 0 {
			t.Errorf("entry %+v: want the address, the node, a time and a status", e)
		}
	}
	if e := find(demo.Name(officer.Operator), "POST /api/v1/officers"); e != nil && e.Status != 403 {
		t.Errorf("the refused request is recorded with %d, want 403", e.Status)
	}
	if find(demo.Name(officer.Viewer), "GET /api/v1/complaints") != nil {
		t.Error("a viewer's read, which shows no identity, is in the trail")
	}
	if find("", "POST /api/v1/complaints") != nil {
		t.Error("an outsider's refused request is in the trail")
	}
	for _, secret := range []string{"salah sekali", "Rahasia Sekali", demo.Password, "lbt_", "lbs_", "3214024506870001"} {
		if strings.Contains(string(raw), secret) {
			t.Errorf("the trail holds %q: %s", secret, raw)
		}
	}

	// The read of the trail is itself in the trail, and filters choose.
	var mine audit.Page
	q := fmt.Sprintf("/api/v1/audit?officer=%s&action=GET+/api/v1/audit", demo.Name(officer.Admin))
	deadline = time.Now().Add(10 * time.Second)
	for len(mine.Entries) == 0 && time.Now().Before(deadline) {
		req := jsonRequest(t, "GET", srv.URL+q, nil)
		req.Header.Set("Authorization", "Bearer "+s.Token(officer.Admin))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = json.NewDecoder(resp.Body).Decode(&mine)
		resp.Body.Close()
	}
	if len(mine.Entries) == 0 {
		t.Fatal("reading the trail is not in the trail")
	}
	for _, e := range mine.Entries {
		if e.Officer != demo.Name(officer.Admin) || e.Action != "GET /api/v1/audit" {
			t.Errorf("the filter let through %+v", e)
		}
	}
	if code := send(officer.Verifikator, "GET", "/api/v1/audit", nil); code != 403 {
		t.Errorf("a verifikator reads the trail: %d, want 403", code)
	}
	for _, q := range []string{"from=kemarin", "cursor=zz", "limit=0"} {
		if code := send(officer.Admin, "GET", "/api/v1/audit?"+q, nil); code != 422 && code != 400 {
			t.Errorf("%s: %d, want a 4xx", q, code)
		}
	}
}
