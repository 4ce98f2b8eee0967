package testcluster

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/lumbung/lumbung/localcluster"
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
		args := []string{"build", "-o", buildPath}
		if rev, err := exec.Command("git", "-C", root, "rev-parse", "--short=12", "HEAD").Output(); err == nil {
			// Stamped as make build does, so a process says which commit it runs.
			args = append(args, "-ldflags", "-X github.com/lumbung/lumbung/version.Commit="+strings.TrimSpace(string(rev)))
		}
		cmd := exec.Command("go", append(args, "./cmd/lumbung")...)
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

// Start runs `lumbung serve --data dir` on a free loopback port and waits
// until it answers /readyz.
func Start(t testing.TB, dir string) *Process {
	t.Helper()
	p, err := localcluster.Launch(Binary(t), dir)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
