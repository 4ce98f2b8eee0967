package testcluster

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lumbung/lumbung/localcluster"
	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/sheet"
)

// page fetches or posts a screen as c, following no redirect.
func page(t *testing.T, c *http.Client, method, u string, form url.Values) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, u, strings.NewReader(form.Encode()))
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	cl := *c
	cl.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := cl.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestApprovalScreens: a desa submits its figures; after sync the
// kecamatan's approval page counts it as reported and shows its figures
// beside the last period's; returning them without a note is refused in
// words, with a note it is done; after sync the desa officer reads the
// note on the desa's monografi page.
func TestApprovalScreens(t *testing.T) {
	ctx := context.Background()
	kec := NewCluster(t, 1, ClusterOptions{})
	const region = schema.Code("32.14.02.2001")
	const period = monografi.Period("2026-S1")
	token, err := localcluster.Enroll(kec.Members[0].URL, region)
	if err != nil {
		t.Fatal(err)
	}
	desa, err := localcluster.StartDesa(t.TempDir(), region, DesaOptions{Logger: Logger(t), Upstream: kec.Members[0].URL, Token: token,
		Uplink: localcluster.FastUplink})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = desa.Stop() })
	if _, err := desa.Node().SetMonografi(ctx, region, period, "operator1", localcluster.Entry(1)); err != nil {
		t.Fatal(err)
	}
	if _, err := desa.Node().SubmitMonografi(ctx, region, period, "operator1"); err != nil {
		t.Fatal(err)
	}
	kn := kec.Members[0].Node()
	waitFor(t, func() bool {
		doc, err := kn.Store().Monografi(region, period)
		return err == nil && doc.Status == monografi.StatusSubmitted
	}, 30*time.Second, "the submitted figures at the kecamatan")
	v := as(officer.Verifikator)
	base := kec.Members[0].URL
	status, body := page(t, v, "GET", base+"/persetujuan?periode=2026-S1", nil)
	if status != 200 || !strings.Contains(body, "desa melapor") || !strings.Contains(body, "sudah diajukan") ||
		!strings.Contains(body, string(region)) {
		t.Fatalf("the approval page: %d\n%s", status, body)
	}
	status, body = page(t, v, "GET", base+"/persetujuan/"+string(region)+"?periode=2026-S1", nil)
	if status != 200 || !strings.Contains(body, "2025-S2") || !strings.Contains(body, `name="basis"`) {
		t.Fatalf("the desa's figures: %d\n%s", status, body)
	}
	doc, _ := kn.Store().Monografi(region, period)
	form := url.Values{"periode": {"2026-S1"}, "step": {"return"}, "basis": {doc.Basis}}
	if status, body := page(t, v, "POST", base+"/persetujuan/"+string(region), form); status != 422 || !strings.Contains(body, "wajib diisi") {
		t.Fatalf("a return without a note: %d\n%s", status, body)
	}
	form.Set("note", "Jumlah KK belum sesuai dengan data Dukcapil")
	if status, _ := page(t, v, "POST", base+"/persetujuan/"+string(region), form); status != 303 {
		t.Fatalf("the return: %d", status)
	}
	waitFor(t, func() bool {
		doc, err := desa.Node().Store().Monografi(region, period)
		return err == nil && doc.Status == monografi.StatusReturned
	}, 30*time.Second, "the return at the desa")
	if status, body := page(t, operator(), "GET", desa.URL+"/monografi?periode=2026-S1", nil); status != 200 ||
		!strings.Contains(body, "Jumlah KK belum sesuai dengan data Dukcapil") || !strings.Contains(body, "dikembalikan") {
		t.Fatalf("the desa's page after the return: %d\n%s", status, body)
	}
	// The kecamatan's monograph table, on screen and as XLSX.
	status, body = page(t, v, "GET", base+"/monografi/tabel?periode=2026-S1", nil)
	if status != 200 || !strings.Contains(body, string(region)) || !strings.Contains(body, "dikembalikan ke desa") {
		t.Fatalf("the kecamatan's table: %d\n%s", status, body)
	}
	status, body = page(t, v, "GET", base+"/monografi/tabel/unduh?periode=2026-S1&format=xlsx", nil)
	if status != 200 {
		t.Fatalf("the XLSX: %d\n%s", status, body)
	}
	rows, err := sheet.Read(strings.NewReader(body), sheet.XLSX)
	if err != nil {
		t.Fatalf("the XLSX does not read back: %v", err)
	}
	var flat strings.Builder
	for _, row := range rows {
		flat.WriteString(strings.Join(row, "|") + "\n")
	}
	if !strings.Contains(flat.String(), string(region)) || !strings.Contains(flat.String(), "dikembalikan") ||
		!strings.Contains(flat.String(), "Jumlah penduduk") {
		t.Fatalf("the XLSX's cells:\n%s", flat.String())
	}
	if status, _ := page(t, v, "GET", base+"/monografi/tabel?wilayah=32.15&periode=2026-S1", nil); status != 404 {
		t.Fatalf("another kabupaten's table: %d", status)
	}
}

// TestConflictOnScreen: while the desa's link is down, the desa and the
// kecamatan both verify a complaint; after sync, both offices' complaint
// page shows both actions, the one that lost marked as such, not hidden.
func TestConflictOnScreen(t *testing.T) {
	ctx := context.Background()
	k := NewKabupaten(t, Topology{Kecamatan: 1, DesaPerKecamatan: 1, Members: 1})
	kec, desa := k.Kecamatan[0], k.Kecamatan[0].Desa[0]
	kn, dn := kec.Members[0].Node(), desa.Node()
	c, err := dn.CreateComplaint(ctx, &schema.ComplaintInput{Region: desa.Code, Channel: "walk_in", Category: "infrastruktur",
		Title: "Saluran air tersumbat", Description: "Saluran di RT 02 tersumbat sampah sejak pekan lalu.", Officer: "demo.operator",
		Reporter: schema.Reporter{Name: "Asep Saepudin", Phone: "081311112222"}})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { _, err := kn.Store().Complaint(c.ID); return err == nil }, time.Minute, "the complaint at the kecamatan")
	for _, l := range desa.Up {
		l.SetDown(true)
	}
	if _, err := dn.ActOnComplaint(ctx, c.ID, &schema.ActionInput{Action: schema.ActVerify, Officer: "demo.operator"}); err != nil {
		t.Fatal(err)
	}
	if _, err := kn.ActOnComplaint(ctx, c.ID, &schema.ActionInput{Action: schema.ActVerify,
		Note: "Diverifikasi di kecamatan", Officer: "demo.verifikator"}); err != nil {
		t.Fatal(err)
	}
	for _, l := range desa.Up {
		l.SetDown(false)
	}
	for _, at := range []struct {
		n   *Member
		url string
	}{{desa.Member, desa.URL}, {kec.Members[0], kec.Members[0].URL}} {
		waitFor(t, func() bool {
			got, err := at.n.Node().Store().Complaint(c.ID)
			return err == nil && len(got.Actions) == 2
		}, time.Minute, "both actions at "+at.url)
		status, body := page(t, operator(), "GET", at.url+"/pengaduan/"+c.ID, nil)
		if status != 200 || strings.Count(body, "· verifikasi ·") != 2 || !strings.Contains(body, "kalah oleh tindakan lain") ||
			!strings.Contains(body, "demo.operator") || !strings.Contains(body, "demo.verifikator") {
			t.Fatalf("the complaint's page at %s: %d\n%s", at.url, status, body)
		}
	}
}
