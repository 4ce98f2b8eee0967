package service

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// ErrRolledBack means the new release did not become ready in time and
// the previous one, with the data directory as it was, runs again.
var ErrRolledBack = errors.New("service: the new release did not become ready; the previous one runs again")

// Upgrade replaces the service's binary by a newer release's, in place:
//
//  1. the service stops (its store closed cleanly);
//  2. the installed binary is kept as Binary+".previous", and the data
//     directory is copied to DataDir+".before-upgrade" (the new release
//     may migrate the store to a format the previous one refuses);
//  3. the new binary takes the installed one's place and the service
//     starts on the same data directory;
//  4. if it is ready within Wait, the copy of the data is removed and the
//     upgrade is done; if not, the service stops, the previous binary and
//     the data as it was come back, the service starts again and Run
//     returns ErrRolledBack (with why).
//
// Nothing acknowledged is lost on a rollback: the new release never
// became ready, so it acknowledged nothing; what the previous one
// acknowledged is in the copy. Running Run again after a power cut
// halfway starts over from step 1 (a stopped service stops at once),
// first putting back the data a cut rollback left only in the copy.
type Upgrade struct {
	Binary  string // the installed binary the service runs
	New     string // the newer release's binary
	DataDir string // the node's data directory
	Manager Manager
	// Ready returns nil once the node serves (it is polled, at Poll).
	Ready func(ctx context.Context) error
	Wait  time.Duration // how long the new release has to become ready
	Poll  time.Duration // how often Ready is asked (default a second)
	// Step, if set, is told each step as it starts, in words.
	Step func(step string)
}

// Run upgrades, or rolls back (see Upgrade).
func (u *Upgrade) Run(ctx context.Context) error {
	previous, copied := u.Binary+".previous", u.DataDir+".before-upgrade"
	u.step("stop")
	if err := u.Manager.Stop(ctx); err != nil {
		return fmt.Errorf("service: stop before upgrading: %w", err)
	}
	// A rollback cut short (a power cut) may have left the data only in
	// the copy: it goes back in place before anything else.
	if err := finishSwap(copied, u.DataDir); err != nil {
		return fmt.Errorf("service: the data of an interrupted upgrade: %w", err)
	}
	u.step("keep")
	if err := copyFile(u.Binary, previous); err != nil {
		return u.restart(ctx, fmt.Errorf("service: keep the previous binary: %w", err))
	}
	if err := os.RemoveAll(copied); err != nil {
		return u.restart(ctx, fmt.Errorf("service: an older copy of the data: %w", err))
	}
	if err := copyDir(u.DataDir, copied); err != nil {
		_ = os.RemoveAll(copied)
		return u.restart(ctx, fmt.Errorf("service: copy the data before upgrading: %w", err))
	}
	u.step("replace")
	if err := retry(ctx, func() error { return copyFile(u.New, u.Binary) }); err != nil {
		if rerr := copyFile(previous, u.Binary); rerr != nil {
			return fmt.Errorf("service: put the new binary in place: %w; and the previous one back: %w", err, rerr)
		}
		return u.restart(ctx, fmt.Errorf("service: put the new binary in place: %w", err))
	}
	u.step("start")
	err := u.Manager.Start(ctx)
	if err == nil {
		err = u.waitReady(ctx)
	}
	if err == nil {
		u.step("done")
		_ = os.RemoveAll(copied)
		return nil
	}
	u.step("rollback")
	_ = u.Manager.Stop(ctx)
	if rerr := retry(ctx, func() error { return copyFile(previous, u.Binary) }); rerr != nil {
		return fmt.Errorf("service: the new release failed (%w) and the previous binary cannot come back: %w", err, rerr)
	}
	if rerr := swapDir(copied, u.DataDir); rerr != nil {
		return fmt.Errorf("service: the new release failed (%w) and the data cannot come back from %s: %w", err, copied, rerr)
	}
	if rerr := u.Manager.Start(ctx); rerr != nil {
		return fmt.Errorf("%w (%w); and the previous release does not start: %w", ErrRolledBack, err, rerr)
	}
	if rerr := u.waitReady(ctx); rerr != nil {
		return fmt.Errorf("%w (%w); and the previous release is not ready: %w", ErrRolledBack, err, rerr)
	}
	u.step("rolled back")
	return fmt.Errorf("%w: %w", ErrRolledBack, err)
}

// restart starts the untouched service again after an upgrade that could
// not begin, and returns why it could not.
func (u *Upgrade) restart(ctx context.Context, why error) error {
	if err := u.Manager.Start(ctx); err != nil {
		return fmt.Errorf("%w; and the service does not start again: %w", why, err)
	}
	return why
}

func (u *Upgrade) waitReady(ctx context.Context) error {
	poll := u.Poll
	if poll <= 0 {
		poll = time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, u.Wait)
	defer cancel()
	for {
		err := u.Ready(ctx)
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("not ready within %s: %w", u.Wait, err)
		case <-time.After(poll):
		}
	}
}

func (u *Upgrade) step(s string) {
	if u.Step != nil {
		u.Step(s)
	}
}

// retry runs f until it succeeds, for up to ten seconds: on Windows a
// service's binary stays locked for a moment after the manager says it
// stopped.
func retry(ctx context.Context, f func() error) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := f()
		if err == nil || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// copyFile writes src's bytes and mode to dst, through a temporary file
// renamed into place and synced, so dst is never half written.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return err
	}
	tmp := dst + ".tmp"
	out, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, st.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(tmp)
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		os.Remove(tmp)
		return err
	}
	if err := out.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, dst)
}

// copyDir copies the directory src to dst (which must not exist), files
// private to the account (0600 in 0700 directories).
func copyDir(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(to, 0o700)
		case !d.Type().IsRegular():
			return nil // sockets, lock files' links: nothing a store needs
		}
		return copyFile(path, to)
	})
}

// swapDir puts the copy back in the data directory's place. It moves
// the failed release's data aside first and removes it last, so that at
// every moment the data is whole in dir or in the copy (finishSwap
// completes a swap a power cut interrupted).
func swapDir(copied, dir string) error {
	failed := dir + ".failed-upgrade"
	if err := os.RemoveAll(failed); err != nil {
		return err
	}
	if err := os.Rename(dir, failed); err != nil {
		return err
	}
	if err := os.Rename(copied, dir); err != nil {
		return err
	}
	return os.RemoveAll(failed)
}

// finishSwap completes a swap that was cut short: when the data
// directory is missing and the copy is there, the copy goes in place; a
// failed release's data left aside goes.
func finishSwap(copied, dir string) error {
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		if _, cerr := os.Stat(copied); cerr == nil {
			if err := os.Rename(copied, dir); err != nil {
				return err
			}
		}
	}
	if _, err := os.Stat(dir); err != nil {
		return err
	}
	return os.RemoveAll(dir + ".failed-upgrade")
}
