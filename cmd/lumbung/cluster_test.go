package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lumbung/lumbung/localcluster"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/replication/trust"
)

var joinTokenRE = regexp.MustCompile(`lbj1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+`)

// servingMember is a `lumbung serve` of a cluster member run in this
// process, with what it prints on standard output.
type servingMember struct {
	url   string
	lines chan string
	stop  func()
}

func serveMember(t *testing.T, dir, httpAddr string) *servingMember {
	t.Helper()
	app := newApp("id")
	pr, pw := io.Pipe()
	app.Writer, app.ErrWriter = pw, testWriter{t}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		err := app.RunContext(ctx, interspersed(app, []string{"lumbung", "serve", "--data", dir, "--http", httpAddr,
			"--raft-timeout", "300ms", "--log-level", "warn"}))
		pw.Close()
		done <- err
	}()
	m := &servingMember{url: "http://" + httpAddr, lines: make(chan string, 16)}
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			select {
			case m.lines <- sc.Text():
			default:
			}
		}
		close(m.lines)
	}()
	stopped := false
	m.stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve %s: %v", dir, err)
		}
	}
	t.Cleanup(m.stop)
	// Wait until it serves: its flags are parsed then, and urfave/cli's
	// shared help flag must not be parsed by two runs at once (-race).
	for line := range m.lines {
		if strings.HasPrefix(line, "lumbung: serving ") {
			return m
		}
	}
	t.Fatalf("serve %s ended before serving", dir)
	return nil
}

