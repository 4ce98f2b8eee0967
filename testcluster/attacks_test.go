package testcluster

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lumbung/lumbung/catalogue"
	"github.com/lumbung/lumbung/localcluster"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/replication/cluster"
	"github.com/lumbung/lumbung/schema"
)

// TestReviewAttacks replays, on real nodes over loopback, every attack of
// the security review that opened issue 16, as an outsider who can reach
// the kecamatan's and the kabupaten's ports and holds nothing: each is
// refused with a 401 or 403 in plain words that gives nothing away, and
// every node's store is byte for byte what it was (the audit trail
// aside). On the desa laptop, a web page the officer visits cannot post
// with the officer's cookie, a body that does not say it is JSON is
// refused, and a foreign Host (DNS rebinding) is refused.
func TestReviewAttacks(t *testing.T) {
	kab, kec := kabupatenAndKecamatan(t)
	const region = schema.Code("32.14.02.2001")
	token, err := localcluster.Enroll(kec.Members[0].URL, region)
	if err != nil {
		t.Fatal(err)
	}
	desa, err := localcluster.StartDesa(t.TempDir(), region, DesaOptions{Logger: Logger(t), Upstream: kec.Members[0].URL,
		Token: token, Uplink: localcluster.FastUplink})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = desa.Stop() })
	Enrolled(t, desa, 3)

	// The desa takes a complaint, a confidential one, and submits its
	// monografi; all of it reaches the kecamatan and the kabupaten.
	open := sampleComplaint(region, false)
	secret := sampleComplaint(region, true)
	var ids []string
	for _, c := range []map[string]any{open, secret} {
		var got struct{ ID string }
		decode(t, mustDo(t, officer.Operator, "POST", desa.URL+"/api/v1/complaints", c, 201), &got)
		ids = append(ids, got.ID)
	}
	mustDo(t, officer.Operator, "PUT", docURL(desa.URL, region), map[string]any{"values": map[string]float64{"penduduk.kk": 2290}}, 200)
	mustDo(t, officer.Operator, "POST", docURL(desa.URL, region)+"/submit", nil, 200)
	for _, url := range []string{kec.Members[0].URL, kab.Members[0].URL} {
		waitStatus(t, url, region, "submitted")
		for _, id := range ids {
			Eventually(t, 30*time.Second, id+" at "+url, func() bool {
				_, err := apiClient(t, url).Complaint(t.Context(), id)
				return err == nil
			})
		}
	}
	// The desa laptop: its officers are logged in in the browser.
	cookies := map[officer.Role]string{officer.Operator: loginBrowser(t, desa.URL, officer.Operator),
		officer.Verifikator: loginBrowser(t, desa.URL, officer.Verifikator)}
	nodes := append(append([]*Member{desa}, kec.Members...), kab.Members...)
	WaitClusterConverged(t, kec)
	digests := func() [][32]byte {
		var out [][32]byte
		for _, m := range nodes {
			d, err := m.Node().Store().Digest()
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, d)
		}
		return out
	}
	before := digests()

	month := "/api/v1/monografi/" + string(region) + "/" + period
	tokens := "/api/v1/sync/tokens"
	attacks := []struct {
		what, method, path string
		body               any
	}{
		{"read every reporter", "GET", "/api/v1/complaints?limit=500", nil},
		{"read a confidential reporter", "GET", "/api/v1/complaints/" + ids[1], nil},
		{"reject a complaint as any officer", "POST", "/api/v1/complaints/" + ids[0] + "/actions",
			map[string]any{"action": "reject", "reason": "duplikat", "officer": "Camat"}},
		{"archive a complaint", "POST", "/api/v1/complaints/" + ids[0] + "/actions", map[string]any{"action": "archive"}},
		{"file a complaint under another's NIK", "POST", "/api/v1/complaints", open},
		{"approve a desa's monografi", "POST", month + "/approve", map[string]any{"officer": "Sekcam"}},
		{"return it", "POST", month + "/return", map[string]any{"note": "salah"}},
		{"unapprove it", "POST", month + "/unapprove", map[string]any{"note": "salah"}},
		{"overwrite its figures", "PUT", month, map[string]any{"values": map[string]float64{"penduduk.kk": 1}}},
		{"issue itself a sync token", "POST", tokens, map[string]string{"region": "32.14.02.2009"}},
		{"list the sync tokens", "GET", tokens, nil},
		{"revoke a real desa's token", "POST", tokens + "/" + string(region) + "/revoke", nil},
		{"push a phishing category", "POST", "/api/v1/catalogue", map[string]any{"categories": []catalogue.Category{{
			Code: "penipuan", LabelID: "Kirim NIK dan PIN Anda ke 0812-0000-0000", LabelEN: "Send your NIK and PIN"}}}},
		{"publish a one-entry region list", "POST", "/api/v1/regions", map[string]any{"regions": []node.Region{{Code: "32.14.02.2099", Name: "X"}}}},
		{"add itself as an officer", "POST", "/api/v1/officers", map[string]any{"name": "penyusup", "full_name": "X", "role": "admin"}},
		{"read the audit trail", "GET", "/api/v1/audit", nil},
		{"commit a raw command", "POST", cluster.PathPropose, map[string]any{"kind": "officer.add", "v": 1}},
		{"join the cluster as a voter", "POST", cluster.PathJoin, map[string]string{"id": "http://127.0.0.1:1", "raft_addr": "127.0.0.1:1"}},
		{"remove a real member", "POST", cluster.PathRemove, map[string]string{"id": kec.Members[0].URL}},
	}
	for _, m := range []*Member{kec.Members[1], kab.Members[0]} {
		for _, a := range attacks {
			path := a.path
			if m == kab.Members[0] && strings.HasPrefix(path, cluster.PathRemove) {
				continue // the kabupaten's members are not the kecamatan's
			}
			status, code, msg, raw := attack(t, a.method, m.URL+path, a.body, nil)
			want := "401 or 403"
			refused := (status == 401 || status == 403) && code != "" && msg != ""
			if strings.HasPrefix(path, "/api/v1/cluster/") && path != cluster.PathStatus {
				// The member endpoints are on the raft port only (TestMemberAttacks).
				want, refused = "404", status == 404 && code == "no_route"
			}
			if !refused {
				t.Errorf("%s at %s: %d %s %q, want %s in words", a.what, m.URL, status, code, msg, want)
			}
			for _, leak := range []string{"Siti Aminah", "3214024506870001", "0812", ids[1]} {
				if strings.Contains(raw, leak) {
					t.Errorf("%s at %s: the refusal gives away %q", a.what, m.URL, leak)
				}
			}
		}
	}

	act := "/api/v1/complaints/" + ids[0] + "/actions"
	for _, tc := range []struct {
		what    string
		headers map[string]string
		body    any
		status  int
	}{
		{"a cross-site POST with the officer's cookie", map[string]string{"Origin": "http://jahat.example",
			"Sec-Fetch-Site": "cross-site"}, open, 403},
		{"a POST with no Content-Type", map[string]string{"Content-Type": ""}, open, 415},
		{"a form POST", map[string]string{"Content-Type": "text/plain"}, open, 415},
		{"a foreign Host (DNS rebinding)", map[string]string{"Host": "jahat.example:8080"}, open, 421},
	} {
		for path, role := range map[string]officer.Role{"/api/v1/complaints": officer.Operator, act: officer.Verifikator} {
			h := map[string]string{"Cookie": cookies[role]}
			for k, v := range tc.headers {
				h[k] = v
			}
			body := tc.body
			if path == act {
				body = map[string]any{"action": "reject", "reason": "duplikat"}
			}
			status, code, msg, _ := attack(t, "POST", desa.URL+path, body, h)
			if status != tc.status || code == "" || msg == "" {
				t.Errorf("desa: %s to %s: %d %s %q, want %d in words", tc.what, path, status, code, msg, tc.status)
			}
		}
	}
	if after := digests(); len(after) != len(before) {
		t.Fatal("nodes changed")
	} else {
		for i := range after {
			if after[i] != before[i] {
				t.Errorf("the store of %s changed under the attacks", nodes[i].URL)
			}
		}
	}
}

