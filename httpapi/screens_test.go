package httpapi

// The screens are tested in a real browser (internal/browsertest).

import (
	"context"
	"net"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/lumbung/lumbung/internal/browsertest"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/officer"
)

// serveDesa serves a desa node as lumbung serve does, on loopback.
func serveDesa(t *testing.T) (*node.Node, string) {
	t.Helper()
	n, _ := openTestNode(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, n, ln) }()
	t.Cleanup(func() { cancel(); <-done })
	return n, "http://" + ln.Addr().String()
}

// TestScreensDesaIntake: a desa officer given a one-time password logs
// in, is made to change it, takes a complaint at the counter (a NIK typed
// wrong is named on its field in Indonesian, and nothing is stored), gets
// the citizen's receipt with the tracking number, and finds the
// complaint in the list; the citizen looks it up on the public page,
// which shows nothing of the reporter.
func TestScreensDesaIntake(t *testing.T) {
	ctx := browsertest.Browser(t)
	n, base := serveDesa(t)
	if _, _, err := n.AddFirstAdmin(t.Context()); err != nil {
		t.Fatal(err)
	}
	pw := officer.NewPassword()
	if _, err := n.AddOfficer(t.Context(), officer.Account{Name: "loket", FullName: "Petugas Loket", Role: officer.Operator}, pw, true); err != nil {
		t.Fatal(err)
	}
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`#name`),
		chromedp.SendKeys(`#name`, "loket"),
		chromedp.SendKeys(`#password`, pw),
		chromedp.Submit(`#password`),
		chromedp.WaitVisible(`#new`),
		chromedp.SendKeys(`#old`, pw),
		chromedp.SendKeys(`#new`, "balai desa campaka"),
		chromedp.Submit(`#new`),
		chromedp.WaitVisible(`#name`),
		chromedp.SendKeys(`#name`, "loket"),
		chromedp.SendKeys(`#password`, "balai desa campaka"),
		chromedp.Submit(`#password`),
		chromedp.WaitVisible(`#status`),
		chromedp.Navigate(base+"/pengaduan/baru"),
		chromedp.WaitVisible(`#title`),
		chromedp.SetValue(`#category`, "infrastruktur"),
		chromedp.SendKeys(`#title`, "Jalan rusak di RT 03"),
		chromedp.SendKeys(`#description`, "Jalan utama berlubang sejak musim hujan, berbahaya bagi motor."),
		chromedp.SendKeys(`#rt`, "03"),
		chromedp.SendKeys(`#rw`, "01"),
		chromedp.SendKeys(`#name`, "Siti Aminah"),
		chromedp.SendKeys(`#nik`, "32140212"),
		chromedp.SendKeys(`#phone`, "081234567890"),
		// Checked as typed: the NIK's words appear on its field
		// before anything is saved.
		browsertest.Shows(`#nik-err`, "NIK harus 16 angka"),
	)
	if err != nil {
		t.Fatalf("to the intake form: %v", err)
	}
	browsertest.Shoot(t, ctx, "desa-intake-typed")
	if page, _ := n.Store().ListComplaints(node.ComplaintFilter{Limit: 10}); len(page.Complaints) != 0 {
		t.Fatal("checking a field as typed stored a complaint")
	}
	if err := chromedp.Do(ctx, chromedp.Submit(`#title`), chromedp.WaitVisible(`.flash`)); err != nil {
		t.Fatalf("save with a wrong NIK: %v", err)
	}
	flash, err := chromedp.Run(ctx, chromedp.Text(`#nik-err`))
	if err != nil {
		t.Fatal(err)
	}
	browsertest.Shoot(t, ctx, "desa-intake-error")
	browsertest.Accessible(t, ctx, "desa-intake-error")
	if !strings.Contains(flash, "NIK harus 16 angka") {
		t.Fatalf("the wrong NIK's words on its field, in Indonesian: %q", flash)
	}
	if page, _ := n.Store().ListComplaints(node.ComplaintFilter{Limit: 10}); len(page.Complaints) != 0 {
		t.Fatal("a refused form stored a complaint")
	}
	err = chromedp.Do(ctx,
		chromedp.SetValue(`#nik`, "3214021204900001"),
		chromedp.Submit(`#title`),
		chromedp.WaitVisible(`.receipt`),
	)
	if err != nil {
		t.Fatalf("save the complaint: %v", err)
	}
	receipt, err := chromedp.Run(ctx, chromedp.Text(`.receipt`))
	if err != nil {
		t.Fatal(err)
	}
	browsertest.Shoot(t, ctx, "desa-receipt")
	browsertest.Accessible(t, ctx, "desa-receipt")
	page, err := n.Store().ListComplaints(node.ComplaintFilter{Limit: 10})
	if err != nil || len(page.Complaints) != 1 {
		t.Fatalf("complaints stored: %v %v", page, err)
	}
	c := page.Complaints[0]
	if !strings.Contains(receipt, spoken(c.ID)) || !strings.Contains(receipt, "WIB") || c.Reporter.NIK != "3214021204900001" {
		t.Fatalf("the receipt %q for %s (%+v)", receipt, c.ID, c.Reporter)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/pengaduan"), chromedp.WaitVisible(`table`)); err != nil {
		t.Fatalf("the list: %v", err)
	}
	browsertest.Shoot(t, ctx, "desa-list")
	browsertest.Accessible(t, ctx, "desa-list")
	list, err := chromedp.Run(ctx, chromedp.Text(`table`))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/periksa"), chromedp.WaitVisible(`table`)); err != nil {
		t.Fatalf("the doctor's page: %v", err)
	}
	browsertest.Shoot(t, ctx, "desa-doctor")
	browsertest.Accessible(t, ctx, "desa-doctor")
	if doc, err := chromedp.Run(ctx, chromedp.Text(`main`)); err != nil || !strings.Contains(doc, "Data Lumbung terbuka dan utuh") ||
		!strings.Contains(doc, "Semua baik") {
		t.Fatalf("the doctor's page: %q %v", doc, err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/lacak?no="+c.ID), chromedp.WaitVisible(`dl`)); err != nil {
		t.Fatalf("the public page: %v", err)
	}
	browsertest.Shoot(t, ctx, "public-track")
	browsertest.Accessible(t, ctx, "public-track")
	public, err := chromedp.Run(ctx, chromedp.Text(`main`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(list, c.ID) || !strings.Contains(list, "Jalan rusak di RT 03") {
		t.Fatalf("the list: %q", list)
	}
	if !strings.Contains(public, c.ID) || strings.Contains(public, "Siti") || strings.Contains(public, "3214021204900001") {
		t.Fatalf("the public page: %q", public)
	}

	// The semester's monografi: a sum that does not agree is named on
	// the fields it involves; fixed, it is saved and submitted.
	// Checked as filled: the sum's words on its field before any save.
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/monografi?periode=2026-S1"),
		chromedp.WaitVisible(`#v-penduduk\.jumlah`),
		chromedp.SendKeys(`#v-penduduk\.jumlah`, "7.412"),
		chromedp.SendKeys(`#v-penduduk\.laki_laki`, "3.700"),
		chromedp.SendKeys(`#v-penduduk\.perempuan`, "3.710"),
		chromedp.Focus(`#v-penduduk\.jumlah`),
		browsertest.Shows(`#e-penduduk\.jumlah`, "7.410"),
	)
	if err != nil {
		t.Fatalf("the monografi checked as filled: %v", err)
	}
	browsertest.Shoot(t, ctx, "desa-monografi-typed")
	if doc, err := n.Store().Monografi(testDesa, "2026-S1"); err != nil || len(doc.Values) != 0 {
		t.Fatalf("checking the figures as filled stored them: %+v %v", doc, err)
	}
	err = chromedp.Do(ctx, browsertest.WrongSum(base, "2026-S1")...)
	if err != nil {
		t.Fatalf("the monografi form: %v", err)
	}
	browsertest.Shoot(t, ctx, "desa-monografi-error")
	browsertest.Accessible(t, ctx, "desa-monografi-error")
	sum, err := chromedp.Run(ctx, chromedp.Text(`#e-penduduk\.jumlah`))
	if err != nil || !strings.Contains(sum, "7.410") {
		t.Fatalf("the sum's words: %q %v", sum, err)
	}
	err = chromedp.Do(ctx, browsertest.FixSumAndSubmit()...)
	if err != nil {
		t.Fatalf("save and submit the monografi: %v", err)
	}
	if doc, err := n.Store().Monografi(testDesa, "2026-S1"); err != nil || doc.Status != "submitted" || doc.Values["penduduk.perempuan"] != 3712 {
		t.Fatalf("the monografi after the form: %+v %v", doc, err)
	}
}

// serveKecamatan serves a one-member kecamatan cluster as lumbung serve
// does, on loopback (HTTPS and plain HTTP on one port), once it leads,
// with its verifier "sekcam" (password "kantor kecamatan darangdan").
func serveKecamatan(t testing.TB) (*node.Node, string) {
	t.Helper()
	n := member(t, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(sctx, n, ln) }()
	t.Cleanup(func() { cancel(); <-done })
	waitLeader(t, n)
	if _, err := n.AddOfficer(t.Context(), officer.Account{Name: "sekcam", FullName: "Sekcam Dedi", Role: officer.Verifikator},
		"kantor kecamatan darangdan", false); err != nil {
		t.Fatal(err)
	}
	return n, ln.Addr().String()
}

// TestScreensKecamatanQueue: a kecamatan verifier logs in, finds a
// desa's complaint in the triage queue with its working-day deadline,
// verifies it, tries to forward it without a unit (refused in words on
// the page), then forwards it to a unit; the history shows both steps as
// the verifier's.
func TestScreensKecamatanQueue(t *testing.T) {
	ctx := browsertest.Browser(t)
	n, addr := serveKecamatan(t)
	base := "http://" + addr
	c, err := n.CreateComplaint(t.Context(), testInput(7))
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/antrean"),
		chromedp.WaitVisible(`#name`),
		chromedp.SendKeys(`#name`, "sekcam"),
		chromedp.SendKeys(`#password`, "kantor kecamatan darangdan"),
		chromedp.Submit(`#password`),
		chromedp.WaitVisible(`table`),
	)
	if err != nil {
		t.Fatalf("log in to the queue: %v", err)
	}
	browsertest.Shoot(t, ctx, "kecamatan-queue")
	browsertest.Accessible(t, ctx, "kecamatan-queue")
	queue, err := chromedp.Run(ctx, chromedp.Text(`table`))
	if err != nil || !strings.Contains(queue, c.ID) || !strings.Contains(queue, "diteruskan paling lambat") {
		t.Fatalf("the queue: %q %v", queue, err)
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/pengaduan/"+c.ID),
		chromedp.WaitVisible(`#action`),
		chromedp.SetValue(`#action`, "verify"),
		chromedp.Submit(`#note`),
		browsertest.Shows(".tag", "Terverifikasi"),
		chromedp.SetValue(`#action`, "forward"),
		chromedp.Submit(`#note`),
		chromedp.WaitVisible(`p.err`),
	)
	if err != nil {
		t.Fatalf("verify, then forward without a unit: %v", err)
	}
	browsertest.Shoot(t, ctx, "kecamatan-forward-refused")
	browsertest.Accessible(t, ctx, "kecamatan-forward-refused")
	if got, _ := n.Store().Complaint(c.ID); got.Status != "verified" {
		t.Fatalf("after a refused forward: %s", got.Status)
	}
	err = chromedp.Do(ctx,
		chromedp.SetValue(`#action`, "forward"),
		chromedp.SendKeys(`#unit`, "Dinas PUPR"),
		chromedp.Submit(`#note`),
		browsertest.Shows(".tag", "Terdisposisi"),
	)
	if err != nil {
		t.Fatalf("forward: %v", err)
	}
	browsertest.Shoot(t, ctx, "kecamatan-forwarded")
	browsertest.Accessible(t, ctx, "kecamatan-forwarded")
	history, err := chromedp.Run(ctx, chromedp.Text(`.history`))
	if err != nil || !strings.Contains(history, "Dinas PUPR") || strings.Count(history, "sekcam") != 2 {
		t.Fatalf("the history: %q %v", history, err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/statistik"), chromedp.WaitVisible(`svg`)); err != nil {
		t.Fatalf("the statistics: %v", err)
	}
	browsertest.Shoot(t, ctx, "kecamatan-stats")
	browsertest.Accessible(t, ctx, "kecamatan-stats")
}
