package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/officer"
)

// The screens are tested in a real browser: Debian's chromium, headless,
// driven by chromedp, against a node served as lumbung serve serves it.
// Without a browser the tests skip, except in CI (LUMBUNG_CI, set by
// .ci/run, which installs chromium): there they fail.

// browser starts a headless Chromium for t, or skips.
func browser(t *testing.T) context.Context {
	t.Helper()
	var path string
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		if os.Getenv("LUMBUNG_CI") != "" {
			t.Fatal("no chromium on this CI machine: .ci/run installs it")
		}
		t.Skip("no chromium here (apt-get install chromium); CI runs these")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-dev-shm-usage", true), chromedp.WindowSize(1366, 768))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTime(); cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// artifacts is where the screenshots go: LUMBUNG_ARTIFACTS, else a
// folder under the system's temporary directory.
func artifacts(t *testing.T) string {
	dir := os.Getenv("LUMBUNG_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "lumbung-screens")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// shoot saves the page at the two sizes officers use: a laptop and a
// phone.
func shoot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := artifacts(t)
	for _, size := range [][2]int64{{1366, 768}, {390, 844}} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(size[0], size[1])); err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		file := filepath.Join(dir, name+"-"+itoa(size[0])+"x"+itoa(size[1])+".png")
		if err := os.WriteFile(file, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_ = chromedp.Do(ctx, chromedp.EmulateViewport(1366, 768))
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

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
	ctx := browser(t)
	n, base := serveDesa(t)
	if _, err := n.AddFirstAdmin(t.Context()); err != nil {
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
		chromedp.Submit(`#title`),
		chromedp.WaitVisible(`p.err`),
	)
	if err != nil {
		t.Fatalf("to the intake form: %v", err)
	}
	flash, err := chromedp.Run(ctx, chromedp.Text(`p.err`))
	if err != nil {
		t.Fatal(err)
	}
	shoot(t, ctx, "desa-intake-error")
	accessible(t, ctx, "desa-intake-error")
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
	shoot(t, ctx, "desa-receipt")
	accessible(t, ctx, "desa-receipt")
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
	shoot(t, ctx, "desa-list")
	accessible(t, ctx, "desa-list")
	list, err := chromedp.Run(ctx, chromedp.Text(`table`))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/lacak?no="+c.ID), chromedp.WaitVisible(`dl`)); err != nil {
		t.Fatalf("the public page: %v", err)
	}
	shoot(t, ctx, "public-track")
	accessible(t, ctx, "public-track")
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
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/monografi?periode=2026-S1"),
		chromedp.WaitVisible(`#v-penduduk\.jumlah`),
		chromedp.SendKeys(`#v-penduduk\.jumlah`, "7.412"),
		chromedp.SendKeys(`#v-penduduk\.laki_laki`, "3.700"),
		chromedp.SendKeys(`#v-penduduk\.perempuan`, "3.710"),
		chromedp.Submit(`#v-penduduk\.jumlah`),
		chromedp.WaitVisible(`#e-penduduk\.jumlah`),
	)
	if err != nil {
		t.Fatalf("the monografi form: %v", err)
	}
	shoot(t, ctx, "desa-monografi-error")
	accessible(t, ctx, "desa-monografi-error")
	sum, err := chromedp.Run(ctx, chromedp.Text(`#e-penduduk\.jumlah`))
	if err != nil || !strings.Contains(sum, "7.410") {
		t.Fatalf("the sum's words: %q %v", sum, err)
	}
	err = chromedp.Do(ctx,
		chromedp.SetValue(`#v-penduduk\.perempuan`, "3.712"),
		chromedp.Submit(`#v-penduduk\.jumlah`),
		until(`location.search.includes("periode")`),
		chromedp.Submit(`form[action="/monografi/ajukan"] button`),
		shows(".tag", "diajukan"),
	)
	if err != nil {
		t.Fatalf("save and submit the monografi: %v", err)
	}
	if doc, err := n.Store().Monografi(testDesa, "2026-S1"); err != nil || doc.Status != "submitted" || doc.Values["penduduk.perempuan"] != 3712 {
		t.Fatalf("the monografi after the form: %+v %v", doc, err)
	}
}

