package installer

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// tool finds a program the test needs; missing, the test is skipped,
// saying so, but in CI (LUMBUNG_CI set, where .ci/run installs it) that
// is a failure.
func tool(t *testing.T, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if os.Getenv("LUMBUNG_CI") != "" {
		t.Fatalf("%s not found: .ci/run installs %s", name, pkg)
	}
	t.Skipf("%s not found (apt-get install %s)", name, pkg)
	return ""
}

func run(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestInstaller builds lumbung-setup.exe from a Windows build of lumbung
// as make release does (nsis warnings are errors), twice: the two are the
// same bytes. Read back with 7-Zip, it holds the binary byte for byte,
// under the names the install and the upgrade use, and the uninstaller;
// its script runs `lumbung setup` on a first install, `lumbung upgrade`
// over a set-up laptop, `lumbung service uninstall` on removal, and
// removes the data only when asked.
func TestInstaller(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the installer is built on Linux")
	}
	makensis := tool(t, "makensis", "nsis")
	sevenZip := tool(t, "7z", "p7zip-full")
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	exe := filepath.Join(dir, "lumbung.exe")
	build := exec.Command("go", "build", "-o", exe, "./cmd/lumbung") // as make windows: its build cache
	build.Dir = root
	build.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build for windows: %v\n%s", err, out)
	}
	script := filepath.Join(root, "scripts", "installer", "lumbung.nsi")
	setups := []string{filepath.Join(dir, "a", "lumbung-setup.exe"), filepath.Join(dir, "b", "lumbung-setup.exe")}
	for _, out := range setups {
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			t.Fatal(err)
		}
		run(t, dir, makensis, "-WX", "-V2", "-DVERSION=v0.0.0-test", "-DBINARY="+exe, "-DOUTFILE="+out, script)
	}
	a, _ := os.ReadFile(setups[0])
	b, _ := os.ReadFile(setups[1])
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Fatalf("two builds of the installer differ (%d and %d bytes)", len(a), len(b))
	}

	listing := run(t, dir, sevenZip, "l", setups[0])
	for _, want := range []string{"lumbung.exe", "lumbung-new.exe", "uninstall.exe"} {
		if !strings.Contains(listing, " "+want+"\n") {
			t.Errorf("the installer does not hold %s:\n%s", want, listing)
		}
	}
	x := filepath.Join(dir, "x")
	run(t, dir, sevenZip, "x", "-y", "-o"+x, setups[0])
	want, _ := os.ReadFile(exe)
	for _, name := range []string{"lumbung.exe", "lumbung-new.exe"} {
		if got, err := os.ReadFile(filepath.Join(x, name)); err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s in the installer is not the binary built (%v)", name, err)
		}
	}
	// The script itself (7-Zip here does not give it back): the commands
	// it runs, and the data removed only past the question (answered no
	// by default, and in a silent uninstall without /DELETEDATA).
	src, err := os.ReadFile(script)
	if err != nil {
		t.Fatal(err)
	}
	text := string(src)
	for _, want := range []string{
		`lumbung.exe" setup --answers "$PLUGINSDIR\answers.txt"`,
		`lumbung-new.exe" upgrade --installed "$INSTDIR\lumbung.exe"`,
		`lumbung.exe" service uninstall`,
		`WriteINIStr "$DESKTOP\Lumbung.url"`,
		`ExecShell "open" "${URL}"`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the installer's script lacks %q", want)
		}
	}
	ask, del := strings.Index(text, "MB_YESNO"), strings.Index(text, `RMDir /r "$APPDATA\Lumbung"`)
	if ask < 0 || del < ask {
		t.Errorf("the data is removed without asking (question at %d, removal at %d)", ask, del)
	}
	t.Logf("lumbung-setup.exe: %d bytes, the same in two builds", len(a))
}
