package exchange

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/lumbung/lumbung/replication/wire"
	"github.com/lumbung/lumbung/schema"
)

// gatedReceiver is a fakeReceiver whose Apply, once entered, waits for
// release or gives up when its context ends, as a cluster's proposal does.
type gatedReceiver struct {
	*fakeReceiver
	entered, release chan struct{}
}

func (g *gatedReceiver) Apply(ctx context.Context, link Link, o schema.Origin, b *wire.Batch) (int, error) {
	close(g.entered)
	select {
	case <-ctx.Done():
		return 0, fmt.Errorf("%w: %w", ErrUnavailable, ctx.Err())
	case <-g.release:
	}
	return g.fakeReceiver.Apply(ctx, link, o, b)
}

// TestHangUpMidCommit: when the sender hangs up while the server commits
// its frame (its wait ran out on a slow upstream), the commit is seen
// through, not abandoned half-known, and the exchange counts what it
// applied.
func TestHangUpMidCommit(t *testing.T) {
	g := &gatedReceiver{fakeReceiver: newReceiver(), entered: make(chan struct{}), release: make(chan struct{})}
	stats := make(chan ExchangeStats, 1)
	hs := httptest.NewServer(&Server{R: g, Log: testLogger(t), Stats: func(_ Link, st ExchangeStats) { stats <- st }})
	t.Cleanup(hs.Close)
	s := newSender(originA)
	s.write(5)
	ctx, hangUp := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, hs.URL+Path,
		bytes.NewReader(requestBody(t, helloOf(t, s), batchOf(originA, 1, 5))))
	req.Header.Set("Authorization", "Bearer "+tokenA)
	sent := make(chan struct{})
	go func() {
		defer close(sent)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	<-g.entered
	hangUp()
	<-sent
	close(g.release)
	st := <-stats
	if st.Applied != 5 || g.ackedOf(originA) != 5 {
		t.Fatalf("after the sender hung up mid-commit: %d counted as applied, acked %d; want 5 and 5", st.Applied, g.ackedOf(originA))
	}
}