// TestScreensKecamatanQueue: a kecamatan verifier logs in, finds a
// desa's complaint in the triage queue with its working-day deadline,
// verifies it, tries to forward it without a unit (refused in words on
// the page), then forwards it to a unit; the history shows both steps as
// the verifier's.
func TestScreensKecamatanQueue(t *testing.T) {
	ctx := browser(t)
	n := member(t, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(sctx, n, ln) }()
	t.Cleanup(func() { cancel(); <-done })
	base := "http://" + ln.Addr().String()
	waitLeader(t, n)
	if _, err := n.AddOfficer(t.Context(), officer.Account{Name: "sekcam", FullName: "Sekcam Dedi", Role: officer.Verifikator},
		"kantor kecamatan darangdan", false); err != nil {
		t.Fatal(err)
	}
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
	shoot(t, ctx, "kecamatan-queue")
	accessible(t, ctx, "kecamatan-queue")
	queue, err := chromedp.Run(ctx, chromedp.Text(`table`))
	if err != nil || !strings.Contains(queue, c.ID) || !strings.Contains(queue, "diteruskan paling lambat") {
		t.Fatalf("the queue: %q %v", queue, err)
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/pengaduan/"+c.ID),
		chromedp.WaitVisible(`#action`),
		chromedp.SetValue(`#action`, "verify"),
		chromedp.Submit(`#note`),
		shows(".tag", "Terverifikasi"),
		chromedp.SetValue(`#action`, "forward"),
		chromedp.Submit(`#note`),
		chromedp.WaitVisible(`p.err`),
	)
	if err != nil {
		t.Fatalf("verify, then forward without a unit: %v", err)
	}
	shoot(t, ctx, "kecamatan-forward-refused")
	accessible(t, ctx, "kecamatan-forward-refused")
	if got, _ := n.Store().Complaint(c.ID); got.Status != "verified" {
		t.Fatalf("after a refused forward: %s", got.Status)
	}
	err = chromedp.Do(ctx,
		chromedp.SetValue(`#action`, "forward"),
		chromedp.SendKeys(`#unit`, "Dinas PUPR"),
		chromedp.Submit(`#note`),
		shows(".tag", "Terdisposisi"),
	)
	if err != nil {
		t.Fatalf("forward: %v", err)
	}
	shoot(t, ctx, "kecamatan-forwarded")
	accessible(t, ctx, "kecamatan-forwarded")
	history, err := chromedp.Run(ctx, chromedp.Text(`.history`))
	if err != nil || !strings.Contains(history, "Dinas PUPR") || strings.Count(history, "sekcam") != 2 {
		t.Fatalf("the history: %q %v", history, err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/statistik"), chromedp.WaitVisible(`svg`)); err != nil {
		t.Fatalf("the statistics: %v", err)
	}
	shoot(t, ctx, "kecamatan-stats")
	accessible(t, ctx, "kecamatan-stats")
}

// axeSource is axe-core, vendored for the tests (testdata/axe).
var axeSource = sync.OnceValues(func() ([]byte, error) { return os.ReadFile("testdata/axe/axe-4.14.1.min.js") })

// accessible runs axe-core's WCAG 2.1 A and AA checks (forms and labels,
// contrast, keyboard use, names and roles) inside the page the browser
// shows, and fails the test with each violation and where it is.
func accessible(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	src, err := axeSource()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](string(src)+";true")); err != nil {
		t.Fatalf("load axe-core in %s: %v", name, err)
	}
	const run = `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
		.then(r => r.violations.map(v => v.id + " (" + v.impact + "): " + v.help + " at " + v.nodes.map(n => n.target.join(" ")).join(", ")))`
	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](run, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe-core in %s: %v", name, err)
	}
	for _, v := range violations {
		t.Errorf("%s: %s", name, v)
	}
}

// shows waits until the element sel of the page shown holds text: the
// page a form led to, not the one the form was on.
func shows(sel, text string) chromedp.Action[chromedp.Void] {
	return until(fmt.Sprintf(`(() => { const e = document.querySelector(%q); return !!e && e.textContent.includes(%q); })()`, sel, text))
}

// until waits for the expression to be true in the page shown, asking
// again while a navigation replaces the page (whose script context goes
// with it), up to the test browser's deadline.
func until(expr string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		for {
			ok, err := chromedp.Evaluate[bool](expr)(ctx, t)
			if err == nil && ok {
				return chromedp.Void{}, nil
			}
			select {
			case <-ctx.Done():
				return chromedp.Void{}, fmt.Errorf("waiting for %s: %w", expr, errors.Join(ctx.Err(), err))
			case <-time.After(50 * time.Millisecond): // the browser's page, not ours, is what we wait on
			}
		}
	}
}
