// Package bench measures Lumbung against its targets, on this machine:
// complaint intake at a desa node (a real `lumbung serve` process against
// a bare Pebble commit of the same bytes), a regional raft cluster, sync
// between tiers over a shaped 2G link, and monografi aggregation from a
// kabupaten to the nation. Each benchmark has a Config with defaults, a
// run that returns a Report, and a writer that prints the report as a
// Markdown section: its figures against their targets, and for each
// target not met, where the time goes and what would close the gap,
// naming this machine's cores as runtime.NumCPU counts them. All runs
// every benchmark and writes BENCHMARKS.md (`make bench`).
//
// The kabupaten it measures is package localcluster's; bench does not
// link the test harness.
package bench
