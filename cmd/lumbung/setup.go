package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/replication/trust"
	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/service"
	"github.com/urfave/cli/v2"
)

// readyWait is how long setup and upgrade wait for the node to be ready.
const readyWait = 2 * time.Minute

// setupCommand: lumbung setup, a desa laptop made ready in one step, as
// the installer (lumbung-setup.exe) runs it: the data directory made,
// enrolled under its kecamatan, the office's first admin and the officer
// who installs made, the service installed and started, ready.
func setupCommand() *cli.Command {
	return &cli.Command{Name: "setup", Usage: "cmd.setup", Action: runSetup, Flags: append([]cli.Flag{
		&cli.StringFlag{Name: "data", Value: defaultDataDir(), Usage: "flag.data"},
		&cli.StringFlag{Name: "answers", Usage: "flag.setup_answers"},
		&cli.StringFlag{Name: "desa", Usage: "flag.setup_desa"},
		&cli.StringFlag{Name: "upstream", Usage: "flag.upstream"},
		&cli.StringFlag{Name: "token", Usage: "flag.token"},
		&cli.StringFlag{Name: "officer", Usage: "flag.setup_officer"},
		&cli.StringFlag{Name: "officer-name", Usage: "flag.setup_officer_name"},
		&cli.StringFlag{Name: "http", Value: "127.0.0.1:8080", Usage: "flag.http"},
		&cli.BoolFlag{Name: "no-service", Usage: "flag.setup_no_service"},
	}, serviceFlags()...)}
}

// answers is what setup needs, from the installer's pages or from the
// file a kecamatan hands over (lumbung enroll --file), as key=value lines.
type answers struct {
	Desa, Upstream, Token, Officer, OfficerName, Password string
}

// readAnswers reads key=value lines; # starts a comment. Unknown keys are
// refused, so a mistyped one is not silently ignored.
func readAnswers(path string, a *answers) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		k, v, ok := strings.Cut(text, "=")
		if !ok {
			return fmt.Errorf("%s:%d: %q", path, line, text)
		}
		v = strings.TrimSpace(v)
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "desa":
			a.Desa = v
		case "kecamatan", "upstream":
			a.Upstream = v
		case "token":
			a.Token = v
		case "officer", "petugas":
			a.Officer = v
		case "officer_name", "nama":
			a.OfficerName = v
		case "password", "sandi":
			a.Password = v
		default:
			return fmt.Errorf("%s:%d: %q", path, line, k)
		}
	}
	return sc.Err()
}

func runSetup(c *cli.Context) error {
	lang := langOf(c)
	var a answers
	if p := c.String("answers"); p != "" {
		if err := readAnswers(p, &a); err != nil {
			return fmt.Errorf("%s: %w", tr(lang, "setup.bad_answers"), err)
		}
	}
	for flag, v := range map[string]*string{"desa": &a.Desa, "upstream": &a.Upstream, "token": &a.Token,
		"officer": &a.Officer, "officer-name": &a.OfficerName} {
		if c.IsSet(flag) {
			*v = c.String(flag)
		}
	}
	if err := need(c, "data"); err != nil {
		return err
	}
	dir, err := filepath.Abs(c.String("data"))
	if err != nil {
		return err
	}
	cfg, err := node.LoadConfig(dir)
	switch {
	case err == nil:
		say(c, "setup.kept", dir) // installed again over a laptop set up before: its data stays
	case errors.Is(err, fs.ErrNotExist):
		if cfg, err = setupDesa(c, dir, a); err != nil {
			return err
		}
	default:
		return err
	}
	if c.Bool("no-service") {
		return nil
	}
	if runtime.GOOS == "windows" {
		if err := installWindows(c); err != nil {
			return err
		}
	} else if err := runServiceInstall(c); err != nil {
		return err
	}
	if err := serviceManager().Start(c.Context); err != nil {
		return err
	}
	if err := waitReady(c.Context, cfg.HTTPAddr, readyWait); err != nil {
		return fmt.Errorf("%s: %w", tr(lang, "setup.not_ready", logsWhere()), err)
	}
	say(c, "setup.ready", localURL(cfg.HTTPAddr))
	return nil
}

