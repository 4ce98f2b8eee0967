package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"time"

	"github.com/lumbung/lumbung/httpapi"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/replication/cluster"
	"github.com/lumbung/lumbung/replication/exchange"
	"github.com/lumbung/lumbung/service"
	"github.com/urfave/cli/v2"
)

func serveCommand() *cli.Command {
	return &cli.Command{
		Name:  "serve",
		Usage: "cmd.serve",
		Flags: append(append([]cli.Flag{dataFlag(), &cli.StringFlag{Name: "http", Usage: "flag.serve_http"},
			&cli.StringFlag{Name: "debug-addr", Usage: "flag.debug_addr"},
			&cli.StringFlag{Name: "join", Usage: "flag.join"},
			syncAddrFlag(),
			&cli.DurationFlag{Name: "raft-timeout", Value: cluster.DefaultSettings().HeartbeatTimeout, Usage: "flag.raft_timeout"}},
			logFlags()...), tlsFlags()...),
		Action: runServe,
	}
}

// syncAddrFlag gives the sync exchange a listener of its own.
func syncAddrFlag() cli.Flag { return &cli.StringFlag{Name: "sync-addr", Usage: "flag.sync_addr"} }

// tlsFlags give a node a certificate of a real CA to serve (node/tls.go).
func tlsFlags() []cli.Flag {
	return []cli.Flag{&cli.StringFlag{Name: "tls-cert", Usage: "flag.tls_cert"}, &cli.StringFlag{Name: "tls-key", Usage: "flag.tls_key"}}
}

// setTLS puts --tls-cert and --tls-key, when given, into cfg.
func setTLS(c *cli.Context, cfg *node.Config) {
	if c.String("tls-cert") != "" || c.String("tls-key") != "" {
		cfg.TLSCert, cfg.TLSKey = absPath(c.String("tls-cert")), absPath(c.String("tls-key"))
	}
}

// absPath makes p absolute, so a configuration keeps meaning the same
// file whatever directory the service starts in.
func absPath(p string) string {
	if p == "" {
		return ""
	}
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// logFlags choose the level and format of the structured log on stderr.
func logFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "log-level", Value: "info", Usage: "flag.log_level"},
		&cli.StringFlag{Name: "log-format", Value: "text", Usage: "flag.log_format"},
	}
}

func newLogger(c *cli.Context, w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.String("log-level"))); err != nil {
		return nil, errors.New(tr(langOf(c), "err.log_level", c.String("log-level")))
	}
	opts := &slog.HandlerOptions{Level: level}
	switch c.String("log-format") {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, errors.New(tr(langOf(c), "err.log_format", c.String("log-format")))
}

func runServe(c *cli.Context) error {
	if err := need(c, "data"); err != nil {
		return err
	}
	log, closeLog, err := serveLogger(c)
	if err != nil {
		return err
	}
	defer closeLog()
	dir := c.String("data")
	cfg, err := loadConfig(c, dir)
	if err != nil {
		return err
	}
	if c.String("http") != "" {
		cfg.HTTPAddr = c.String("http")
	}
	if c.String("sync-addr") != "" {
		cfg.SyncAddr = c.String("sync-addr")
	}
	setTLS(c, &cfg)
	if err := cfg.Validate(); err != nil {
		return err
	}
	if join := strings.TrimRight(c.String("join"), "/"); join != "" && join != cfg.Join {
		// Remembered, so a restart before the leader has reached this
		// member does not bootstrap a cluster of its own.
		cfg.Join = join
		if err := node.SaveConfig(dir, cfg); err != nil {
			return err
		}
	}
	if addr := c.String("debug-addr"); addr != "" {
		if err := serveDebug(addr, log); err != nil {
			return err
		}
	}
	raft := cluster.DefaultSettings()
	raft.HeartbeatTimeout, raft.ElectionTimeout = c.Duration("raft-timeout"), c.Duration("raft-timeout")
	raft.LeaderLeaseTimeout = raft.HeartbeatTimeout / 2
	if err := raft.Validate(); err != nil {
		return err
	}
	// Under the system's service manager the node opens once the manager
	// knows the service starts (a large store takes a while to open).
	return runService(c.Context, func(ctx context.Context, ready func()) error {
		n, err := node.Open(dir, cfg, node.Options{Logger: log, Raft: &raft, Service: service.Query})
		if isLocked(err) {
			return &plainError{tr(langOf(c), "err.running", dir), err}
		}
		if err != nil {
			log.Error("the node does not open", "err", err)
			return err
		}
		return serveNode(ctx, c, n, log, func(string) { ready() })
	})
}

