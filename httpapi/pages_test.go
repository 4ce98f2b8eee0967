package httpapi

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/replication/exchange"
	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/workday"
)

// get fetches url as s and returns the status and the body.
func (s *session) get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := s.c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// The pages render what officers and citizens typed as text, never as
// markup; a viewer's pages hold no reporter's name, NIK or phone; every
// page forbids inline script by its policy; a page asked for without a
// session leads to the login page.
func TestPagesSafety(t *testing.T) {
	n, srv := openTestNode(t)
	roles := staff(t, srv.URL)
	in := testInput(1)
	in.Title = `<script>alert("x")</script><b>Jalan</b>`
	in.Reporter = schema.Reporter{Name: "Siti Aminah", NIK: "3214021204900001", Phone: "081234567890"}
	c, err := n.CreateComplaint(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/pengaduan", "/pengaduan/" + c.ID} {
		status, body := roles[officer.Operator].get(t, srv.URL+path)
		if status != 200 || strings.Contains(body, "<script>alert") || !strings.Contains(body, "&lt;script&gt;") {
			t.Errorf("%s as an operator: %d, the title as markup or missing", path, status)
		}
	}
	if _, body := roles[officer.Operator].get(t, srv.URL+"/pengaduan/"+c.ID); !strings.Contains(body, "3214021204900001") {
		t.Error("the operator does not see the reporter's NIK")
	}
	for _, path := range []string{"/pengaduan", "/pengaduan/" + c.ID, "/pengaduan/" + c.ID + "/tanda-terima", "/lacak?no=" + c.ID} {
		status, body := roles[officer.Viewer].get(t, srv.URL+path)
		for _, secret := range []string{"Siti", "3214021204900001", "081234567890"} {
			if strings.Contains(body, secret) {
				t.Errorf("%s as a viewer (%d) shows %q", path, status, secret)
			}
		}
	}
	resp, err := http.Get(srv.URL + "/lacak")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("a page's policy: %q", csp)
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = noFollow.Get(srv.URL + "/pengaduan?status=received")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode != 303 || loc != "/masuk?next=%2Fpengaduan%3Fstatus%3Dreceived" {
		t.Errorf("a page without a session: %d to %q", resp.StatusCode, loc)
	}
	missing := schema.TrackingNumber(n.Store().Origin(), 999)
	for _, path := range []string{"/pengaduan/" + missing, "/pengaduan/bukan-nomor", "/lacak?no=" + missing} {
		if status, _ := roles[officer.Operator].get(t, srv.URL+path); status != 404 {
			t.Errorf("%s: %d, want 404", path, status)
		}
	}
	for _, next := range []string{"//evil.example/", "https://evil.example/", "/\\evil.example"} {
		if got := safeNext(next); got != "/pengaduan" {
			t.Errorf("safeNext(%q) = %q", next, got)
		}
	}
}

// The stylesheet and the pinned htmx are served from the binary,
// compressed for a browser that takes gzip.
func TestStaticAssets(t *testing.T) {
	_, srv := openTestNode(t)
	for _, path := range []string{"/static/style.css", "/static/htmx-2.0.11.min.js", "/static/htmx-LICENSE.txt"} {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("%s: %d %q", path, resp.StatusCode, resp.Header.Get("Content-Encoding"))
		}
	}
}

