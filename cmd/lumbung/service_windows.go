//go:build windows

package main

import (
	"path/filepath"

	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/service"
	"github.com/urfave/cli/v2"
)

// defaultDataDir is a laptop's data directory: %ProgramData%\Lumbung\data.
func defaultDataDir() string { return filepath.Join(service.Home(), "data") }

// installWindows registers this binary as the Windows service on the
// data directory (lumbung setup calls it too).
func installWindows(c *cli.Context) error {
	dir, cfg, bin, err := serviceTarget(c)
	if err != nil {
		return err
	}
	if err := node.KeepPrivate(service.Home()); err != nil {
		return err
	}
	if err := (service.Windows{Binary: bin, DataDir: dir, About: string(cfg.Tier) + " " + string(cfg.Region)}).Install(); err != nil {
		return err
	}
	say(c, "service.win_installed", service.Name, dir, filepath.Join(service.Home(), "logs"))
	return nil
}

func uninstallWindows(c *cli.Context) error {
	if err := service.Uninstall(c.Context); err != nil {
		return err
	}
	say(c, "service.win_removed", service.Name, defaultDataDir())
	return nil
}

func controlWindows(c *cli.Context, verb string) error {
	m := service.WindowsManager{}
	switch verb {
	case "start":
		if err := m.Start(c.Context); err != nil {
			return err
		}
		say(c, "service.win_started", service.Name)
	case "stop":
		if err := m.Stop(c.Context); err != nil {
			return err
		}
		say(c, "service.win_stopped", service.Name)
	default:
		sayState(c, service.Query(c.Context))
	}
	return nil
}

// serviceManager is the installed service's manager, for an upgrade.
func serviceManager() service.Manager { return service.WindowsManager{} }

// logsWhere says where the service's log is.
func logsWhere() string { return filepath.Join(service.Home(), "logs") }
