package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"strconv"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/service"
	"github.com/urfave/cli/v2"
)

// defaultUnitDir is where systemd reads the units an administrator adds.
const defaultUnitDir = service.UnitDir

// serviceCommand: lumbung service install|uninstall|start|stop|status,
// Lumbung as the system's service. On Linux a hardened systemd unit
// (package service); on Windows a service started at boot and restarted
// after a crash (service_windows.go).
func serviceCommand() *cli.Command {
	unitDir := &cli.StringFlag{Name: "unit-dir", Value: defaultUnitDir, Usage: "flag.unit_dir"}
	return &cli.Command{
		Name: "service", Usage: "cmd.service",
		Subcommands: []*cli.Command{
			{Name: "install", Usage: "cmd.service_install", Action: runServiceInstall, Flags: append([]cli.Flag{
				&cli.StringFlag{Name: "data", Value: defaultDataDir(), Usage: "flag.data"}}, serviceFlags()...)},
			{Name: "uninstall", Usage: "cmd.service_uninstall", Action: runServiceUninstall, Flags: []cli.Flag{unitDir}},
			{Name: "start", Usage: "cmd.service_start", Action: systemctl("start")},
			{Name: "stop", Usage: "cmd.service_stop", Action: systemctl("stop")},
			{Name: "status", Usage: "cmd.service_status", Action: systemctl("status")},
		},
	}
}

func runServiceInstall(c *cli.Context) error {
	lang := langOf(c)
	if runtime.GOOS == "windows" {
		return installWindows(c)
	}
	if runtime.GOOS != "linux" {
		return errors.New(tr(lang, "service.not_here", runtime.GOOS))
	}
	dir, cfg, bin, err := serviceTarget(c)
	if err != nil {
		return err
	}
	name := c.String("user")
	if err := ensureUser(c, name, dir); err != nil {
		return err
	}
	if err := chownAll(dir, name); err != nil {
		return fmt.Errorf("%s: %w", tr(lang, "service.chown", dir, name), err)
	}
	text, err := service.Unit{Binary: bin, DataDir: dir, User: name,
		About: string(cfg.Tier) + " " + string(cfg.Region)}.Render()
	if err != nil {
		return err
	}
	path := filepath.Join(c.String("unit-dir"), service.UnitName)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		return err
	}
	say(c, "service.installed", path, name, dir)
	if c.String("unit-dir") == defaultUnitDir {
		for _, args := range [][]string{{"daemon-reload"}, {"enable", service.UnitName}} {
			if err := runSystem(c, "systemctl", args...); err != nil {
				return err
			}
		}
		say(c, "service.enabled")
	}
	return nil
}

// serviceTarget is what installing the service needs: the data
// directory (absolute) and its configuration, and the binary to run
// (--binary, or this one).
func serviceTarget(c *cli.Context) (dir string, cfg node.Config, bin string, err error) {
	if dir, cfg, err = dataConfig(c); err != nil {
		return "", cfg, "", err
	}
	if bin = c.String("binary"); bin == "" {
		if bin, err = os.Executable(); err != nil {
			return "", cfg, "", err
		}
	}
	bin, err = filepath.Abs(bin)
	return dir, cfg, bin, err
}

// dataConfig is --data, which must be given, made absolute, and the
// configuration of the node there.
func dataConfig(c *cli.Context) (string, node.Config, error) {
	if err := need(c, "data"); err != nil {
		return "", node.Config{}, err
	}
	dir, err := filepath.Abs(c.String("data"))
	if err != nil {
		return "", node.Config{}, err
	}
	cfg, err := loadConfig(c, dir)
	return dir, cfg, err
}

// serviceFlags are install's flags but --data, which setup shares.
func serviceFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "user", Value: "lumbung", Usage: "flag.service_user"},
		&cli.StringFlag{Name: "binary", Usage: "flag.service_binary"},
		&cli.StringFlag{Name: "unit-dir", Value: defaultUnitDir, Usage: "flag.unit_dir"},
	}
}

func runServiceUninstall(c *cli.Context) error {
	if runtime.GOOS == "windows" {
		return uninstallWindows(c)
	}
	path := filepath.Join(c.String("unit-dir"), service.UnitName)
	if c.String("unit-dir") == defaultUnitDir {
		_ = runSystem(c, "systemctl", "disable", "--now", service.UnitName)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if c.String("unit-dir") == defaultUnitDir {
		_ = runSystem(c, "systemctl", "daemon-reload")
	}
	say(c, "service.uninstalled", path)
	return nil
}

// systemctl runs systemctl verb on the unit.
func systemctl(verb string) cli.ActionFunc {
	return func(c *cli.Context) error {
		if runtime.GOOS == "windows" {
			return controlWindows(c, verb)
		}
		if runtime.GOOS != "linux" {
			return errors.New(tr(langOf(c), "service.not_here", runtime.GOOS))
		}
		if verb == "status" {
			st := service.Query(c.Context)
			sayState(c, st)
			if !st.Installed {
				return nil
			}
		}
		return runSystem(c, "systemctl", verb, service.UnitName)
	}
}

// runSystem runs a system command, its output shown; a missing command or a
// failure is said in words.
func runSystem(c *cli.Context, name string, args ...string) error {
	cmd := exec.CommandContext(c.Context, name, args...)
	cmd.Stdout, cmd.Stderr = c.App.Writer, c.App.ErrWriter
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w", tr(langOf(c), "service.command_failed", name+" "+fmt.Sprint(args)), err)
	}
	return nil
}

