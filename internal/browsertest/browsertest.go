// Package browsertest drives the officers' screens in a real browser for
// the tests: Debian's chromium, headless, through chromedp, with axe-core
// (vendored in axe/) checking every page against WCAG 2.1 A and AA.
// Without a browser the tests skip, except in CI (LUMBUNG_CI, set by
// .ci/run, which installs chromium): there they fail.
package browsertest

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Browser starts a headless Chromium for t, or skips.
func Browser(t testing.TB) context.Context {
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
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-dev-shm-usage", true), chromedp.WindowSize(1366, 768),
		// The regional clusters of the tests serve HTTPS under a CA
		// of their own, which this browser has not been given.
		chromedp.Flag("ignore-certificate-errors", true))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTime(); cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// Tab opens a tab of the browser of ctx with cookies of its own: another
// officer, at another office, logged in at the same time.
func Tab(t testing.TB, ctx context.Context) context.Context {
	t.Helper()
	tab, cancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(tab, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	return tab
}

// artifacts is where the screenshots go: LUMBUNG_ARTIFACTS, else a
// folder under the system's temporary directory.
func artifacts(t testing.TB) string {
	dir := os.Getenv("LUMBUNG_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "lumbung-screens")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Shoot saves the page at the two sizes officers use: a laptop and a
// phone.
func Shoot(t testing.TB, ctx context.Context, name string) {
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

// axeSource is axe-core, vendored for the tests.
//
//go:embed axe/axe-4.14.1.min.js
var axeSource string

// Accessible runs axe-core's WCAG 2.1 A and AA checks (forms and labels,
// contrast, keyboard use, names and roles) inside the page the browser
// shows, and fails the test with each violation and where it is.
func Accessible(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](axeSource+";true")); err != nil {
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

// Shows waits until the element sel of the page shown holds text: the
// page a form led to, not the one the form was on.
func Shows(sel, text string) chromedp.Action[chromedp.Void] {
	return Until(fmt.Sprintf(`(() => { const e = document.querySelector(%q); return !!e && e.textContent.includes(%q); })()`, sel, text))
}

// Until waits for the expression to be true in the page shown, asking
// again while a navigation replaces the page (whose script context goes
// with it), up to the test browser's deadline.
func Until(expr string) chromedp.Action[chromedp.Void] {
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

// WrongSum are a desa officer's steps on the monografi form of period at
// base: a population whose men and women do not add up (7.412 against
// 3.700 + 3.710), saved, until the page names the sum on its field.
func WrongSum(base, period string) []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(base + "/monografi?periode=" + period),
		chromedp.WaitVisible(`#v-penduduk\.jumlah`),
		chromedp.SendKeys(`#v-penduduk\.jumlah`, "7.412"),
		chromedp.SendKeys(`#v-penduduk\.laki_laki`, "3.700"),
		chromedp.SendKeys(`#v-penduduk\.perempuan`, "3.710"),
		chromedp.Submit(`#v-penduduk\.jumlah`),
		chromedp.WaitVisible(`#e-penduduk\.jumlah`),
	}
}

// FixSumAndSubmit are the steps after WrongSum: the women corrected to
// 3.712, saved, and the figures submitted to the kecamatan.
func FixSumAndSubmit() []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		chromedp.SetValue(`#v-penduduk\.perempuan`, "3.712"),
		chromedp.Submit(`#v-penduduk\.jumlah`),
		Until(`location.search.includes("periode")`),
		chromedp.Submit(`form[action="/monografi/ajukan"] button`),
		Shows(".tag", "diajukan"),
	}
}
