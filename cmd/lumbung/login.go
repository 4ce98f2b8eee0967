package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/lumbung/lumbung/client"
	"github.com/lumbung/lumbung/httpapi"
	"github.com/lumbung/lumbung/internal/atomicfile"
	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/officer"
	"github.com/urfave/cli/v2"
	"golang.org/x/term"
)

// The CLI keeps an officer's API token per node in tokens.json in the
// user's config directory (LUMBUNG_CONFIG_DIR overrides it), readable by
// the user only: the directory 0700, the file 0600.

func loginCommand() *cli.Command {
	return &cli.Command{
		Name: "login", Usage: "cmd.login",
		Flags:  []cli.Flag{nodeFlag(), &cli.StringFlag{Name: "name", Usage: "flag.login_name", Required: true}},
		Action: runLogin,
	}
}

func logoutCommand() *cli.Command {
	return &cli.Command{Name: "logout", Usage: "cmd.logout", Flags: []cli.Flag{nodeFlag()}, Action: runLogout}
}

func officerCommand() *cli.Command {
	nameFlag := &cli.StringFlag{Name: "name", Usage: "flag.officer_name", Required: true}
	return &cli.Command{
		Name: "officer", Usage: "cmd.officer",
		Subcommands: []*cli.Command{
			{Name: "list", Usage: "cmd.officer_list", Flags: []cli.Flag{nodeFlag(), outputFlag()}, Action: runOfficerList},
			{Name: "add", Usage: "cmd.officer_add", Flags: []cli.Flag{nodeFlag(), dataFlag(), nameFlag,
				&cli.StringFlag{Name: "full-name", Usage: "flag.full_name", Required: true},
				&cli.StringFlag{Name: "role", Usage: "flag.role", Required: true}}, Action: runOfficerAdd},
			{Name: "disable", Usage: "cmd.officer_disable", Flags: []cli.Flag{nodeFlag(), nameFlag}, Action: runOfficerDisable},
			{Name: "reset-password", Usage: "cmd.officer_reset", Flags: []cli.Flag{nodeFlag(), nameFlag}, Action: runOfficerReset},
		},
	}
}

// configPath is where the CLI keeps a file of its own (tokens.json,
// pins.json).
func configPath(name string) (string, error) {
	dir := os.Getenv("LUMBUNG_CONFIG_DIR")
	if dir == "" {
		base, err := os.UserConfigDir()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(base, "lumbung")
	}
	return filepath.Join(dir, name), nil
}

// loadTokens reads the tokens kept, by node URL; none is an empty map.
func loadTokens() (map[string]string, error) { return loadKept("tokens.json") }

// saveTokens replaces the tokens kept, readable by the user only.
func saveTokens(tokens map[string]string) error { return saveKept("tokens.json", tokens) }

// loadKept reads a map the CLI keeps by node URL; none is an empty map.
func loadKept(name string) (map[string]string, error) {
	p, err := configPath(name)
	if err != nil {
		return nil, err
	}
	raw, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	return out, nil
}

// saveKept replaces a map the CLI keeps, readable by the user only.
func saveKept(name string, m map[string]string) error {
	p, err := configPath(name)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return err
	}
	raw, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if _, err := atomicfile.Write(vfs.Default, p, func(w io.Writer) error { _, err := w.Write(raw); return err }); err != nil {
		return err
	}
	return os.Chmod(p, 0o600)
}

// nodeKey is how a node's URL is kept: without a trailing slash.
func nodeKey(url string) string { return strings.TrimRight(strings.TrimSpace(url), "/") }

