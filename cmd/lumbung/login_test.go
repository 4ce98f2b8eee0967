package main

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lumbung/lumbung/httpapi"
)

var oneTimeRE = regexp.MustCompile(`ditampilkan sekali[^)]*\): (\S+)`)

// TestLoginAndOfficers: the first admin init made logs in with the
// one-time password init printed, changes it at once, and the CLI keeps
// the token (readable by the user only) for every later command; a CLI
// without a token is refused in words; logout revokes the token and
// forgets it.
func TestLoginAndOfficers(t *testing.T) {
	tn := newTestNode(t)
	cfgDir := t.TempDir()
	t.Setenv("LUMBUNG_CONFIG_DIR", cfgDir)
	url := tn.url
	at := []string{"--node", url}
	args := func(a ...string) []string { return append(a, at...) }

	wantErr(t, []string{"masuk"}, args("officer", "list")...)
	m := oneTimeRE.FindStringSubmatch(tn.printed)
	if m == nil {
		t.Fatalf("no one-time password in what init printed: %q", tn.printed)
	}
	if _, err := runIn(t, m[1]+"\nsandi kantor campaka\n", args("login", "--name", "admin")...); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(cfgDir, "tokens.json"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("tokens file: %v %v, want mode 0600", st, err)
	}
	out := mustRun(t, args("officer", "add", "--name", "operator1", "--full-name", "Siti Aminah", "--role", "operator")...)
	wantOut(t, out, "operator1", "operator")
	wantOut(t, mustRun(t, args("officer", "list")...), "admin", "operator1", "Siti Aminah", "demo.viewer")

	t.Setenv("LUMBUNG_CONFIG_DIR", t.TempDir())
	wantErr(t, []string{"masuk"}, args("complaint", "list")...)
	t.Setenv("LUMBUNG_CONFIG_DIR", cfgDir)

	mustRun(t, args("logout")...)
	raw, _ := os.ReadFile(filepath.Join(cfgDir, "tokens.json"))
	if strings.Contains(string(raw), "lbt_") {
		t.Fatalf("the token is still kept after logout: %s", raw)
	}
	wantErr(t, []string{"masuk"}, args("officer", "list")...)
}

// TestOfficerAddOffline: a stopped desa whose first admin's password was
// lost gets an admin again with `officer add --data`, whose one-time
// password works at the next serve and must be changed; a cluster
// member's data directory refuses, in words.
func TestOfficerAddOffline(t *testing.T) {
	t.Setenv("LUMBUNG_CONFIG_DIR", t.TempDir())
	dir := t.TempDir()
	mustRun(t, "init", "--data", dir, "--tier", "desa", "--region", testDesa)
	out := mustRun(t, "officer", "add", "--data", dir, "--name", "kades", "--full-name", "Kepala Desa", "--role", "admin")
	m := oneTimeRE.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no one-time password in %q", out)
	}
	n := openNode(t, dir)
	srv := httptest.NewServer(httpapi.Handler(n))
	t.Cleanup(srv.Close)
	if _, err := runIn(t, m[1]+"\nkantor kepala desa\n", "login", "--name", "kades", "--node", srv.URL); err != nil {
		t.Fatal(err)
	}
	wantOut(t, mustRun(t, "officer", "list", "--node", srv.URL), "kades", "admin")

	kec := t.TempDir()
	mustRun(t, "init", "--data", kec, "--tier", "kecamatan", "--region", "32.14.02", "--raft", "127.0.0.1:7999")
	wantErr(t, []string{"data klaster"}, "officer", "add", "--data", kec, "--name", "camat", "--full-name", "Camat", "--role", "admin")
}
