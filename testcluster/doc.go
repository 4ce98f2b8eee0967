// Package testcluster is the test harness over package localcluster's
// kabupaten on one machine. NewKabupaten and NewCluster build one under
// the test's temporary directory, with every node logging to t.Log, and
// tear it down through t.Cleanup; NewKabupaten also fails the test when a
// goroutine started meanwhile outlives it (goleak). Leader,
// WaitConverged, WaitClusterConverged and Eventually wait as a test does,
// failing it with what did not happen. Record and CheckLinearizable run
// porcupine over each cluster's history of writes and consistent reads;
// Chaos runs seeded random schedules of faults and writes, then checks
// every invariant (Invariants). Binary, Run and Start build and run the
// real `lumbung` command for the SIGKILL crash tests.
//
// The types are localcluster's, named here so a test reads
// testcluster.Kabupaten. The lumbung command does not link this package.
package testcluster
