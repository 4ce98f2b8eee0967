package localcluster

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/lumbung/lumbung/node"
)

// Process is a `lumbung serve` running as a child process.
type Process struct {
	Data string // its data directory
	URL  string // its API, http://127.0.0.1:PORT
	cmd  *exec.Cmd
	done chan error
	log  *logTail
	out  *logTail
}

// Launch runs `bin serve --data dir` on a free loopback port, with any
// extra serve flags, and waits until it answers /readyz.
func Launch(bin, dir string, flags ...string) (*Process, error) {
	p := &Process{Data: dir, done: make(chan error, 1), log: &logTail{}, out: &logTail{}}
	args := append([]string{"serve", "--data", dir, "--http", "127.0.0.1:0"}, flags...)
	p.cmd = exec.Command(bin, args...)
	p.cmd.Stderr = p.log
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("localcluster: %w", err)
	}
	if err := p.cmd.Start(); err != nil {
		return nil, fmt.Errorf("localcluster: start lumbung serve: %w", err)
	}
	urls := make(chan string, 1)
	go scanURL(stdout, urls, p.out)
	go func() { p.done <- p.cmd.Wait() }()
	select {
	case p.URL = <-urls:
	case err := <-p.done:
		return nil, fmt.Errorf("localcluster: lumbung serve exited before serving: %w\n%s", err, p.log)
	case <-time.After(30 * time.Second):
		p.Kill()
		return nil, fmt.Errorf("localcluster: lumbung serve did not say where it serves within 30s\n%s", p.log)
	}
	if err := WaitReady(p.URL, 30*time.Second); err != nil {
		p.Kill()
		return nil, fmt.Errorf("%w\n%s", err, p.log)
	}
	return p, nil
}

// scanURL copies the process's standard output to out and sends the URL
// it says it serves on.
func scanURL(r io.Reader, urls chan<- string, out io.Writer) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		fmt.Fprintln(out, sc.Text())
		if u, ok := strings.CutPrefix(sc.Text(), "lumbung: serving "); ok {
			urls <- strings.TrimSpace(u)
		}
	}
	_, _ = io.Copy(io.Discard, r)
}

// Output returns the last lines the process wrote to standard output.
func (p *Process) Output() string { return p.out.String() }

// FirstAdmin waits until the process has printed its first admin's
// one-time password (a cluster's first serve prints it) and returns it.
func (p *Process) FirstAdmin(within time.Duration) (string, error) {
	var pw string
	err := Eventually(within, "the first admin's password", func() bool {
		var ok bool
		pw, ok = FirstAdminPassword(p.Output())
		return ok
	})
	if err != nil {
		return "", fmt.Errorf("%w\n%s", err, p.Output())
	}
	return pw, nil
}

// FirstAdminPassword finds, in what lumbung init or the first serve
// printed, the first admin's one-time password.
func FirstAdminPassword(printed string) (string, bool) {
	for _, line := range strings.Split(printed, "\n") {
		if !strings.Contains(line, "Admin pertama: "+node.FirstAdmin) && !strings.Contains(line, "First admin: "+node.FirstAdmin) {
			continue
		}
		if i := strings.LastIndex(line, ": "); i >= 0 {
			return strings.TrimSpace(line[i+2:]), true
		}
	}
	return "", false
}

// WaitReady polls url/readyz until it answers 200 or within passes.
func WaitReady(url string, within time.Duration) error {
	var last error
	if Eventually(within, url+" ready", func() bool { last = ready(url); return last == nil }) != nil {
		return fmt.Errorf("localcluster: %s not ready within %s (last error: %w)", url, within, last)
	}
	return nil
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
