package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var oneTimeRE = regexp.MustCompile(`sekali\): (\S+)`)

// TestLoginAndOfficers: an admin added on a node with no officers logs
// in with the one-time password, changes it at once, and the CLI keeps
// the token (readable by the user only) for every later command; once
// the node has an officer, a CLI without a token is refused in words;
// logout revokes the token and forgets it.
func TestLoginAndOfficers(t *testing.T) {
	cfgDir := t.TempDir()
	t.Setenv("LUMBUNG_CONFIG_DIR", cfgDir)
	url := serveTestNode(t)
	at := []string{"--node", url}
	args := func(a ...string) []string { return append(a, at...) }

	out := mustRun(t, args("officer", "add", "--name", "admin1", "--full-name", "Admin Desa", "--role", "admin")...)
	m := oneTimeRE.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no one-time password in %q", out)
	}
	if _, err := runIn(t, m[1]+"\nsandi admin campaka\n", args("login", "--name", "admin1")...); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(cfgDir, "tokens.json"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("tokens file: %v %v, want mode 0600", st, err)
	}
	out = mustRun(t, args("officer", "add", "--name", "operator1", "--full-name", "Siti Aminah", "--role", "operator")...)
	wantOut(t, out, "operator1", "operator")
	wantOut(t, mustRun(t, args("officer", "list")...), "admin1", "operator1", "Siti Aminah")

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
