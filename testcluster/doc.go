// Package testcluster runs Lumbung nodes on this machine for tests, the
// demo and benchmarks: real `lumbung` processes on real data directories,
// serving real HTTP on loopback, killed with SIGKILL and restarted at will.
//
// This first part holds single processes (Build, Start, Kill); the whole
// kabupaten harness (clusters, shaped links, partitions) builds on it.
package testcluster
