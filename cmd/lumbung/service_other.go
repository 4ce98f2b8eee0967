//go:build !windows

package main

import (
	"errors"
	"runtime"

	"github.com/lumbung/lumbung/service"
	"github.com/urfave/cli/v2"
)

// defaultDataDir: a server's data directory is given (--data).
func defaultDataDir() string { return "" }

func installWindows(c *cli.Context) error {
	return errors.New(tr(langOf(c), "service.not_here", runtime.GOOS))
}

func uninstallWindows(c *cli.Context) error {
	return errors.New(tr(langOf(c), "service.not_here", runtime.GOOS))
}

func controlWindows(c *cli.Context, _ string) error {
	return errors.New(tr(langOf(c), "service.not_here", runtime.GOOS))
}

// serviceManager is the installed service's manager, for an upgrade:
// systemd's unit.
func serviceManager() service.Manager { return service.Systemd{} }

// logsWhere says where the service's log is: systemd's journal.
func logsWhere() string { return "journalctl -u " + service.UnitName }
