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
		},
		Action: runRestore,
	}
}

// runRestore unpacks a backup into an empty data directory; the restored
// node writes under a new origin.
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
	m, err := node.Restore(f, dir)
	if errors.Is(err, node.ErrBackup) {
		return &plainError{tr(langOf(c), "err.restore", in, err), err}
	}
	if err != nil {
		return err
	}
	_, st, err := openOffline(c, dir)
	if err != nil {
		return err
	}
	origin := st.Origin().String()
	if err := st.Close(); err != nil {
		return err
	}
	say(c, "restore.done", in, dir, m.Origin, m.LogPosition, origin)
	return nil
}