// TestClusterCommands walks the documented way to grow a cluster and to
// recover one: a first member's serve prints its admin's password; the
// admin issues a join token (cluster join-token); a new member enrols with
// it at init and joins at its first serve, while a second init with the
// same token is refused; once both are stopped and the second is lost,
// cluster recover (which asks for --yes) makes the first the only member,
// and it leads again.
func TestClusterCommands(t *testing.T) {
	t.Setenv("LUMBUNG_CONFIG_DIR", t.TempDir())
	addr := func() string {
		a, err := localcluster.FreeAddr()
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	dir1, http1, raft1, sync1 := t.TempDir(), addr(), addr(), addr()
	mustRun(t, "init", "--data", dir1, "--tier", "kecamatan", "--region", "32.14.02", "--http", http1, "--raft", raft1,
		"--sync-addr", sync1)
	m1 := serveMember(t, dir1, http1)
	// The sync listener answers the exchange (which asks for a token) and
	// nothing else.
	for path, want := range map[string]int{"/api/v1/sync/exchange": 401, "/api/v1/login": 404} {
		resp, err := http.Post("http://"+sync1+path, "application/json", strings.NewReader("{}"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("POST %s at the sync address: %d, want %d", path, resp.StatusCode, want)
		}
	}
	var pw string
	for line := range m1.lines {
		if m := oneTimeRE.FindStringSubmatch(line); m != nil {
			pw = m[1]
			break
		}
	}
	at := []string{"--node", m1.url}
	if _, err := runIn(t, pw+"\nsandi kantor kecamatan\n", append([]string{"login", "--name", "admin"}, at...)...); err != nil {
		t.Fatal(err)
	}
	// The token lumbung enroll prints pins the cluster's HTTPS CA, whose
	// pin cluster ca prints; a desa given it, then a new token and
	// address (sync token), keeps both in its configuration.
	ca := mustRun(t, "cluster", "ca", "--data", dir1)
	first, _, _ := strings.Cut(ca, "\n")
	pin := regexp.MustCompile(`[A-Za-z0-9_-]{43}$`).FindString(first)
	if pin == "" || !strings.Contains(ca, "BEGIN CERTIFICATE") {
		t.Fatalf("cluster ca printed no pin or no certificate:\n%s", ca)
	}
	enrolled := regexp.MustCompile(`lmb_[0-9A-Z]{26}\.[A-Za-z0-9_-]{43}`).FindString(mustRun(t, append([]string{"enroll", "--region", "32.14.02.2001"}, at...)...))
	if !strings.HasSuffix(enrolled, "."+pin) {
		t.Fatalf("lumbung enroll printed %q, want a token pinning %s", enrolled, pin)
	}
	// An admin on another machine logs in over HTTPS: the first login
	// shows the pin of the cluster's CA (the one cluster ca prints) and
	// keeps it; later commands verify the node by it.
	secure := strings.Replace(m1.url, "http://", "https://", 1)
	login, err := runIn(t, "sandi kantor kecamatan\n", "login", "--name", "admin", "--node", secure)
	if err != nil || !strings.Contains(login, pin) {
		t.Fatalf("login over HTTPS showed no pin %s: %v\n%s", pin, err, login)
	}
	wantOut(t, mustRun(t, "enroll", "--list", "--node", secure), "32.14.02.2001")
	// The sync listener serves HTTPS under the same pinned CA.
	tok, err := trust.ParseEnrollToken(enrolled)
	if err != nil {
		t.Fatal(err)
	}
	pinned := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{TLSClientConfig: trust.UpstreamConfig(tok.Pin, nil)}}
	resp, err := pinned.Get("https://" + sync1 + "/healthz")
	if err != nil {
		t.Fatalf("the sync listener over HTTPS: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.TLS == nil {
		t.Fatalf("the sync listener over HTTPS: %d", resp.StatusCode)
	}
	desaDir := t.TempDir()
	mustRun(t, "init", "--data", desaDir, "--tier", "desa", "--region", "32.14.02.2001", "--upstream", m1.url, "--token", enrolled)
	wantErr(t, []string{"token"}, "sync", "token", "--data", desaDir, "--set", "lmb_not-a-token")
	mustRun(t, "sync", "token", "--data", desaDir, "--set", enrolled, "--upstream", "https://kecamatan.example:8443")
	if cfg, err := node.LoadConfig(desaDir); err != nil || cfg.Token != enrolled || cfg.Upstream != "https://kecamatan.example:8443" {
		t.Fatalf("after sync token: %+v %v", cfg, err)
	}

	out := mustRun(t, append([]string{"cluster", "join-token", "--ttl", "1h"}, at...)...)
	token := joinTokenRE.FindString(out)
	if token == "" || !strings.Contains(out, "--tier kecamatan --region 32.14.02 ") || !strings.Contains(out, "--join "+raft1) {
		t.Fatalf("cluster join-token printed no token or no --join %s:\n%s", raft1, out)
	}

	dir2, http2, raft2 := t.TempDir(), addr(), addr()
	mustRun(t, "init", "--data", dir2, "--tier", "kecamatan", "--region", "32.14.02", "--http", http2, "--raft", raft2,
		"--join", raft1, "--join-token", token)
	wantErr(t, []string{"Token gabung ditolak"}, "init", "--data", t.TempDir(), "--tier", "kecamatan", "--region", "32.14.02",
		"--http", addr(), "--raft", addr(), "--join", raft1, "--join-token", token)
	m2 := serveMember(t, dir2, http2)
	members := func(n int) bool {
		out, err := run(t, append([]string{"cluster", "status"}, at...)...)
		return err == nil && strings.Count(out, "raft 127.0.0.1:") == n
	}
	if err := localcluster.Eventually(30*time.Second, "two members in cluster status", func() bool { return members(2) }); err != nil {
		t.Fatal(err)
	}

	m2.stop()
	m1.stop()
	wantErr(t, []string{"--yes"}, "cluster", "recover", "--data", dir1)
	wantOut(t, mustRun(t, "cluster", "recover", "--data", dir1, "--yes"), "Klaster dipulihkan")
	serveMember(t, dir1, http1) // stopped at the test's end
	if err := localcluster.Eventually(30*time.Second, "one member leading after the recovery", func() bool {
		out, err := run(t, append([]string{"cluster", "status"}, at...)...)
		return err == nil && members(1) && strings.Contains(out, "pemimpin")
	}); err != nil {
		t.Fatal(err)
	}
}