// sampleComplaint is a complaint a citizen makes at region.
func sampleComplaint(region schema.Code, confidential bool) map[string]any {
	return map[string]any{"region": string(region), "channel": "walk_in", "category": "infrastruktur",
		"title": "Jalan desa rusak di RT 03", "description": "Jalan utama berlubang sejak musim hujan.",
		"reporter": map[string]any{"name": "Siti Aminah", "nik": "3214024506870001", "phone": "0812-3456-7890",
			"confidential": confidential}}
}

// attack sends a request as an outsider (no credential unless headers
// give one) and returns its status, error code, message and body.
func attack(t *testing.T, method, url string, body any, headers map[string]string) (int, string, string, string) {
	t.Helper()
	req := jsonRequest(t, method, url, body)
	for k, v := range headers {
		switch {
		case k == "Host":
			req.Host = v
		case v == "":
			req.Header.Del(k)
		default:
			req.Header.Set(k, v)
		}
	}
	resp, err := (&http.Client{Timeout: 20 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	_ = json.Unmarshal(raw, &e)
	return resp.StatusCode, e.Error.Code, e.Error.Message, string(raw)
}

// loginBrowser logs the node's officer of role r in as a browser does and
// returns the session cookie to send.
func loginBrowser(t *testing.T, url string, r officer.Role) string {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"name": "demo." + string(r), "password": "sandi-demo-2026"})
	resp, err := http.Post(url+"/api/v1/login", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == "lumbung_session" {
			return c.Name + "=" + c.Value
		}
	}
	t.Fatalf("login at %s: %s, no session cookie", url, resp.Status)
	return ""
}