// The sync page says in one line when the laptop last synced and what
// waits, and what went wrong in words: here an upstream that cannot be
// reached, with a complaint waiting.
func TestSyncPage(t *testing.T) {
	cfg := node.DefaultConfig(node.TierDesa, testDesa)
	cfg.Upstream, cfg.Token = "http://127.0.0.1:1", "lmb_0123456789ABCDEFGHJKMNPQRS"
	n, srv := serveTestNode(t, cfg, node.Options{Logger: testLogger(t), PasswordCost: cheapPasswords,
		Uplink: func(c *exchange.UplinkConfig) { c.MinBackoff, c.MaxBackoff = 10*time.Millisecond, 50*time.Millisecond }})
	roles := staff(t, srv.URL)
	if _, err := n.CreateComplaint(t.Context(), testInput(2)); err != nil {
		t.Fatal(err)
	}
	// The complaint, the key of the epoch its reporter is sealed under,
	// and the office's public key.
	waiting, err := n.Store().PendingUp(0)
	if err != nil || waiting != 3 {
		t.Fatalf("changes waiting: %d, %v; want 3", waiting, err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		_, body := roles[officer.Operator].get(t, srv.URL+"/sinkron")
		if strings.Contains(body, "belum pernah tersinkron · 3 perubahan menunggu") && strings.Contains(body, "tidak dapat dihubungi") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the sync page:\n%s", body)
		}
		time.Sleep(50 * time.Millisecond) // the uplink retries by itself
	}
	if _, body := roles[officer.Operator].get(t, srv.URL+"/sinkron?lang=en"); !strings.Contains(body, "never synced · changes waiting: 3") {
		t.Errorf("the sync page in English:\n%s", body)
	}
}

// postForm posts values as s, following no redirect; it returns the
// status, the Location and the body.
func (s *session) postForm(t *testing.T, url string, values url.Values) (int, string, string) {
	t.Helper()
	c := *s.c
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.PostForm(url, values)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(b)
}

