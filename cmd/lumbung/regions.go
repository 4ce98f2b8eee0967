package main

import (
	"fmt"
	"os"

	"github.com/lumbung/lumbung/node"
	"github.com/urfave/cli/v2"
)

func regionsCommand() *cli.Command {
	return &cli.Command{
		Name:  "regions",
		Usage: "cmd.regions",
		Subcommands: []*cli.Command{{
			Name: "import", Usage: "cmd.regions_import", ArgsUsage: "args.csv",
			Flags: []cli.Flag{dataFlag()}, Action: regionsImport,
		}},
	}
}

// regionsImport reads a Kemendagri "kode,nama" list, all or nothing, into
// the store of a stopped node.
func regionsImport(c *cli.Context) error {
	if err := need(c, "data"); err != nil {
		return err
	}
	name, err := oneArg(c, "args.csv")
	if err != nil {
		return err
	}
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("%s: %w", tr(langOf(c), "err.read", name), err)
	}
	defer f.Close()
	regions, err := node.ParseRegions(f)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	_, st, err := openOffline(c, c.String("data"))
	if err != nil {
		return err
	}
	total, err := st.ImportRegions(regions)
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	say(c, "regions.done", len(regions), name, total)
	return nil
}
