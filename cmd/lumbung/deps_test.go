package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestBinaryLinksNoTestHarness: the shipped binary links neither the
// test harness (testcluster) nor a test-only library, and no package it
// links imports package testing except hashicorp/raft, whose testing.go
// (its own cluster helpers) is part of the package proper. The demo and
// the benchmarks reach their kabupaten through localcluster instead.
func TestBinaryLinksNoTestHarness(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	allowed := map[string]bool{"github.com/hashicorp/raft": true}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, " ")
		for _, banned := range []string{"/testcluster", "go.uber.org/goleak", "github.com/anishathalye/porcupine",
			"github.com/cockroachdb/datadriven", "github.com/chromedp/", "/internal/browsertest"} {
			if strings.HasSuffix(pkg, banned) || strings.HasPrefix(pkg, banned) {
				t.Errorf("lumbung links %s", pkg)
			}
		}
		for _, imp := range strings.Fields(imports) {
			if imp == "testing" && !allowed[pkg] {
				t.Errorf("lumbung links %s, which imports package testing", pkg)
			}
		}
	}
}