// setupDesa makes the desa's data directory: its configuration with the
// kecamatan and the token, its store with the office's first admin and
// the officer who installs, an operator. Everything is checked before
// anything is written.
func setupDesa(c *cli.Context, dir string, a answers) (node.Config, error) {
	lang := langOf(c)
	code, err := schema.ParseCode(a.Desa)
	if err != nil || code.Level() != schema.LevelDesa {
		return node.Config{}, errors.New(tr(lang, "setup.bad_desa", a.Desa))
	}
	if u, err := url.Parse(a.Upstream); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return node.Config{}, errors.New(tr(lang, "setup.bad_upstream", a.Upstream))
	}
	if _, err := trust.ParseEnrollToken(a.Token); err != nil {
		return node.Config{}, fmt.Errorf("%s: %w", tr(lang, "setup.bad_token"), err)
	}
	if a.Password == "" {
		return node.Config{}, errors.New(tr(lang, "setup.no_password"))
	}
	op := officer.Account{Name: a.Officer, FullName: a.OfficerName, Role: officer.Operator, Region: code}
	if err := op.Check(); err != nil {
		return node.Config{}, fmt.Errorf("%s: %w", tr(lang, "setup.bad_officer"), err)
	}
	if err := officer.CheckPassword(a.Password, a.Officer); err != nil {
		return node.Config{}, fmt.Errorf("%s: %w", tr(lang, "setup.bad_password"), err)
	}
	// The data directory is made here, or was empty: a refused setup
	// then removes it whole without touching anything of anyone's.
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return node.Config{}, errors.New(tr(lang, "setup.not_empty", dir))
	}
	cfg := node.DefaultConfig(node.TierDesa, code)
	cfg.HTTPAddr, cfg.Upstream, cfg.Token = c.String("http"), strings.TrimRight(a.Upstream, "/"), strings.TrimSpace(a.Token)
	if err := cfg.Validate(); err != nil {
		return node.Config{}, err
	}
	sc := node.DefaultStoreConfig(node.StoreDir(dir), cfg.Region)
	sc.Logger = quietLogger(c)
	st, err := node.OpenStore(sc)
	if err != nil {
		return node.Config{}, err
	}
	pw, recovery, err := st.AddFirstAdmin(c.Context)
	if err == nil {
		_, err = st.AddOfficer(c.Context, op, a.Password, false)
	}
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = node.SaveConfig(dir, cfg)
	}
	if err != nil {
		_ = os.RemoveAll(dir) // made here, nothing taken yet: setup can run again
		return node.Config{}, err
	}
	say(c, "setup.done", code, dir, a.Officer)
	say(c, "init.admin", node.FirstAdmin, pw)
	say(c, "init.recovery", recovery)
	return cfg, nil
}

// localURL is where the officer screens are on this machine.
func localURL(addr string) string {
	host, port, ok := strings.Cut(addr, ":")
	if !ok || host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	if !ok {
		port = "8080"
	}
	return "http://" + host + ":" + port + "/"
}

// waitReady polls the node's /readyz until it answers 200.
func waitReady(ctx context.Context, addr string, within time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, within)
	defer cancel()
	for {
		err := readyOnce(ctx, localURL(addr))
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(500 * time.Millisecond):
		}
	}
}

func readyOnce(ctx context.Context, base string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"readyz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("readyz: HTTP %d", resp.StatusCode)
	}
	return nil
}

// upgradeCommand: lumbung upgrade, run by the new release's binary (the
// installer puts it beside the installed one): it replaces the installed
// binary, starts the service on the same data, and rolls back when the
// new release does not become ready (service.Upgrade).
func upgradeCommand() *cli.Command {
	return &cli.Command{Name: "upgrade", Usage: "cmd.upgrade", Action: runUpgrade, Flags: []cli.Flag{
		&cli.StringFlag{Name: "data", Value: defaultDataDir(), Usage: "flag.data"},
		&cli.StringFlag{Name: "installed", Usage: "flag.upgrade_installed"},
		&cli.DurationFlag{Name: "wait", Value: readyWait, Usage: "flag.upgrade_wait"},
	}}
}

func runUpgrade(c *cli.Context) error {
	lang := langOf(c)
	if err := need(c, "installed"); err != nil {
		return err
	}
	dir, cfg, err := dataConfig(c)
	if err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	installed, err := filepath.Abs(c.String("installed"))
	if err != nil {
		return err
	}
	u := &service.Upgrade{Binary: installed, New: self, DataDir: dir, Manager: serviceManager(), Wait: c.Duration("wait"),
		Ready: func(ctx context.Context) error { return readyOnce(ctx, localURL(cfg.HTTPAddr)) },
		Step:  func(s string) { say(c, "upgrade.step_"+strings.ReplaceAll(s, " ", "_")) }}
	err = u.Run(c.Context)
	if errors.Is(err, service.ErrRolledBack) {
		return &plainError{tr(lang, "upgrade.rolled_back"), err}
	}
	return err
}

