// Package testcluster runs Lumbung on this machine for tests, the demo
// and benchmarks. It builds a whole kabupaten in one process from a
// Topology: a kabupaten cluster, kecamatan clusters and desa nodes, every
// one a real node on its own data directory serving HTTP and raft on
// loopback, every link between tiers a Link that shapes, cuts, swallows or
// flaps what it carries. Nodes stop and start again, raft members are
// partitioned, desa clocks skewed. Its checks prove the promises:
// WaitConverged (every replica of every scope agrees), Lost (nothing
// acknowledged is missing at the top), porcupine over each cluster's
// history, and a goroutine-leak check at teardown. Chaos runs seeded
// random schedules of all of it; Kabupaten.Demo runs the demo's working
// day. Real `lumbung` processes (Build, Start, Kill) serve the SIGKILL
// crash tests and the intake benchmark.
package testcluster
