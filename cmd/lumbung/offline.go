package main

import (
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
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

// writeFileSynced writes a file through a temporary name next to it,
// syncs it and renames it into place, so that path holds either nothing
// or the whole file.
func writeFileSynced(path string, write func(io.Writer) error) (int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return 0, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return 0, err
	}
	st, err := tmp.Stat()
	if err != nil {
		tmp.Close()
		return 0, err
	}
	if err := tmp.Close(); err != nil {
		return 0, err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return 0, err
	}
	syncDir(filepath.Dir(path))
	return st.Size(), nil
}

// syncDir makes a rename durable where the system allows syncing a
// directory (not on Windows, where it is not needed).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}
