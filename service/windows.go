//go:build windows

package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/svc"
	"golang.org/x/sys/windows/svc/eventlog"
	"golang.org/x/sys/windows/svc/mgr"
)

// Home is Lumbung's directory on a Windows laptop, %ProgramData%\Lumbung:
// the data directory (data), the logs (logs) and the copy kept during an
// upgrade. Only SYSTEM and the administrators may read it.
func Home() string {
	base := os.Getenv("ProgramData")
	if base == "" {
		base = `C:\ProgramData`
	}
	return filepath.Join(base, Name)
}

// Windows is the Windows service: installed to run Binary on DataDir as
// LocalSystem, started at boot, restarted after a crash.
type Windows struct {
	Binary  string
	DataDir string
	About   string // what the node is ("desa 32.14.01.2001"), for the description
}

// Install registers the service (or updates it when it exists: a
// reinstall) and the event log source.
func (w Windows) Install() error {
	m, err := mgr.Connect()
	if err != nil {
		return fmt.Errorf("service: the service manager: %w", err)
	}
	defer m.Disconnect()
	cfg := mgr.Config{DisplayName: Name, Description: "Lumbung " + w.About + ": pengaduan dan monografi desa",
		StartType: mgr.StartAutomatic, DelayedAutoStart: false, ErrorControl: mgr.ErrorNormal}
	s, err := m.OpenService(Name)
	if err == nil {
		cur, cerr := s.Config()
		if cerr == nil {
			cur.BinaryPathName = `"` + w.Binary + `" serve --data "` + w.DataDir + `"`
			cur.StartType, cur.DisplayName, cur.Description = cfg.StartType, cfg.DisplayName, cfg.Description
			cerr = s.UpdateConfig(cur)
		}
		if cerr != nil {
			s.Close()
			return fmt.Errorf("service: update the installed service: %w", cerr)
		}
	} else if s, err = m.CreateService(Name, w.Binary, cfg, "serve", "--data", w.DataDir); err != nil {
		return fmt.Errorf("service: install: %w", err)
	}
	defer s.Close()
	// After a crash: again at once, then after 10 s, then every minute;
	// the count starts over after a day without one.
	actions := []mgr.RecoveryAction{{Type: mgr.ServiceRestart, Delay: time.Second},
		{Type: mgr.ServiceRestart, Delay: 10 * time.Second}, {Type: mgr.ServiceRestart, Delay: time.Minute}}
	if err := s.SetRecoveryActions(actions, 24*60*60); err != nil {
		return fmt.Errorf("service: restart after a crash: %w", err)
	}
	if err := s.SetRecoveryActionsOnNonCrashFailures(true); err != nil {
		return fmt.Errorf("service: restart after a failure: %w", err)
	}
	err = eventlog.InstallAsEventCreate(Name, eventlog.Error|eventlog.Warning|eventlog.Info)
	if err != nil && !errors.Is(err, windows.ERROR_ALREADY_EXISTS) && !isExistsErr(err) {
		return fmt.Errorf("service: event log source: %w", err)
	}
	return nil
}

// isExistsErr: InstallAsEventCreate says a source that exists in words.
func isExistsErr(err error) bool {
	return errors.Is(err, windows.ERROR_FILE_EXISTS) || strings.Contains(strings.ToLower(err.Error()), "exists")
}

// Uninstall stops and removes the service and its event log source. The
// data stays.
func Uninstall(ctx context.Context) error {
	_ = (WindowsManager{}).Stop(ctx)
	m, err := mgr.Connect()
	if err != nil {
		return fmt.Errorf("service: the service manager: %w", err)
	}
	defer m.Disconnect()
	s, err := m.OpenService(Name)
	if err != nil {
		return nil // not installed
	}
	defer s.Close()
	if err := s.Delete(); err != nil {
		return fmt.Errorf("service: remove: %w", err)
	}
	_ = eventlog.Remove(Name)
	return nil
}

// WindowsManager starts and stops the installed Windows service.
type WindowsManager struct{}

