package main

import (
	"io"
	"strconv"

	"github.com/lumbung/lumbung/bench"
	"github.com/lumbung/lumbung/locale"
	"github.com/urfave/cli/v2"
)

func benchSyncCommand() *cli.Command {
	return &cli.Command{
		Name:  "sync",
		Usage: "cmd.bench_sync",
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "complaints", Value: 1000, Usage: "flag.bench_complaints"},
			&cli.StringFlag{Name: "append", Usage: "flag.bench_append"},
		},
		Action: benchSync,
	}
}

func benchSync(c *cli.Context) error {
	cfg := bench.DefaultSyncConfig()
	cfg.Complaints, cfg.Log = c.Int("complaints"), c.App.ErrWriter
	rep, err := bench.Sync(cfg)
	if err != nil {
		return err
	}
	cmdline := "lumbung bench sync --complaints " + strconv.Itoa(cfg.Complaints)
	return report(c, func(w io.Writer) { bench.WriteSync(w, rep, cmdline) })
}

func init() {
	locale.DefineAll(map[string][2]string{
		"cmd.bench_sync":        {"mengukur sinkronisasi desa ke kecamatan lewat tautan 2G: byte, waktu, biaya diam", "measure desa-to-kecamatan sync over a 2G link: bytes, time, idle cost"},
		"flag.bench_complaints": {"jumlah pengaduan yang disinkronkan", "complaints to sync"},
	})
}