func init() {
	locale.DefineAll(map[string][2]string{
		"cmd.setup": {"menyiapkan laptop desa dalam satu langkah (dipakai pemasang): data, pendaftaran ke kecamatan, petugas pertama, layanan",
			"set a desa laptop up in one step (the installer runs it): data, enrolment under the kecamatan, first officer, service"},
		"flag.setup_answers":      {"berkas jawaban kunci=nilai (desa, kecamatan, token, petugas, nama, sandi); berkas dari kecamatan pun bisa", "a key=value answers file (desa, kecamatan, token, petugas, nama, sandi); the kecamatan's file too"},
		"flag.setup_desa":         {"kode desa, mis. 32.14.01.2001", "the desa's code, e.g. 32.14.01.2001"},
		"flag.setup_officer":      {"nama pengguna petugas yang memasang (operator)", "the username of the officer installing (an operator)"},
		"flag.setup_officer_name": {"nama lengkap petugas itu", "that officer's full name"},
		"flag.setup_no_service":   {"tanpa memasang layanan (untuk uji)", "do not install the service (for tests)"},
		"setup.bad_answers":       {"berkas jawaban tidak terbaca", "the answers file cannot be read"},
		"setup.bad_desa":          {"Kode desa %q tidak sah: tulis seperti 32.14.01.2001 (lihat berkas dari kecamatan).", "The desa code %q is not valid: write it like 32.14.01.2001 (see the kecamatan's file)."},
		"setup.bad_upstream":      {"Alamat kecamatan %q tidak sah: tulis seperti https://kecamatan.example:8443.", "The kecamatan's address %q is not valid: write it like https://kecamatan.example:8443."},
		"setup.bad_token":         {"Token pendaftaran tidak sah; salin lagi dari berkas kecamatan", "The enrolment token is not valid; copy it again from the kecamatan's file"},
		"setup.bad_officer":       {"Nama pengguna atau nama lengkap petugas tidak dapat dipakai", "The officer's username or full name cannot be used"},
		"setup.bad_password":      {"Kata sandi petugas ditolak", "The officer's password is refused"},
		"setup.not_empty":         {"Direktori %s sudah berisi berkas lain; pilih direktori data yang kosong atau belum ada.", "The directory %s holds other files; choose a data directory that is empty or does not exist yet."},
		"setup.no_password":       {"Kata sandi petugas belum diisi.", "The officer's password is missing."},
		"setup.done":              {"Desa %s disiapkan di %s; petugas %s dapat masuk.", "Desa %s set up in %s; officer %s can log in."},
		"setup.kept":              {"Laptop ini sudah disiapkan; data di %s tetap dipakai.", "This laptop is set up already; the data in %s is kept."},
		"setup.not_ready":         {"Lumbung belum siap; lihat catatan di %s", "Lumbung is not ready; see the logs in %s"},
		"setup.ready":             {"Lumbung siap. Buka %s di peramban.", "Lumbung is ready. Open %s in the browser."},
		"cmd.upgrade":             {"memasang rilis ini menggantikan yang terpasang; kembali ke yang lama bila tidak siap", "install this release in place of the installed one; back to the old one if it is not ready"},
		"flag.upgrade_installed":  {"berkas lumbung yang dijalankan layanan", "the lumbung binary the service runs"},
		"flag.upgrade_wait":       {"berapa lama rilis baru ditunggu siap", "how long the new release has to become ready"},
		"upgrade.step_stop":       {"Menghentikan layanan…", "Stopping the service…"},
		"upgrade.step_keep":       {"Menyimpan rilis lama dan salinan data…", "Keeping the old release and a copy of the data…"},
		"upgrade.step_replace":    {"Memasang rilis baru…", "Putting the new release in place…"},
		"upgrade.step_start":      {"Menyalakan layanan dan menunggu siap…", "Starting the service and waiting until ready…"},
		"upgrade.step_done":       {"Pembaruan selesai; Lumbung siap.", "Upgrade done; Lumbung is ready."},
		"upgrade.step_rollback":   {"Rilis baru tidak siap: kembali ke rilis lama…", "The new release is not ready: going back to the old one…"},
		"upgrade.step_rolled_back": {"Rilis lama berjalan lagi dengan data seperti sebelumnya.",
			"The old release runs again, with the data as it was."},
		"upgrade.rolled_back": {"Pembaruan dibatalkan: rilis baru tidak siap, rilis lama berjalan lagi dan desa tetap dapat menerima pengaduan",
			"Upgrade undone: the new release was not ready; the old one runs again and the desa goes on taking complaints"},
	})
}