// Start starts the service unless it runs.
func (WindowsManager) Start(ctx context.Context) error {
	return withService(func(s *mgr.Service) error {
		if st, err := s.Query(); err == nil && st.State == svc.Running {
			return nil
		}
		if err := s.Start(); err != nil && !errors.Is(err, windows.ERROR_SERVICE_ALREADY_RUNNING) {
			return fmt.Errorf("service: start: %w", err)
		}
		return nil
	})
}

// Stop asks the service to stop and waits until it has.
func (WindowsManager) Stop(ctx context.Context) error {
	return withService(func(s *mgr.Service) error {
		st, err := s.Query()
		if err != nil {
			return fmt.Errorf("service: query: %w", err)
		}
		if st.State != svc.Stopped && st.State != svc.StopPending {
			if _, err := s.Control(svc.Stop); err != nil && !errors.Is(err, windows.ERROR_SERVICE_NOT_ACTIVE) {
				return fmt.Errorf("service: stop: %w", err)
			}
		}
		for {
			if st, err = s.Query(); err != nil {
				return fmt.Errorf("service: query: %w", err)
			}
			if st.State == svc.Stopped {
				return nil
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("service: stop: %w", ctx.Err())
			case <-time.After(300 * time.Millisecond):
			}
		}
	})
}

func withService(f func(*mgr.Service) error) error {
	m, err := mgr.Connect()
	if err != nil {
		return fmt.Errorf("service: the service manager: %w", err)
	}
	defer m.Disconnect()
	s, err := m.OpenService(Name)
	if err != nil {
		return fmt.Errorf("service: not installed: %w", err)
	}
	defer s.Close()
	return f(s)
}

// Query says whether the service is installed, runs and starts at boot.
func Query(context.Context) State {
	st := State{Known: true}
	_ = withService(func(s *mgr.Service) error {
		st.Installed = true
		if q, err := s.Query(); err == nil {
			st.Running = q.State == svc.Running
		}
		if c, err := s.Config(); err == nil {
			st.AtBoot = c.StartType == mgr.StartAutomatic
		}
		return nil
	})
	return st
}

// IsService reports whether this process was started by the service
// manager.
func IsService() bool {
	ok, err := svc.IsWindowsService()
	return err == nil && ok
}

// Logger is the service's log: text lines into a rotating file under
// Home()\logs (10 MB, five kept), and warnings and errors into the event
// log. Close closes both.
func Logger(level slog.Level) (*slog.Logger, func(), error) {
	file := &RotatingFile{Path: filepath.Join(Home(), "logs", "lumbung.log"), MaxBytes: 10 << 20, Keep: 5}
	handlers := Tee{slog.NewTextHandler(file, &slog.HandlerOptions{Level: level})}
	el, err := eventlog.Open(Name)
	if err == nil {
		handlers = append(handlers, &EventHandler{Log: el, Min: slog.LevelWarn})
	}
	return slog.New(handlers), func() {
		_ = file.Close()
		if el != nil {
			_ = el.Close()
		}
	}, nil
}

// Run runs serve as the Windows service: it tells the manager the
// service is starting, running once serve calls ready (the node
// listens), and stopping when asked (a stop or the machine shutting
// down), then cancels serve's context and waits for it to close the
// store. A serve that ends with an error ends the service with one, so
// the manager's recovery actions restart it.
func Run(serve func(ctx context.Context, ready func()) error) error {
	return svc.Run(Name, handler(serve))
}

type handler func(ctx context.Context, ready func()) error

func (h handler) Execute(_ []string, req <-chan svc.ChangeRequest, status chan<- svc.Status) (bool, uint32) {
	const accepts = svc.AcceptStop | svc.AcceptShutdown
	status <- svc.Status{State: svc.StartPending, WaitHint: 120_000}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- h(ctx, func() { status <- svc.Status{State: svc.Running, Accepts: accepts} })
	}()
	for {
		select {
		case err := <-done:
			status <- svc.Status{State: svc.Stopped}
			if err != nil {
				return true, 1
			}
			return false, 0
		case r := <-req:
			switch r.Cmd {
			case svc.Interrogate:
				status <- r.CurrentStatus
			case svc.Stop, svc.Shutdown:
				status <- svc.Status{State: svc.StopPending, WaitHint: 90_000}
				cancel()
			}
		}
	}
}