// ensureUser makes the service's own account, a system one that cannot
// log in, unless it exists.
func ensureUser(c *cli.Context, name, home string) error {
	if _, err := user.Lookup(name); err == nil {
		return nil
	}
	if err := runSystem(c, "useradd", "--system", "--home-dir", home, "--no-create-home", "--shell", "/usr/sbin/nologin", name); err != nil {
		return err
	}
	say(c, "service.user_made", name)
	return nil
}

// chownAll gives dir and everything in it to the account name.
func chownAll(dir, name string) error {
	u, err := user.Lookup(name)
	if err != nil {
		return err
	}
	uid, err := strconv.Atoi(u.Uid)
	if err != nil {
		return err
	}
	gid, err := strconv.Atoi(u.Gid)
	if err != nil {
		return err
	}
	return filepath.WalkDir(dir, func(path string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(path, uid, gid)
	})
}

func init() {
	locale.DefineAll(map[string][2]string{
		"cmd.service":            {"Lumbung sebagai layanan sistem (systemd di Linux, layanan Windows)", "Lumbung as the system's service (systemd on Linux, a Windows service)"},
		"cmd.service_install":    {"memasang layanan: akun sendiri, diperketat, menyala saat boot", "install the service: its own account, hardened, started at boot"},
		"cmd.service_uninstall":  {"melepas layanan; data tetap", "remove the service; the data stays"},
		"cmd.service_start":      {"menyalakan layanan", "start the service"},
		"cmd.service_stop":       {"menghentikan layanan (data ditutup dengan rapi)", "stop the service (the data is closed cleanly)"},
		"cmd.service_status":     {"keadaan layanan", "the service's state"},
		"flag.unit_dir":          {"direktori unit systemd", "the systemd unit directory"},
		"flag.service_user":      {"akun layanan (dibuat bila belum ada)", "the service's account (made if missing)"},
		"flag.service_binary":    {"berkas lumbung yang dijalankan (bawaan: yang ini)", "the lumbung binary to run (default: this one)"},
		"service.not_here":       {"Layanan untuk %s belum tersedia di rilis ini.", "The service for %s is not in this release yet."},
		"service.chown":          {"tidak dapat memberikan %s kepada akun %s", "cannot give %s to the account %s"},
		"service.installed":      {"Unit %s terpasang: berjalan sebagai %s, data di %s.", "Unit %s installed: runs as %s, data in %s."},
		"service.enabled":        {"Layanan menyala saat boot. Nyalakan sekarang: lumbung service start", "The service starts at boot. Start it now: lumbung service start"},
		"service.uninstalled":    {"Unit %s dilepas; data tidak disentuh.", "Unit %s removed; the data is untouched."},
		"service.command_failed": {"perintah %s gagal", "the command %s failed"},
		"service.user_made":      {"Akun layanan %s dibuat.", "The service account %s is made."},
		"service.win_installed":  {"Layanan Windows %s terpasang: menyala saat laptop dinyalakan, dinyalakan lagi bila berhenti mendadak; data di %s, catatan di %s.", "Windows service %s installed: starts with the laptop, restarted after a crash; data in %s, logs in %s."},
		"service.win_started":    {"Layanan %s berjalan.", "The service %s runs."},
		"service.win_stopped":    {"Layanan %s berhenti; data ditutup dengan rapi.", "The service %s stopped; the data is closed cleanly."},
		"service.win_removed":    {"Layanan %s dilepas; data di %s tetap.", "The service %s removed; the data in %s stays."},
		"service.state":          {"Terpasang: %s. Berjalan: %s. Menyala saat laptop dinyalakan: %s.", "Installed: %s. Running: %s. Starts with the laptop: %s."},
		"word.yes":               {"ya", "yes"},
		"word.no":                {"tidak", "no"},
	})
}

// sayState says what the service manager knows of the service.
func sayState(c *cli.Context, st service.State) {
	lang := langOf(c)
	yes := func(b bool) string {
		if b {
			return tr(lang, "word.yes")
		}
		return tr(lang, "word.no")
	}
	say(c, "service.state", yes(st.Installed), yes(st.Running), yes(st.AtBoot))
}
