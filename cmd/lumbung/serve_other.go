//go:build !windows

package main

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/urfave/cli/v2"
)

// serveLogger is serve's log: on standard error, as --log-level and
// --log-format say (systemd's journal keeps it on a server).
func serveLogger(c *cli.Context) (*slog.Logger, func(), error) {
	log, err := newLogger(c, c.App.ErrWriter)
	return log, func() {}, err
}

// runService runs serve until an interrupt or SIGTERM (systemctl stop).
func runService(parent context.Context, serve func(ctx context.Context, ready func()) error) error {
	ctx, stop := signal.NotifyContext(parent, os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serve(ctx, func() {})
}
