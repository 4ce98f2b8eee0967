package testcluster

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/lumbung/lumbung/internal/browsertest"
	"github.com/lumbung/lumbung/internal/staff"
	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/schema"
)

// login logs the staff officer of role r in at base, in the tab ctx.
func login(t *testing.T, ctx context.Context, base string, r officer.Role, then string) {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/masuk?next="+then),
		chromedp.WaitVisible(`#password`),
		chromedp.SendKeys(`#name`, staff.Name(r)),
		chromedp.SendKeys(`#password`, staff.Password),
		chromedp.Submit(`#password`),
		browsertest.Until(`location.pathname != "/masuk"`),
	)
	if err != nil {
		t.Fatalf("log in as %s at %s: %v", r, base, err)
	}
}

// text is the text of sel in the page the tab shows.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(sel))
	if err != nil {
		t.Fatalf("the text of %s: %v", sel, err)
	}
	return s
}

// TestScreensAcrossTiers is the officers' day across a whole kabupaten,
// in a real browser, each office in its own tab, over real sync:
//
//   - the desa officer takes a complaint and prints the receipt, enters
//     the monografi with a wrong sum, sees it on the field, fixes it and
//     submits;
//   - after sync the kecamatan verifier finds the complaint in the queue,
//     verifies and forwards it, and returns the figures with a note;
//   - after sync the desa officer sees both, fixes and submits again; the
//     kecamatan approves;
//   - at the kabupaten the verifier accepts the kecamatan's approved set
//     and drills down from the kabupaten's table to the desa's figures,
//     each traced to the officer and laptop that entered it;
//   - a kabupaten viewer opens the statistics and the complaint and
//     finds no reporter.
//
// Every page is screenshotted and checked by axe-core.
func TestScreensAcrossTiers(t *testing.T) {
	browser := browsertest.Browser(t)
	k := NewKabupaten(t, Topology{Kecamatan: 1, DesaPerKecamatan: 1, Members: 1})
	kec, desa := k.Kecamatan[0], k.Kecamatan[0].Desa[0]
	kecURL, kabURL := kec.Members[0].URL, k.Cluster.Members[0].URL
	period := semester(time.Now())
	look := func(ctx context.Context, name string) {
		t.Helper()
		browsertest.Shoot(t, ctx, "tiers-"+name)
		browsertest.Accessible(t, ctx, "tiers-"+name)
	}

	// The desa's counter.
	d := browsertest.Tab(t, browser)
	login(t, d, desa.URL, officer.Operator, "/pengaduan/baru")
	err := chromedp.Do(d,
		chromedp.WaitVisible(`#title`),
		chromedp.SetValue(`#category`, "infrastruktur"),
		chromedp.SendKeys(`#title`, "Jembatan gantung RW 04 putus"),
		chromedp.SendKeys(`#description`, "Jembatan ke sekolah putus sejak banjir; anak-anak menyeberang sungai."),
		chromedp.SendKeys(`#name`, "Ujang Supriatna"),
		chromedp.SendKeys(`#nik`, "3214020101800007"),
		chromedp.SendKeys(`#phone`, "085712345678"),
		chromedp.Submit(`#title`),
		chromedp.WaitVisible(`.receipt`),
	)
	if err != nil {
		t.Fatalf("the desa's intake: %v", err)
	}
	look(d, "desa-receipt")
	page, err := desa.Node().Store().ListComplaints(node.ComplaintFilter{Limit: 10})
	if err != nil || len(page.Complaints) != 1 {
		t.Fatalf("the desa's complaints: %v %v", page, err)
	}
	id := page.Complaints[0].ID
	if !strings.Contains(text(t, d, `.receipt`), strings.ReplaceAll(id, "-", " – ")) {
		t.Fatalf("the receipt has no tracking number %s", id)
	}
	err = chromedp.Do(d, browsertest.WrongSum(desa.URL, period)...)
	if err != nil {
		t.Fatalf("the desa's monografi: %v", err)
	}
	look(d, "desa-monografi-sum")
	if s := text(t, d, `#e-penduduk\.jumlah`); !strings.Contains(s, "7.410") {
		t.Fatalf("the sum's words on its field: %q", s)
	}
	err = chromedp.Do(d, browsertest.FixSumAndSubmit()...)
	if err != nil {
		t.Fatalf("the desa submits: %v", err)
	}

	// The kecamatan, after sync.
	kn := kec.Members[0].Node()
	waitFor(t, func() bool {
		c, err := kn.Store().Complaint(id)
		doc, derr := kn.Store().Monografi(desa.Code, monografi.Period(period))
		return err == nil && c != nil && derr == nil && doc.Status == monografi.StatusSubmitted
	}, time.Minute, "the complaint and the figures at the kecamatan")
	kc := browsertest.Tab(t, browser)
	login(t, kc, kecURL, officer.Verifikator, "/antrean")
	if err := chromedp.Do(kc, chromedp.WaitVisible(`table`)); err != nil {
		t.Fatalf("the queue: %v", err)
	}
	look(kc, "kecamatan-queue")
	if q := text(t, kc, `table`); !strings.Contains(q, id) {
		t.Fatalf("the queue without %s: %q", id, q)
	}
	err = chromedp.Do(kc,
		chromedp.Navigate(kecURL+"/pengaduan/"+id),
		chromedp.WaitVisible(`#action`),
		chromedp.SetValue(`#action`, "verify"),
		chromedp.Submit(`#note`),
		browsertest.Shows(".tag", "Terverifikasi"),
		chromedp.SetValue(`#action`, "forward"),
		chromedp.SendKeys(`#unit`, "Dinas PUPR"),
		chromedp.SendKeys(`#note`, "Mohon ditinjau minggu ini"),
		chromedp.Submit(`#note`),
		browsertest.Shows(".tag", "Terdisposisi"),
	)
	if err != nil {
		t.Fatalf("verify and forward: %v", err)
	}
	look(kc, "kecamatan-forwarded")
	err = chromedp.Do(kc,
		chromedp.Navigate(kecURL+"/persetujuan/"+string(desa.Code)+"?periode="+period),
		chromedp.WaitVisible(`#note`),
		chromedp.SendKeys(`#note`, "Jumlah KK belum sesuai data Dukcapil"),
		chromedp.Click(`button[value="return"]`),
		browsertest.Until(`location.pathname == "/persetujuan"`),
	)
	if err != nil {
		t.Fatalf("return the figures: %v", err)
	}
	look(kc, "kecamatan-approval")

	// Back at the desa, after sync.
	dn := desa.Node()
	waitFor(t, func() bool {
		c, err := dn.Store().Complaint(id)
		doc, derr := dn.Store().Monografi(desa.Code, monografi.Period(period))
		return err == nil && c.Status == schema.StatusForwarded && derr == nil && doc.Status == monografi.StatusReturned
	}, time.Minute, "the forward and the return at the desa")
	if err := chromedp.Do(d, chromedp.Navigate(desa.URL+"/pengaduan/"+id), browsertest.Shows(".tag", "Terdisposisi")); err != nil {
		t.Fatalf("the complaint at the desa: %v", err)
	}
	look(d, "desa-forwarded")
	if h := text(t, d, `.history`); !strings.Contains(h, "Dinas PUPR") || !strings.Contains(h, staff.Name(officer.Verifikator)) {
		t.Fatalf("the desa's history of the complaint: %q", h)
	}
	err = chromedp.Do(d,
		chromedp.Navigate(desa.URL+"/monografi?periode="+period),
		browsertest.Shows(`[role="note"]`, "Jumlah KK belum sesuai data Dukcapil"),
	)
	if err != nil {
		t.Fatalf("the return note at the desa: %v", err)
	}
	look(d, "desa-returned")
	err = chromedp.Do(d,
		chromedp.Submit(`form[action="/monografi/ajukan"] button`),
		browsertest.Shows(".tag", "diajukan"),
	)
	if err != nil {
		t.Fatalf("the desa submits again: %v", err)
	}
	waitFor(t, func() bool {
		doc, err := kn.Store().Monografi(desa.Code, monografi.Period(period))
		return err == nil && doc.Status == monografi.StatusSubmitted
	}, time.Minute, "the figures submitted again at the kecamatan")
	err = chromedp.Do(kc,
		chromedp.Navigate(kecURL+"/persetujuan/"+string(desa.Code)+"?periode="+period),
		chromedp.WaitVisible(`button[value="approve"]`),
		chromedp.Click(`button[value="approve"]`),
		browsertest.Until(`location.pathname == "/persetujuan"`),
		chromedp.Navigate(kecURL+"/monografi/tabel?periode="+period),
		chromedp.WaitVisible(`table`),
	)
	if err != nil {
		t.Fatalf("approve, and the kecamatan's table: %v", err)
	}
	look(kc, "kecamatan-table")
	if s := text(t, kc, `table`); !strings.Contains(s, "7.412") || !strings.Contains(s, "disetujui") {
		t.Fatalf("the kecamatan's table: %q", s)
	}

	// The kabupaten, after sync: accept, then drill down.
	kab := k.Cluster.Members[0].Node()
	waitFor(t, func() bool {
		doc, err := kab.Store().Monografi(desa.Code, monografi.Period(period))
		return err == nil && doc.Status == monografi.StatusApproved
	}, time.Minute, "the approved figures at the kabupaten")
	kb := browsertest.Tab(t, browser)
	login(t, kb, kabURL, officer.Verifikator, "/monografi/tabel?wilayah="+string(kec.Code)+"%26periode="+period)
	err = chromedp.Do(kb,
		chromedp.WaitVisible(`form[action="/monografi/terima"] button`),
		chromedp.Click(`form[action="/monografi/terima"] button`),
		browsertest.Shows(`.flash`, "1 desa diterima"),
	)
	if err != nil {
		t.Fatalf("accept the kecamatan's set: %v", err)
	}
	look(kb, "kabupaten-accepted")
	err = chromedp.Do(kb,
		chromedp.Navigate(kabURL+"/monografi/tabel?periode="+period),
		chromedp.WaitVisible(`table`),
		chromedp.Click(`thead a[href*="wilayah=`+string(kec.Code)+`"]`),
		browsertest.Until(`location.search.includes("wilayah=`+string(kec.Code)+`")`),
		chromedp.WaitVisible(`table`),
		chromedp.Click(`thead a[href*="/persetujuan/`+string(desa.Code)+`"]`),
		browsertest.Shows(`main`, "Diterima kabupaten oleh"),
	)
	if err != nil {
		t.Fatalf("the drill-down: %v", err)
	}
	look(kb, "kabupaten-desa-figures")
	trace := text(t, kb, `main`)
	for _, want := range []string{"7.412", staff.Name(officer.Operator), "Disetujui oleh " + staff.Name(officer.Verifikator),
		"Diterima kabupaten oleh " + staff.Name(officer.Verifikator), "WIB"} {
		if !strings.Contains(trace, want) {
			t.Errorf("the desa's figures at the kabupaten lack %q:\n%s", want, trace)
		}
	}

	// A kabupaten viewer: the statistics and the complaint, no reporter.
	waitFor(t, func() bool { _, err := kab.Store().Complaint(id); return err == nil }, time.Minute, "the complaint at the kabupaten")
	kv := browsertest.Tab(t, browser)
	login(t, kv, kabURL, officer.Viewer, "/statistik")
	if err := chromedp.Do(kv, chromedp.WaitVisible(`svg`)); err != nil {
		t.Fatalf("the viewer's statistics: %v", err)
	}
	look(kv, "kabupaten-viewer-stats")
	seen := text(t, kv, `main`)
	if err := chromedp.Do(kv, chromedp.Navigate(kabURL+"/pengaduan/"+id), browsertest.Shows(`main strong`, id)); err != nil {
		t.Fatalf("the viewer's complaint: %v", err)
	}
	look(kv, "kabupaten-viewer-complaint")
	html, err := chromedp.Run(kv, chromedp.OuterHTML(`html`))
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"Ujang", "Supriatna", "3214020101800007", "085712345678"} {
		if strings.Contains(seen+html, secret) {
			t.Errorf("the kabupaten viewer sees the reporter's %q", secret)
		}
	}
}

// semester names the period now is in, as the screens default to.
func semester(now time.Time) string {
	if now.Month() > time.June {
		return fmt.Sprintf("%d-S2", now.Year())
	}
	return fmt.Sprintf("%d-S1", now.Year())
}
