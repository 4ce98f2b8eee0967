package testcluster

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	buildPath string
	buildErr  error
)

// Binary builds the lumbung command once per test binary and returns its
// path. The module root is found from the go tool.
func Binary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "lumbung-bin-")
		if err != nil {
			buildErr = err
			return
		}
		buildPath = filepath.Join(dir, "lumbung")
		root, err := moduleRoot()
		if err != nil {
			buildErr = err
			return
		}
		cmd := exec.Command("go", "build", "-o", buildPath, "./cmd/lumbung")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("testcluster: go build: %w\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildPath
}

func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("testcluster: go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", fmt.Errorf("testcluster: not inside the lumbung module")
	}
	return filepath.Dir(mod), nil
}

// Run runs the lumbung command to completion and returns its output.
func Run(t testing.TB, args ...string) string {
	t.Helper()
	out, err := exec.Command(Binary(t), args...).CombinedOutput()
	if err != nil {
		t.Fatalf("lumbung %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// Process is a `lumbung serve` running as a child process.
type Process struct {
	Data string // its data directory
	URL  string // its API, http://127.0.0.1:PORT
	cmd  *exec.Cmd
	done chan error
	log  *logTail
}

// Start runs `lumbung serve --data dir` on a free loopback port and waits
// until it answers /readyz.
func Start(t testing.TB, dir string) *Process {
	t.Helper()
	p, err := Launch(Binary(t), dir)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Launch runs `bin serve --data dir` on a free loopback port, with any
// extra serve flags, and waits until it answers /readyz.
func Launch(bin, dir string, flags ...string) (*Process, error) {
	p := &Process{Data: dir, done: make(chan error, 1), log: &logTail{}}
	args := append([]string{"serve", "--data", dir, "--http", "127.0.0.1:0"}, flags...)
	p.cmd = exec.Command(bin, args...)
	p.cmd.Stderr = p.log
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("testcluster: %w", err)
	}
	if err := p.cmd.Start(); err != nil {
		return nil, fmt.Errorf("testcluster: start lumbung serve: %w", err)
	}
	urls := make(chan string, 1)
	go scanURL(stdout, urls)
	go func() { p.done <- p.cmd.Wait() }()
	select {
	case p.URL = <-urls:
	case err := <-p.done:
		return nil, fmt.Errorf("testcluster: lumbung serve exited before serving: %w\n%s", err, p.log)
	case <-time.After(30 * time.Second):
		p.Kill()
		return nil, fmt.Errorf("testcluster: lumbung serve did not say where it serves within 30s\n%s", p.log)
	}
	if err := WaitReady(p.URL, 30*time.Second); err != nil {
		p.Kill()
		return nil, fmt.Errorf("%w\n%s", err, p.log)
	}
	return p, nil
}

func scanURL(r io.Reader, urls chan<- string) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if u, ok := strings.CutPrefix(sc.Text(), "lumbung: serving "); ok {
			urls <- strings.TrimSpace(u)
			break
		}
	}
	_, _ = io.Copy(io.Discard, r)
}

// WaitReady polls url/readyz until it answers 200 or the deadline passes.
func WaitReady(url string, within time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url+"/readyz", nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("testcluster: %s not ready within %s (last error: %w)", url, within, err)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Kill sends SIGKILL (TerminateProcess on Windows) and waits for the exit.
func (p *Process) Kill() {
	_ = p.cmd.Process.Kill()
	<-p.done
}

// Stop asks the process to stop (SIGINT, Ctrl-C on Windows consoles) and
// waits; after 10 s it is killed.
func (p *Process) Stop() {
	_ = p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		p.Kill()
	}
}

// Log returns the last lines the process wrote to stderr.
func (p *Process) Log() string { return p.log.String() }

// Pid returns the process id.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// logTail keeps the last 64 KiB a process wrote.
type logTail struct {
	mu  sync.Mutex
	buf []byte
}

func (l *logTail) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = append(l.buf, b...)
	if len(l.buf) > 64<<10 {
		l.buf = l.buf[len(l.buf)-64<<10:]
	}
	return len(b), nil
}

func (l *logTail) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return string(l.buf)
}