// readLine reads one line of stdin (a password typed or piped); typed at
// a terminal, it is not shown.
func readLine(c *cli.Context, prompt string) (string, error) {
	fmt.Fprint(c.App.ErrWriter, prompt)
	if f, ok := c.App.Reader.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(c.App.ErrWriter)
		return string(b), err
	}
	r, ok := c.App.Reader.(*bufio.Reader)
	if !ok {
		r = bufio.NewReader(c.App.Reader)
	}
	line, err := r.ReadString('\n')
	if err != nil && line == "" {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// runLogin logs an officer in and keeps the node's API token. A
// one-time password is changed first: the new one is read next.
func runLogin(c *cli.Context) error {
	lang := langOf(c)
	if err := learnPin(c, c.String("node")); err != nil {
		return err
	}
	hc, err := httpClient(c.String("node"))
	if err != nil {
		return err
	}
	cl, err := client.New(c.String("node"), client.Options{Lang: string(lang), HTTP: hc})
	if err != nil {
		return errors.New(tr(lang, "err.node_url", nodeKey(c.String("node"))))
	}
	if f, ok := c.App.Reader.(*os.File); !ok || !term.IsTerminal(int(f.Fd())) {
		c.App.Reader = bufio.NewReader(c.App.Reader) // piped: both lines from one buffer
	}
	pw, err := readLine(c, tr(lang, "login.password"))
	if err != nil {
		return err
	}
	ans, err := cl.Login(c.Context, c.String("name"), pw)
	if err != nil {
		return err
	}
	if ans.MustChange {
		next, err := readLine(c, tr(lang, "login.new_password"))
		if err != nil {
			return err
		}
		authed, _ := client.New(c.String("node"), client.Options{Lang: string(lang), Token: ans.Token, HTTP: hc})
		if err := authed.SetPassword(c.Context, pw, next); err != nil {
			return err
		}
		if ans, err = cl.Login(c.Context, c.String("name"), next); err != nil {
			return err
		}
	}
	tokens, err := loadTokens()
	if err != nil {
		return err
	}
	tokens[nodeKey(c.String("node"))] = ans.Token
	if err := saveTokens(tokens); err != nil {
		return err
	}
	say(c, "login.done", ans.Officer.FullName, ans.Officer.Role, nodeKey(c.String("node")))
	return nil
}

// runLogout ends the session of the token kept for --node and forgets it.
func runLogout(c *cli.Context) error {
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	if err := cl.Logout(c.Context); err != nil {
		return err
	}
	tokens, err := loadTokens()
	if err != nil {
		return err
	}
	delete(tokens, nodeKey(c.String("node")))
	if err := saveTokens(tokens); err != nil {
		return err
	}
	say(c, "logout.done", nodeKey(c.String("node")))
	return nil
}

func runOfficerList(c *cli.Context) error {
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	all, err := cl.Officers(c.Context)
	if err != nil {
		return err
	}
	if ok, err := cl.printedJSON(c); ok {
		return err
	}
	for _, o := range all {
		state := ""
		if o.Disabled {
			state = tr(langOf(c), "officer.disabled")
		}
		say(c, "officer.line", o.Name, o.Role, o.FullName, state)
	}
	return nil
}

func runOfficerAdd(c *cli.Context) error {
	if c.String("data") != "" {
		return officerAddOffline(c)
	}
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	ans, err := cl.AddOfficer(c.Context, httpapi.OfficerInput{Name: c.String("name"), FullName: c.String("full-name"),
		Role: officer.Role(c.String("role"))})
	if err != nil {
		return err
	}
	say(c, "officer.added", ans.Officer.Name, ans.Officer.Role, ans.Password)
	return nil
}

// officerAddOffline adds an officer to a stopped desa's data directory
// (--data): how a desa whose first admin's password was lost, or never
// seen, gets an admin again. A cluster's officers are cluster state: its
// stopped member's store refuses, and its first serve makes the first
// admin.
func officerAddOffline(c *cli.Context) error {
	role, err := officer.ParseRole(c.String("role"))
	if err != nil {
		return err
	}
	cfg, st, err := openOffline(c, c.String("data"))
	if err != nil {
		return err
	}
	if cfg.Tier != node.TierDesa {
		_ = st.Close()
		return errors.New(tr(langOf(c), "err.officer_offline_cluster"))
	}
	pw := officer.NewPassword()
	a, err := st.AddOfficer(c.Context, officer.Account{Name: c.String("name"), FullName: c.String("full-name"), Role: role}, pw, true)
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	say(c, "officer.added", a.Name, a.Role, pw)
	return nil
}

func runOfficerDisable(c *cli.Context) error {
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	off := true
	if _, err := cl.ChangeOfficer(c.Context, c.String("name"), node.OfficerChange{Disabled: &off}); err != nil {
		return err
	}
	say(c, "officer.disabled_done", c.String("name"))
	return nil
}

func runOfficerReset(c *cli.Context) error {
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	ans, err := cl.ResetPassword(c.Context, c.String("name"))
	if err != nil {
		return err
	}
	say(c, "officer.reset_done", ans.Officer.Name, ans.Password)
	return nil
}

func init() {
	locale.DefineAll(map[string][2]string{
		"cmd.login":           {"masuk sebagai petugas; token API disimpan untuk node ini", "log in as an officer; the API token is kept for this node"},
		"cmd.logout":          {"keluar: token API node ini dicabut dan dihapus", "log out: this node's API token is revoked and forgotten"},
		"cmd.officer":         {"petugas kantor ini (admin)", "this office's officers (admin)"},
		"cmd.officer_list":    {"menampilkan petugas", "list the officers"},
		"cmd.officer_add":     {"menambah petugas; kata sandi sementara dicetak sekali", "add an officer; the one-time password is printed once"},
		"cmd.officer_disable": {"menonaktifkan petugas; sesinya berakhir", "disable an officer; their sessions end"},
		"cmd.officer_reset":   {"memberi kata sandi sementara baru; sesinya berakhir", "give a new one-time password; their sessions end"},
		"flag.login_name":     {"nama login petugas", "the officer's login name"},
		"flag.officer_name":   {"nama login petugas", "the officer's login name"},
		"flag.full_name":      {"nama lengkap petugas", "the officer's full name"},
		"flag.role":           {"peran: operator, verifikator, admin atau viewer", "role: operator, verifikator, admin or viewer"},
		"login.password":      {"Kata sandi: ", "Password: "},
		"login.new_password":  {"Kata sandi sementara harus diganti. Kata sandi baru: ", "The one-time password must be changed. New password: "},
		"login.done":          {"Masuk sebagai %s (%s) di %s.", "Logged in as %s (%s) at %s."},
		"logout.done":         {"Keluar dari %s.", "Logged out of %s."},
		"officer.line":        {"%-20s %-12s %s %s", "%-20s %-12s %s %s"},
		"officer.disabled":    {"(nonaktif)", "(disabled)"},
		"officer.added":       {"Petugas %s (%s) ditambahkan. Kata sandi sementara (hanya ditampilkan sekali): %s", "Officer %s (%s) added. One-time password (shown only once): %s"},
		"err.officer_offline_cluster": {"Petugas klaster adalah data klaster: tambahkan lewat API (--node) sebagai admin; admin pertama dibuat oleh serve pertama.",
			"A cluster's officers are cluster state: add them through the API (--node) as an admin; its first admin is made by its first serve."},
		"officer.disabled_done": {"Petugas %s dinonaktifkan.", "Officer %s disabled."},
		"officer.reset_done":    {"Kata sandi sementara baru untuk %s (hanya ditampilkan sekali): %s", "New one-time password for %s (shown only once): %s"},
	})
}