// firstAdmin gives a node that has no officer its first admin and prints
// the one-time password once, on standard output and never in the log: a
// cluster's first serve (init cannot write cluster state) and the first
// serve of a node made before officers existed. A cluster member waits
// for a leader; every member tries, one wins, the others find it made.
func firstAdmin(ctx context.Context, c *cli.Context, n *node.Node, log *slog.Logger) {
	for {
		pw, recovery, err := n.AddFirstAdmin(ctx)
		switch {
		case err == nil:
			log.Info("first admin added", "officer", node.FirstAdmin)
			say(c, "serve.first_admin", node.FirstAdmin, pw)
			say(c, "init.recovery", recovery)
			return
		case errors.Is(err, node.ErrOfficerExists) || ctx.Err() != nil:
			return
		}
		log.Debug("first admin: waiting", "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}

// serveNode listens on the node's address and serves until ctx is done,
// then closes the node. ready, if not nil, runs once the node listens.
func serveNode(ctx context.Context, c *cli.Context, n *node.Node, log *slog.Logger, ready func(url string)) error {
	// Sync links below hold requests for minutes: probe them sparingly.
	lc := net.ListenConfig{KeepAliveConfig: exchange.KeepAlive}
	ln, err := lc.Listen(ctx, "tcp", n.Config().HTTPAddr)
	if err != nil {
		_ = n.Close()
		return fmt.Errorf("%s: %w", tr(langOf(c), "err.listen", n.Config().HTTPAddr), err)
	}
	var sln net.Listener // the sync exchange's own, when it has one
	if addr := n.Config().SyncAddr; addr != "" {
		if sln, err = lc.Listen(ctx, "tcp", addr); err != nil {
			_ = ln.Close()
			_ = n.Close()
			return fmt.Errorf("%s: %w", tr(langOf(c), "err.listen", addr), err)
		}
	}
	url := "http://" + ln.Addr().String()
	log.Info("listening on " + url)
	fmt.Fprintln(c.App.Writer, "lumbung: serving "+url)
	if n.ServerTLS() != nil {
		// One port, both: HTTPS for everyone, plain HTTP from this machine
		// (as above) and for the sync of desa enrolled before HTTPS.
		fmt.Fprintln(c.App.Writer, "lumbung: HTTPS at https://"+ln.Addr().String())
	}
	if ready != nil {
		ready(url)
	}
	if err := service.Notify("READY=1"); err != nil { // under systemd (Type=notify): the node listens
		log.Warn("cannot tell systemd the node is ready", "err", err)
	}
	syncErr := make(chan error, 1)
	stopSync := func() {}
	if sln != nil {
		fmt.Fprintln(c.App.Writer, "lumbung: serving the sync exchange only at https://"+sln.Addr().String())
		var sctx context.Context
		sctx, stopSync = context.WithCancel(ctx)
		go func() {
			err := httpapi.ServeSync(sctx, n, sln)
			stopSync() // the sync server's end ends the API's, and the reverse
			syncErr <- err
		}()
		ctx = sctx
	} else {
		syncErr <- nil
	}
	go firstAdmin(ctx, c, n, log)
	serveErr := httpapi.Serve(ctx, n, ln)
	_ = service.Notify("STOPPING=1")
	stopSync()
	if err := <-syncErr; serveErr == nil {
		serveErr = err
	}
	closeErr := n.Close()
	if serveErr != nil {
		return serveErr
	}
	return closeErr
}
