package main

import (
	"errors"
	"io/fs"
	"log/slog"
	"runtime"
	"strings"
	"syscall"

	"github.com/lumbung/lumbung/node"
	"github.com/urfave/cli/v2"
)

// dataFlag names a node's data directory.
func dataFlag() cli.Flag {
	return &cli.StringFlag{Name: "data", Aliases: []string{"d"}, Usage: "flag.data"}
}

// need refuses to run when a flag the command cannot do without is empty.
func need(c *cli.Context, names ...string) error {
	for _, n := range names {
		if strings.TrimSpace(c.String(n)) == "" {
			return errors.New(tr(langOf(c), "err.required", n, "LUMBUNG_"+strings.ToUpper(strings.ReplaceAll(n, "-", "_"))))
		}
	}
	return nil
}

// quietLogger logs warnings and errors only, to the command's stderr.
func quietLogger(c *cli.Context) *slog.Logger {
	return slog.New(slog.NewTextHandler(c.App.ErrWriter, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// loadConfig reads the configuration of the node in dir, saying plainly
// when dir holds no node.
func loadConfig(c *cli.Context, dir string) (node.Config, error) {
	cfg, err := node.LoadConfig(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return cfg, errors.New(tr(langOf(c), "err.no_node", dir))
	}
	return cfg, err
}

// openOffline opens the state store of a stopped node in dir, for the
// commands that work on the data directory itself.
func openOffline(c *cli.Context, dir string) (node.Config, *node.Store, error) {
	cfg, err := loadConfig(c, dir)
	if err != nil {
		return cfg, nil, err
	}
	sc := node.DefaultStoreConfig(node.StoreDir(dir), cfg.Region)
	sc.Logger = quietLogger(c)
	st, err := node.OpenStore(sc)
	if isLocked(err) {
		return cfg, nil, &plainError{tr(langOf(c), "err.locked", dir), err}
	}
	return cfg, st, err
}

// plainError is a sentence for the officer, without the technical cause
// it keeps for errors.Is and errors.As.
type plainError struct {
	msg   string
	cause error
}

func (e *plainError) Error() string { return e.msg }
func (e *plainError) Unwrap() error { return e.cause }

// isLocked reports whether opening a store failed because another
// process (a running node) or this one holds it.
func isLocked(err error) bool {
	switch {
	case err == nil:
		return false
	case errors.Is(err, syscall.EAGAIN), errors.Is(err, syscall.EWOULDBLOCK):
		return true
	case runtime.GOOS == "windows" && errors.Is(err, syscall.Errno(32)): // ERROR_SHARING_VIOLATION
		return true
	}
	return strings.Contains(err.Error(), "lock held by current process")
}
