package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/lumbung/lumbung/httpapi"
	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/schema"
	"github.com/urfave/cli/v2"
)

func regionsCommand() *cli.Command {
	return &cli.Command{
		Name:  "regions",
		Usage: "cmd.regions",
		Subcommands: []*cli.Command{{
			Name: "import", Usage: "cmd.regions_import", ArgsUsage: "args.csv",
			Flags: []cli.Flag{dataFlag()}, Action: regionsImport,
		}, {
			Name: "publish", Usage: "cmd.regions_publish", ArgsUsage: "args.csv",
			Flags: []cli.Flag{nodeFlag(), &cli.StringFlag{Name: "officer", Usage: "flag.officer"}}, Action: regionsPublish,
		}},
	}
}

// readRegions reads the Kemendagri list named by the one argument.
func readRegions(c *cli.Context) (string, []node.Region, error) {
	name, err := oneArg(c, "args.csv")
	if err != nil {
		return "", nil, err
	}
	f, err := os.Open(name)
	if err != nil {
		return "", nil, fmt.Errorf("%s: %w", tr(langOf(c), "err.read", name), err)
	}
	defer f.Close()
	regions, err := node.ParseRegions(f)
	if err != nil {
		return "", nil, fmt.Errorf("%s: %w", name, err)
	}
	return name, regions, nil
}

// regionsPublish sends the entries of a list that lie in a running
// kecamatan or kabupaten node's region; they reach every node below it by
// sync.
func regionsPublish(c *cli.Context) error {
	name, regions, err := readRegions(c)
	if err != nil {
		return err
	}
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	info, err := cl.Node(c.Context)
	if err != nil {
		return err
	}
	own := info.Region
	var mine []node.Region
	for _, r := range regions {
		if schema.Code(own).Contains(r.Code) {
			mine = append(mine, r)
		}
	}
	if len(mine) == 0 {
		return errors.New(tr(cl.lang, "regions.none_in", name, own))
	}
	res, err := cl.PublishRegions(c.Context, &httpapi.RegionsInput{Officer: c.String("officer"), Regions: mine})
	if err != nil {
		return err
	}
	say(c, "regions.published", res.Published, res.Region)
	return nil
}

// regionsImport reads a Kemendagri "kode,nama" list, all or nothing, into
// the store of a stopped node.
func regionsImport(c *cli.Context) error {
	if err := need(c, "data"); err != nil {
		return err
	}
	name, regions, err := readRegions(c)
	if err != nil {
		return err
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

func init() {
	locale.DefineAll(map[string][2]string{
		"cmd.regions_publish": {"menerbitkan daftar wilayah (CSV kode,nama) dari node kecamatan/kabupaten yang berjalan ke semua node di bawahnya", "publish a region list (CSV kode,nama) from a running kecamatan/kabupaten node to every node below it"},
		"regions.none_in":     {"%s tidak berisi wilayah di dalam %s", "%s holds no region within %s"},
		"regions.published":   {"%d wilayah diterbitkan oleh %s; sampai ke semua node di bawahnya saat sinkronisasi.", "%d regions published by %s; they reach every node below on sync."},
	})
}
