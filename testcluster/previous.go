package testcluster

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var (
	prevOnce    sync.Once
	prevPath    string
	prevRelease string
	prevErr     error
	prevSkip    string
)

// PreviousBinary builds, once per test binary, the release before this
// one from git (the commit scripts/previous-release names) and returns
// its path and release name. Where the commit cannot be had (not a git
// checkout, a shallow clone) the test is skipped, saying so; in CI
// (LUMBUNG_CI set) that is a failure.
func PreviousBinary(t testing.TB) (path, release string) {
	t.Helper()
	prevOnce.Do(buildPrevious)
	if prevSkip != "" {
		if os.Getenv("LUMBUNG_CI") != "" {
			t.Fatalf("the previous release cannot be built in CI: %s", prevSkip)
		}
		t.Skip("the previous release cannot be built here: " + prevSkip)
	}
	if prevErr != nil {
		t.Fatal(prevErr)
	}
	return prevPath, prevRelease
}

func buildPrevious() {
	root, err := moduleRoot()
	if err != nil {
		prevErr = err
		return
	}
	release, commit, err := readPrevious(filepath.Join(root, "scripts", "previous-release"))
	if err != nil {
		prevErr = err
		return
	}
	if _, err := exec.LookPath("git"); err != nil {
		prevSkip = "no git"
		return
	}
	if out, err := exec.Command("git", "-C", root, "cat-file", "-e", commit+"^{commit}").CombinedOutput(); err != nil {
		prevSkip = fmt.Sprintf("commit %s not in this clone (%v: %s)", commit, err, strings.TrimSpace(string(out)))
		return
	}
	dir, err := os.MkdirTemp("", "lumbung-previous-")
	if err != nil {
		prevErr = err
		return
	}
	src := filepath.Join(dir, "src")
	tarball := filepath.Join(dir, "src.tar")
	steps := [][]string{
		{"git", "-C", root, "archive", "--format=tar", "-o", tarball, commit},
		{"mkdir", "-p", src},
		{"tar", "-xf", tarball, "-C", src},
	}
	for _, s := range steps {
		if out, err := exec.Command(s[0], s[1:]...).CombinedOutput(); err != nil {
			prevErr = fmt.Errorf("testcluster: %s: %w\n%s", strings.Join(s, " "), err, out)
			return
		}
	}
	prevPath = filepath.Join(dir, "lumbung-"+release)
	ldflags := "-X github.com/lumbung/lumbung/version.Release=" + release +
		" -X github.com/lumbung/lumbung/version.Commit=" + commit[:12]
	cmd := exec.Command("go", "build", "-ldflags", ldflags, "-o", prevPath, "./cmd/lumbung")
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "GOFLAGS=-buildvcs=false")
	if out, err := cmd.CombinedOutput(); err != nil {
		prevErr = fmt.Errorf("testcluster: build %s (%s): %w\n%s", release, commit, err, out)
		return
	}
	prevRelease = release
}

// readPrevious reads "release commit" from the first line of path that
// is not a comment.
func readPrevious(path string) (release, commit string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", "", fmt.Errorf("testcluster: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) != 2 || len(fields[1]) != 40 {
			return "", "", fmt.Errorf("testcluster: %s: want \"release commit\", have %q", path, line)
		}
		return fields[0], fields[1], nil
	}
	return "", "", fmt.Errorf("testcluster: %s names no release", path)
}
