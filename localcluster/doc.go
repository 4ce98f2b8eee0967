// Package localcluster runs Lumbung on this machine for the demo,
// benchmarks and tests. It builds a whole kabupaten in one process from a
// Topology: a kabupaten cluster, kecamatan clusters and desa nodes, every
// one a real node on its own data directory serving HTTP and raft on
// loopback, every link between tiers a Link that shapes, cuts, swallows or
// flaps what it carries. Nodes stop and start again, raft members are
// partitioned, desa clocks skewed. A Driver works the kabupaten through
// the nodes' HTTP API as its officers do and records in a Ledger what was
// acknowledged; Converged (every replica of every scope agrees) and Lost
// (nothing acknowledged is missing at the top) check the outcome. Real
// `lumbung serve` processes (Launch) serve the intake benchmark and the
// crash tests.
//
// It does not import package testing and links no test-only library, so
// the lumbung command can run the demo and the benchmarks with it. The
// test harness over it (t.Cleanup teardown, logging to t.Log, the
// goroutine-leak and linearizability checks, the chaos schedules) is
// package testcluster.
//
// Every wait for a condition goes through Eventually.
package localcluster

import "errors"

// ErrTimeout is a condition that did not come to hold within its limit.
var ErrTimeout = errors.New("localcluster: timed out")
