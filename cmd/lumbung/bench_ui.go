package main

import (
	"io"
	"strconv"

	"github.com/lumbung/lumbung/bench"
	"github.com/lumbung/lumbung/locale"
	"github.com/urfave/cli/v2"
)

func benchUICommand() *cli.Command {
	return &cli.Command{
		Name:  "ui",
		Usage: "cmd.bench_ui",
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "complaints", Value: 10_000, Usage: "flag.bench_ui_complaints"},
			&cli.StringFlag{Name: "append", Usage: "flag.bench_append"},
		},
		Action: benchUI,
	}
}

func benchUI(c *cli.Context) error {
	cfg := bench.DefaultUIConfig()
	cfg.Complaints, cfg.Log = c.Int("complaints"), c.App.ErrWriter
	rep, err := bench.UI(cfg)
	if err != nil {
		return err
	}
	cmdline := "lumbung bench ui --complaints " + strconv.Itoa(cfg.Complaints)
	return report(c, func(w io.Writer) { bench.WriteUI(w, rep, cmdline) })
}

func init() {
	locale.DefineAll(map[string][2]string{
		"cmd.bench_ui":             {"mengukur layar petugas: byte per halaman dan waktu server daftar dan antrean", "measure the officer screens: bytes per page and server time of the list and the queue"},
		"flag.bench_ui_complaints": {"jumlah pengaduan yang disimpan desa dan kecamatan", "complaints the desa and the kecamatan hold"},
	})
}