// A kecamatan's triage queue lists its desa's open complaints, oldest
// first, with their working-day deadline; the complaint's page offers the
// actions its status allows; an action missing what it needs (a forward
// without a unit) is refused on the page in words and stores nothing,
// and the same action complete is recorded as the officer's.
func TestQueueAndActions(t *testing.T) {
	n, srv := serveTestMember(t)
	roles := staff(t, srv.URL)
	var ids []string
	for i := range 2 {
		c, err := n.CreateComplaint(t.Context(), testInput(10+i))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	v := roles[officer.Verifikator]
	status, body := v.get(t, srv.URL+"/antrean")
	if status != 200 || !strings.Contains(body, ids[0]) || strings.Index(body, ids[0]) > strings.Index(body, ids[1]) ||
		!strings.Contains(body, "diteruskan paling lambat") {
		t.Fatalf("the queue: %d\n%s", status, body)
	}
	page := srv.URL + "/pengaduan/" + ids[0]
	if _, body := v.get(t, page); !strings.Contains(body, `value="verify"`) || strings.Contains(body, `value="resolve"`) {
		t.Fatalf("the actions offered for a received complaint:\n%s", body)
	}
	act := func(values url.Values) (int, string, string) { return v.postForm(t, page+"/tindakan", values) }
	if code, _, _ := act(url.Values{"action": {"verify"}}); code != 303 {
		t.Fatalf("verify: %d", code)
	}
	before := storeDigest(t, n.Store())
	code, _, body := act(url.Values{"action": {"forward"}})
	if code != 422 || !strings.Contains(body, "class=\"err\"") || storeDigest(t, n.Store()) != before {
		t.Fatalf("a forward without a unit: %d, stored %v\n%s", code, storeDigest(t, n.Store()) != before, body)
	}
	if code, loc, _ := act(url.Values{"action": {"forward"}, "unit": {"Dinas PUPR"}}); code != 303 || loc != "/pengaduan/"+ids[0] {
		t.Fatalf("forward: %d %s", code, loc)
	}
	c, err := n.Store().Complaint(ids[0])
	if err != nil || c.Status != schema.StatusForwarded || c.Actions[len(c.Actions)-1].Actor != "verifikator1" ||
		c.Actions[len(c.Actions)-1].Unit != "Dinas PUPR" {
		t.Fatalf("after the forward: %+v %v", c, err)
	}
	if code, _, _ := roles[officer.Operator].postForm(t, page+"/tindakan", url.Values{"action": {"resolve"}}); code != 403 {
		t.Fatalf("an operator acting: %d, want 403", code)
	}
}

// The monografi form reads numbers as the officer writes them (7.412), names a
// sum that does not agree on its fields in words, stores nothing then,
// saves what agrees, and submits it.
func TestMonografiPage(t *testing.T) {
	n, srv := openTestNode(t)
	op := staff(t, srv.URL)[officer.Operator]
	status, body := op.get(t, srv.URL+"/monografi?periode=2026-S1")
	if status != 200 || !strings.Contains(body, `name="v.penduduk.jumlah"`) || !strings.Contains(body, "masih draf") {
		t.Fatalf("the form: %d\n%s", status, body)
	}
	before := storeDigest(t, n.Store())
	form := url.Values{"periode": {"2026-S1"}, "v.penduduk.jumlah": {"7.412"}, "v.penduduk.laki_laki": {"3.700"},
		"v.penduduk.perempuan": {"3.710"}}
	code, _, body := op.postForm(t, srv.URL+"/monografi", form)
	if code != 422 || !strings.Contains(body, "7.410") || storeDigest(t, n.Store()) != before {
		t.Fatalf("a sum that does not agree: %d, stored %v\n%s", code, storeDigest(t, n.Store()) != before, body)
	}
	if !strings.Contains(body, `value="3.710"`) {
		t.Error("the figures typed are not kept on the form")
	}
	form.Set("v.penduduk.perempuan", "3.712")
	if code, loc, _ := op.postForm(t, srv.URL+"/monografi", form); code != 303 || loc != "/monografi?periode=2026-S1" {
		t.Fatalf("save: %d %s", code, loc)
	}
	doc, err := n.Store().Monografi(testDesa, "2026-S1")
	if err != nil || doc.Values["penduduk.jumlah"] != 7412 || doc.Values["penduduk.perempuan"] != 3712 {
		t.Fatalf("saved: %+v %v", doc, err)
	}
	if code, _, _ := op.postForm(t, srv.URL+"/monografi/ajukan", url.Values{"periode": {"2026-S1"}}); code != 303 {
		t.Fatalf("submit: %d", code)
	}
	if _, body := op.get(t, srv.URL+"/monografi?periode=2026-S1"); !strings.Contains(body, "sudah diajukan") {
		t.Fatalf("after submitting:\n%s", body)
	}
}

// A kecamatan's admin issues a desa's token on a page (shown once, with
// the command the desa runs and the kecamatan's pin), is refused a region
// not below in words, and revokes it.
func TestTokensPage(t *testing.T) {
	n, srv := serveTestMember(t)
	admin := staff(t, srv.URL)[officer.Admin]
	code, _, body := admin.postForm(t, srv.URL+"/token", url.Values{"region": {"32.14.03.2001"}})
	if code != 422 || strings.Contains(body, "lmb_") {
		t.Fatalf("a region not below: %d\n%s", code, body)
	}
	code, _, body = admin.postForm(t, srv.URL+"/token", url.Values{"region": {"32.14.02.2001"}})
	i := strings.Index(body, "lmb_")
	if code != 201 || i < 0 || !strings.Contains(body, "--region 32.14.02.2001") {
		t.Fatalf("issue: %d\n%s", code, body)
	}
	printed := body[i : i+strings.IndexAny(body[i:], "<\n ")]
	if !strings.Contains(printed, ".") {
		t.Fatalf("the token shown carries no pin: %q", printed)
	}
	ts, err := n.Store().Tokens()
	if err != nil || len(ts) != 1 {
		t.Fatalf("tokens: %v %v", ts, err)
	}
	if code, loc, _ := admin.postForm(t, srv.URL+"/token/"+ts[0].ID+"/cabut", url.Values{}); code != 303 || loc != "/token" {
		t.Fatalf("revoke: %d %s", code, loc)
	}
	if _, body := admin.get(t, srv.URL+"/token"); !strings.Contains(body, "dicabut") || strings.Contains(body, printed) {
		t.Fatalf("after revoking (the token itself never shown again):\n%s", body)
	}
}

// The statistics page draws its charts in inline SVG with the numbers
// beside them, lists what is overdue, and shows no reporter to a viewer.
func TestStatsPage(t *testing.T) {
	n, srv := serveTestMember(t)
	roles := staff(t, srv.URL)
	for i := range 3 {
		in := testInput(20 + i)
		in.Reporter = schema.Reporter{Name: "Siti Aminah", NIK: "3214021204900001"}
		if _, err := n.CreateComplaint(t.Context(), in); err != nil {
			t.Fatal(err)
		}
	}
	status, body := roles[officer.Viewer].get(t, srv.URL+"/statistik")
	if status != 200 || strings.Count(body, "<svg") != 6 || !strings.Contains(body, "Menurut wilayah") || !strings.Contains(body, "<rect") || !strings.Contains(body, "3 pengaduan") {
		t.Fatalf("the statistics: %d\n%s", status, body)
	}
	if strings.Contains(body, "Siti") || strings.Contains(body, "3214021204900001") {
		t.Fatal("a reporter on the statistics page")
	}
	if i := strings.Index(body, "Menurut wilayah"); !strings.Contains(body[i:], string(testDesa)) {
		t.Fatalf("the desa below in the chart by region:\n%s", body[i:])
	}
}

// An admin adds an officer on a page, who gets a one-time password shown
// once; a login name already taken is refused in words; disabling an
// officer ends their session at once.
func TestOfficersPage(t *testing.T) {
	_, srv := openTestNode(t)
	roles := staff(t, srv.URL)
	admin := roles[officer.Admin]
	code, _, body := admin.postForm(t, srv.URL+"/petugas", url.Values{"name": {"loket2"}, "full_name": {"Petugas Loket Dua"}, "role": {"operator"}})
	if code != 201 || !strings.Contains(body, "loket2") || !strings.Contains(body, `id="onetime"`) {
		t.Fatalf("add: %d\n%s", code, body)
	}
	if code, _, body := admin.postForm(t, srv.URL+"/petugas", url.Values{"name": {"loket2"}, "full_name": {"X"}, "role": {"operator"}}); code != 409 ||
		!strings.Contains(body, "Sudah ada petugas") {
		t.Fatalf("a login name taken: %d\n%s", code, body)
	}
	op := roles[officer.Operator]
	if code, _ := op.get(t, srv.URL+"/pengaduan"); code != 200 {
		t.Fatalf("the operator before: %d", code)
	}
	if code, loc, _ := admin.postForm(t, srv.URL+"/petugas/operator1/nonaktif", url.Values{}); code != 303 || loc != "/petugas" {
		t.Fatalf("disable: %d %s", code, loc)
	}
	if code, loc := op.page(t, "GET", srv.URL+"/pengaduan"); code != 303 || !strings.HasPrefix(loc, "/masuk") {
		t.Fatalf("the disabled operator's next page: %d %s", code, loc)
	}
}

// A form posted to a page from another site (a page the officer visits
// that posts to the laptop with the officer's cookie) is refused and
// stores nothing; the same form from the node's own page goes through.
func TestPagesCrossSite(t *testing.T) {
	n, srv := openTestNode(t)
	op := staff(t, srv.URL)[officer.Operator]
	form := url.Values{"channel": {"walk_in"}, "category": {"infrastruktur"}, "title": {"Jalan rusak"},
		"description": {"Jalan utama berlubang sejak musim hujan."}, "name": {"Siti"}}
	before := storeDigest(t, n.Store())
	for _, h := range []http.Header{{"Sec-Fetch-Site": {"cross-site"}}, {"Origin": {"http://evil.example"}}} {
		req, _ := http.NewRequest("POST", srv.URL+"/pengaduan", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range h {
			req.Header[k] = v
		}
		c := *op.c
		c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 403 || storeDigest(t, n.Store()) != before {
			t.Fatalf("a cross-site form post (%v): %d, stored %v", h, resp.StatusCode, storeDigest(t, n.Store()) != before)
		}
	}
	if code, _, _ := op.postForm(t, srv.URL+"/pengaduan", form); code != 303 {
		t.Fatalf("the same form from the node's own page: %d", code)
	}
}

// A kecamatan's counter takes a complaint for one of its desa, chosen on
// the form; a region that is not its own is refused on the field.
func TestKecamatanIntakePage(t *testing.T) {
	n, srv := serveTestMember(t)
	op := staff(t, srv.URL)[officer.Operator]
	form := url.Values{"channel": {"walk_in"}, "category": {"infrastruktur"}, "title": {"Jembatan retak"},
		"description": {"Jembatan di perbatasan desa retak sejak banjir."}, "region": {"32.15.01.2001"}, "name": {"Ujang"}}
	if code, _, body := op.postForm(t, srv.URL+"/pengaduan", form); code != 422 && code != 403 || strings.Contains(body, "tanda-terima") {
		t.Fatalf("a region of another kecamatan: %d", code)
	}
	form.Set("region", "32.14.02.2003")
	code, loc, body := op.postForm(t, srv.URL+"/pengaduan", form)
	if code != 303 || !strings.HasSuffix(loc, "/tanda-terima") {
		i := strings.Index(body, "class=\"err\"")
		t.Fatalf("a complaint for a desa of the kecamatan: %d %s %s", code, loc, body[max(i, 0):min(len(body), max(i, 0)+300)])
	}
	page, err := n.Store().ListComplaints(node.ComplaintFilter{Limit: 5})
	if err != nil || len(page.Complaints) != 1 || page.Complaints[0].Region != "32.14.02.2003" {
		t.Fatalf("stored: %+v %v", page, err)
	}
}

// The admin reads the audit trail on a page: the logins are there; the
// list filters by category.
func TestAuditPageAndListFilters(t *testing.T) {
	n, srv := openTestNode(t)
	roles := staff(t, srv.URL)
	deadline := time.Now().Add(20 * time.Second)
	for {
		status, body := roles[officer.Admin].get(t, srv.URL+"/audit")
		if status == 200 && strings.Contains(body, "login") && strings.Contains(body, "operator1") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the audit page: %d\n%s", status, body)
		}
		time.Sleep(50 * time.Millisecond) // the trail is written in the background
	}
	in := testInput(30)
	in.Category, in.Title = "kesehatan", "Puskesmas tutup"
	if _, err := n.CreateComplaint(t.Context(), in); err != nil {
		t.Fatal(err)
	}
	if _, err := n.CreateComplaint(t.Context(), testInput(31)); err != nil {
		t.Fatal(err)
	}
	_, body := roles[officer.Operator].get(t, srv.URL+"/pengaduan?category=kesehatan")
	if !strings.Contains(body, "Puskesmas tutup") || strings.Count(body, "<tr>") != 2 {
		t.Fatalf("the list of one category:\n%s", body)
	}
	// The period: today (in the region's zone) holds both, a day long
	// ago neither.
	today := time.Now().In(workday.ZoneOf(string(testDesa))).Format(time.DateOnly)
	if _, body := roles[officer.Operator].get(t, srv.URL+"/pengaduan?dari="+today+"&sampai="+today); strings.Count(body, "<tr>") != 3 {
		t.Fatalf("the list of today:\n%s", body)
	}
	if _, body := roles[officer.Operator].get(t, srv.URL+"/pengaduan?dari=2020-01-01&sampai=2020-01-31"); strings.Contains(body, "<tbody>") {
		t.Fatalf("the list of January 2020:\n%s", body)
	}
}
