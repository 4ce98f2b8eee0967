package main

import (
	"encoding/json"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/node"
)

func versionCommand() *cli.Command {
	return &cli.Command{Name: "version", Usage: "cmd.version", Flags: []cli.Flag{outputFlag()}, Action: runVersion}
}

// runVersion prints what this binary is: its release and commit, the sync
// protocol versions it speaks and the store format it writes.
func runVersion(c *cli.Context) error {
	b := node.Build()
	if c.String("output") == "json" {
		out, err := json.MarshalIndent(b, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(c.App.Writer, string(out))
		return err
	}
	say(c, "msg.version", b.Release, b.Commit, b.Protocol, b.StoreFormat)
	return nil
}

func init() {
	locale.DefineAll(map[string][2]string{
		"cmd.version": {"versi Lumbung ini: rilis, commit, protokol sinkronisasi, format penyimpanan",
			"this Lumbung's version: release, commit, sync protocol, store format"},
		"msg.version": {"Lumbung %s (commit %s)\nProtokol sinkronisasi: %s\nFormat penyimpanan: %d",
			"Lumbung %s (commit %s)\nSync protocol: %s\nStore format: %d"},
	})
}
