package localcluster

import (
	"fmt"
	"time"
)

// Eventually polls cond until it holds or within passes, and then says
// what it waited for. It checks at once, then after 5 ms, doubling the
// pause up to 50 ms, so a condition that holds soon is seen soon and one
// that is costly to check (a digest of every replica) is not checked in
// a tight loop. Every wait of this package and of the test harness for
// a condition goes through it.
func Eventually(within time.Duration, what string, cond func() bool) error {
	deadline := time.Now().Add(within)
	pause := 5 * time.Millisecond
	for !cond() {
		if time.Now().After(deadline) {
			return fmt.Errorf("%w after %s waiting for %s", ErrTimeout, within, what)
		}
		time.Sleep(pause)
		pause = min(2*pause, 50*time.Millisecond)
	}
	return nil
}
