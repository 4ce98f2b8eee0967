package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/lumbung/lumbung/demo"
	"github.com/lumbung/lumbung/internal/staff"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/officer"
	"github.com/urfave/cli/v2"
)

func demoDesaCommand() *cli.Command {
	return &cli.Command{
		Name:  "desa",
		Usage: "cmd.demo_desa",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "data", Aliases: []string{"d"}, Usage: "flag.demo_data"},
			&cli.StringFlag{Name: "http", Value: "127.0.0.1:8080", Usage: "flag.http"},
			&cli.DurationFlag{Name: "duration", Usage: "flag.duration"},
			&cli.StringFlag{Name: "log-level", Value: "warn", Usage: "flag.log_level"},
			&cli.StringFlag{Name: "log-format", Value: "text", Usage: "flag.log_format"},
		},
		Action: runDemoDesa,
	}
}

// runDemoDesa runs one desa node with a sample month of work (demo.FillDesa), until Ctrl-C or
// --duration. A directory that already holds a node is served as it is.
func runDemoDesa(c *cli.Context) error {
	log, err := newLogger(c, c.App.ErrWriter)
	if err != nil {
		return err
	}
	dir, temp := c.String("data"), false
	if dir == "" {
		if dir, err = os.MkdirTemp("", "lumbung-demo-"); err != nil {
			return err
		}
		temp = true
		defer os.RemoveAll(dir)
	}
	fresh := true
	if _, err := os.Stat(filepath.Join(dir, node.ConfigFile)); err == nil {
		fresh = false
	}
	cfg := node.DefaultConfig(node.TierDesa, demo.DesaRegion)
	if !fresh {
		if cfg, err = loadConfig(c, dir); err != nil {
			return err
		}
	}
	recovery := ""
	if fresh {
		var pw string
		if _, pw, recovery, err = initNode(c, dir, cfg); err != nil {
			return err
		}
		say(c, "init.admin", node.FirstAdmin, pw)
		say(c, "init.recovery", recovery)
	}
	cfg.HTTPAddr = c.String("http")
	clock := &demo.Clock{}
	n, err := node.Open(dir, cfg, node.Options{Logger: log, Now: clock.Now})
	if isLocked(err) {
		return &plainError{tr(langOf(c), "err.running", dir), err}
	}
	if err != nil {
		return err
	}
	if recovery != "" {
		// The demo's officers log in with tokens, not passwords: the
		// office's identity key is opened as its admin would, once.
		if err := n.Store().UnlockWithRecovery(recovery); err != nil {
			_ = n.Close()
			return err
		}
	}
	var sum demo.DesaSummary
	if fresh {
		if sum, err = demo.FillDesa(c.Context, n, clock); err != nil {
			_ = n.Close()
			return err
		}
	}
	// The office's demo officers, one of each role (package staff).
	if _, err := staff.Add(c.Context, n); err != nil {
		_ = n.Close()
		return err
	}
	ctx, stop := signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
	defer stop()
	if d := c.Duration("duration"); d > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, d)
		defer cancel()
	}
	err = serveNode(ctx, c, n, log, func(url string) { demoBanner(c, url, dir, temp, fresh, sum) })
	if err == nil || errors.Is(err, context.DeadlineExceeded) {
		say(c, "demo.stopped")
		return nil
	}
	return err
}

func demoBanner(c *cli.Context, url, dir string, temp, fresh bool, sum demo.DesaSummary) {
	lang := langOf(c)
	region := string(demo.DesaRegion)
	say(c, "demo.title", region)
	if temp {
		say(c, "demo.data_temp", dir)
	} else {
		say(c, "demo.data", dir)
	}
	if fresh {
		say(c, "demo.sample", sum.Complaints, sum.Actions, demo.DesaPeriod, sum.Values)
	}
	id := sum.Received
	if id == "" {
		id = "<" + tr(lang, "args.id") + ">"
	}
	at := " --node " + url
	say(c, "demo.d_logins", staff.Password)
	say(c, "demo.try")
	for _, line := range []string{
		"curl -s '" + url + "/api/v1/public/complaints?limit=3'",
		"curl -s " + url + "/api/v1/public/track/" + id,
		"lumbung login --name " + staff.Name(officer.Verifikator) + at,
		"lumbung complaint list" + at,
		"lumbung complaint show " + id + at,
		"lumbung complaint act " + id + " --action verify" + at,
		"lumbung login --name " + staff.Name(officer.Operator) + at,
		"lumbung complaint add --category infrastruktur --title \"Gorong-gorong tersumbat\" " +
			"--description \"Gorong-gorong di depan balai desa tersumbat sampah, air meluap ke jalan.\" " +
			"--name \"Budi Santoso\" --nik 3214021508900021 --phone 0812-3456-7890" + at,
		"lumbung monografi show --period " + demo.DesaPeriod + at,
		"lumbung monografi set --period " + demo.DesaPeriod + " --value penduduk.lahir=63" + at,
		"lumbung monografi submit --period " + demo.DesaPeriod + at,
	} {
		fmt.Fprintln(c.App.Writer, "  "+line)
	}
	say(c, "demo.stop")
}
