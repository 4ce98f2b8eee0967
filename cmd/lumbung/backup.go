package main

import (
	"fmt"
	"io"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/lumbung/lumbung/internal/atomicfile"
	"github.com/lumbung/lumbung/node"
	"github.com/urfave/cli/v2"
)

func backupCommand() *cli.Command {
	return &cli.Command{
		Name:  "backup",
		Usage: "cmd.backup",
		Flags: []cli.Flag{
			dataFlag(),
			&cli.StringFlag{Name: "out", Usage: "flag.out"},
		},
		Action: runBackup,
	}
}

// runBackup writes a backup of a stopped node's data directory; the file
// appears, synced, only once it is complete.
func runBackup(c *cli.Context) error {
	if err := need(c, "data", "out"); err != nil {
		return err
	}
	cfg, st, err := openOffline(c, c.String("data"))
	if err != nil {
		return err
	}
	var m node.Manifest
	size, err := atomicfile.Write(vfs.Default, c.String("out"), func(w io.Writer) error {
		var err error
		m, err = st.Backup(w, cfg)
		return err
	})
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", tr(langOf(c), "err.backup", c.String("out")), err)
	}
	say(c, "backup.done", c.String("out"), size, m.Region, m.Origin, m.LogPosition)
	return nil
}
