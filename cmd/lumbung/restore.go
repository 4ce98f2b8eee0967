package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/lumbung/lumbung/node"
	"github.com/urfave/cli/v2"
)

func restoreCommand() *cli.Command {
	return &cli.Command{
		Name:  "restore",
		Usage: "cmd.restore",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "in", Usage: "flag.in"},
			dataFlag(),
			&cli.StringFlag{Name: "token", Usage: "flag.restore_token"},
			&cli.StringSliceFlag{Name: "identity", Usage: "flag.identity"},
			&cli.BoolFlag{Name: "passphrase", Usage: "flag.passphrase"},
		},
		Action: runRestore,
	}
}

// runRestore opens a sealed backup with the identities or the passphrase
// given (an older release's unsealed backup needs neither) and unpacks it
// into an empty data directory; the restored node writes under a new
// origin. A sync token is bound to the origin
// that first used it, so a restored desa syncs with a new token (--token,
// from lumbung enroll at the kecamatan).
func runRestore(c *cli.Context) error {
	if err := need(c, "in", "data"); err != nil {
		return err
	}
	in, dir := c.String("in"), c.String("data")
	f, err := os.Open(in)
	if err != nil {
		return fmt.Errorf("%s: %w", tr(langOf(c), "err.read", in), err)
	}
	defer f.Close()
	ids, err := backupIdentities(c)
	if err != nil {
		return err
	}
	plain, _, err := node.OpenBackup(f, ids...)
	if errors.Is(err, node.ErrSealed) {
		return &plainError{tr(langOf(c), "restore.sealed"), err}
	}
	var m node.Manifest
	if err == nil {
		m, err = node.Restore(plain, dir)
	}
	if errors.Is(err, node.ErrBackup) {
		return &plainError{tr(langOf(c), "err.restore", in, err), err}
	}
	if err != nil {
		return err
	}
	if tok := c.String("token"); tok != "" {
		cfg, err := node.LoadConfig(dir)
		if err != nil {
			return err
		}
		cfg.Token = tok
		if err := node.SaveConfig(dir, cfg); err != nil {
			return err
		}
	}
	cfg, st, err := openOffline(c, dir)
	if err != nil {
		return err
	}
	origin := st.Origin().String()
	if err := st.Close(); err != nil {
		return err
	}
	say(c, "restore.done", in, dir, m.Origin, m.LogPosition, origin)
	if cfg.Upstream != "" && c.String("token") == "" {
		say(c, "restore.new_token", cfg.Region)
	}
	return nil
}
