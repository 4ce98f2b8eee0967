package service

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// RotatingFile is a log file that never grows past MaxBytes: when a write
// would take it past, the file becomes path.1 (path.1 becomes path.2, and
// so on up to Keep; the oldest is dropped) and a new one starts. A
// single write larger than MaxBytes goes whole into a file of its own. It
// is safe for concurrent use.
type RotatingFile struct {
	Path     string
	MaxBytes int64
	Keep     int // older files kept beside the current one

	mu   sync.Mutex
	f    *os.File
	size int64
}

// Write appends p, rotating first when it would not fit.
func (r *RotatingFile) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.f == nil {
		if err := r.open(); err != nil {
			return 0, err
		}
	}
	if r.size > 0 && r.size+int64(len(p)) > r.MaxBytes {
		if err := r.rotate(); err != nil {
			return 0, err
		}
	}
	n, err := r.f.Write(p)
	r.size += int64(n)
	return n, err
}

// Close closes the current file.
func (r *RotatingFile) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.f == nil {
		return nil
	}
	err := r.f.Close()
	r.f = nil
	return err
}

func (r *RotatingFile) open() error {
	if err := os.MkdirAll(filepath.Dir(r.Path), 0o700); err != nil {
		return fmt.Errorf("service: log directory: %w", err)
	}
	f, err := os.OpenFile(r.Path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("service: log file: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("service: log file: %w", err)
	}
	r.f, r.size = f, st.Size()
	return nil
}

func (r *RotatingFile) rotate() error {
	if err := r.f.Close(); err != nil {
		return fmt.Errorf("service: rotate log: %w", err)
	}
	r.f = nil
	name := func(i int) string { return fmt.Sprintf("%s.%d", r.Path, i) }
	_ = os.Remove(name(max(r.Keep, 0)))
	for i := r.Keep - 1; i >= 1; i-- {
		_ = os.Rename(name(i), name(i+1)) // a missing one is a gap, not a fault
	}
	if r.Keep > 0 {
		if err := os.Rename(r.Path, name(1)); err != nil {
			return fmt.Errorf("service: rotate log: %w", err)
		}
	} else if err := os.Remove(r.Path); err != nil {
		return fmt.Errorf("service: rotate log: %w", err)
	}
	return r.open()
}
