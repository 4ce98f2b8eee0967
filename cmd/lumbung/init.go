package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/replication/cluster"
	"github.com/lumbung/lumbung/schema"
	"github.com/urfave/cli/v2"
)

func initCommand() *cli.Command {
	return &cli.Command{
		Name:  "init",
		Usage: "cmd.init",
		Flags: []cli.Flag{
			dataFlag(),
			&cli.StringFlag{Name: "tier", Usage: "flag.tier"},
			&cli.StringFlag{Name: "region", Usage: "flag.init_region"},
			&cli.StringFlag{Name: "upstream", Usage: "flag.upstream"},
			&cli.StringFlag{Name: "token", Usage: "flag.token"},
			&cli.StringFlag{Name: "http", Value: "127.0.0.1:8080", Usage: "flag.http"},
			&cli.StringFlag{Name: "raft", Usage: "flag.raft"},
			syncAddrFlag(),
			&cli.StringFlag{Name: "advertise", Usage: "flag.advertise"},
			&cli.IntFlag{Name: "token-days", Usage: "flag.token_days"},
			&cli.IntFlag{Name: "erase-identity-days", Usage: "flag.erase_identity_days"},
			joinFlag(),
			joinTokenFlag(),
			memberKeyFlag(),
			tlsFlags()[0], tlsFlags()[1],
		},
		Action: runInit,
	}
}

func runInit(c *cli.Context) error {
	lang := langOf(c)
	if err := need(c, "data", "tier", "region"); err != nil {
		return err
	}
	dir := c.String("data")
	if _, err := os.Stat(filepath.Join(dir, node.ConfigFile)); err == nil {
		return errors.New(tr(lang, "err.exists", dir))
	}
	region, err := schema.ParseCode(c.String("region"))
	if err != nil {
		return fmt.Errorf("%s: %w", tr(lang, "err.region", c.String("region")), err)
	}
	cfg := node.DefaultConfig(node.Tier(c.String("tier")), region)
	cfg.HTTPAddr, cfg.RaftAddr, cfg.SyncAddr = c.String("http"), c.String("raft"), c.String("sync-addr")
	cfg.Upstream, cfg.Token = c.String("upstream"), c.String("token")
	setTLS(c, &cfg)
	cfg.TokenDays, cfg.EraseIdentityDays = c.Int("token-days"), c.Int("erase-identity-days")
	cfg.Advertise, cfg.Join = strings.TrimRight(c.String("advertise"), "/"), strings.TrimRight(c.String("join"), "/")
	if cfg.Join != "" && c.String("member-key") == "" && c.String("join-token") == "" {
		return errors.New(tr(lang, "err.member_key_needed"))
	}
	origin, pw, recovery, err := initNode(c, dir, cfg)
	if err != nil {
		return err
	}
	say(c, "init.done", cfg.Tier, cfg.Region, dir, origin, cfg.HTTPAddr, dir)
	if pw != "" {
		say(c, "init.admin", node.FirstAdmin, pw)
		say(c, "init.recovery", recovery)
	} else if cfg.Join == "" {
		say(c, "init.admin_at_serve")
	}
	return nil
}

// initNode writes cfg into dir and creates the store, which draws the
// node's incarnation. A desa's store gets its first admin, whose one-time
// password is returned to print once; a cluster's officers are cluster
// state, so its first admin is made by the first serve (serveNode). The
// store is made first: if writing the configuration fails, init can
// simply be run again.
func initNode(c *cli.Context, dir string, cfg node.Config) (origin, pw, recovery string, err error) {
	if err := cfg.Validate(); err != nil {
		return "", "", "", err
	}
	sc := node.DefaultStoreConfig(node.StoreDir(dir), cfg.Region)
	sc.Logger = quietLogger(c)
	st, err := node.OpenStore(sc)
	if err != nil {
		return "", "", "", err
	}
	origin = st.Origin().String()
	switch {
	case cfg.Tier == node.TierDesa:
		pw, recovery, err = st.AddFirstAdmin(c.Context)
	case cfg.Join != "" && c.String("join-token") != "":
		err = enrollMember(c, dir, cfg)
	case cfg.Join != "":
		err = node.SaveMemberKey(dir, c.String("member-key"))
	default:
		err = node.SaveMemberKey(dir, cluster.NewMemberKey())
	}
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", "", "", err
	}
	return origin, pw, recovery, node.SaveConfig(dir, cfg)
}
