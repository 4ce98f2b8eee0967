package node

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2"
	"github.com/lumbung/lumbung/schema"
)

func testInput(i int) *schema.ComplaintInput {
	return &schema.ComplaintInput{Region: testDesa, Channel: "walk_in", Category: "infrastruktur",
		Title: fmt.Sprintf("Lampu jalan mati nomor %d", i), Description: "Lampu jalan di depan balai desa mati sejak seminggu.",
		Reporter: schema.Reporter{Name: "Budi Santoso", NIK: "3214020101800001"}}
}

// TestConcurrentWritesGetDistinctSequences writes from many goroutines at
// once: every write lands, with sequence numbers 1..N without gaps, and the
// log holds each exactly once.
func TestConcurrentWritesGetDistinctSequences(t *testing.T) {
	n := openTestNode(t)
	const writers, each = 16, 25
	var wg sync.WaitGroup
	ids := make(chan string, writers*each)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				c, err := n.Store().CreateComplaint(context.Background(), testInput(w*each+i))
				if err != nil {
					t.Error(err)
					return
				}
				ids <- c.ID
			}
		}(w)
	}
	wg.Wait()
	close(ids)
	seen := map[string]bool{}
	for id := range ids {
		if seen[id] {
			t.Fatalf("id %s issued twice", id)
		}
		seen[id] = true
	}
	checkLog(t, n.Store(), writers*each)
}

// checkLog verifies that the log holds want changes of the store's origin,
// each once, with sequence numbers 1..want.
func checkLog(t *testing.T, s *Store, want int) {
	t.Helper()
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: []byte(prefixLog), UpperBound: prefixEnd([]byte(prefixLog))})
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	seqs := map[uint64]bool{}
	for it.First(); it.Valid(); it.Next() {
		ref, _ := splitLogValue(it.Value())
		raw, ok, err := s.get(append([]byte(prefixChange), ref...))
		if err != nil || !ok {
			t.Fatalf("log entry %x names a missing change", it.Key())
		}
		c, err := schema.DecodeChange(raw)
		if err != nil {
			t.Fatal(err)
		}
		if seqs[c.Seq] {
			t.Fatalf("seq %d twice in the log", c.Seq)
		}
		seqs[c.Seq] = true
	}
	if len(seqs) != want {
		t.Fatalf("log holds %d changes, want %d", len(seqs), want)
	}
	for i := 1; i <= want; i++ {
		if !seqs[uint64(i)] {
			t.Fatalf("seq %d missing: a gap", i)
		}
	}
}

// TestAnonymousIdentityNeverInAChange takes an anonymous complaint: the
// desa shows the identity, but no change (what replicates) contains it.
func TestAnonymousIdentityNeverInAChange(t *testing.T) {
	n := openTestNode(t)
	in := testInput(1)
	in.Reporter = schema.Reporter{Name: "Rahasia Sekali", NIK: "3214027007900002", Phone: "081299998888", Anonymous: true}
	c, err := n.Store().CreateComplaint(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if c.Reporter.Name != "Rahasia Sekali" {
		t.Errorf("the desa should show the identity, got %+v", c.Reporter)
	}
	it, _ := n.Store().db.NewIter(&pebble.IterOptions{})
	defer it.Close()
	for it.First(); it.Valid(); it.Next() {
		k := string(it.Key())
		if strings.HasPrefix(k, prefixPrivate) {
			continue
		}
		for _, secret := range []string{"Rahasia", "3214027007900002", "081299998888"} {
			if strings.Contains(string(it.Value()), secret) {
				t.Errorf("key %q holds %q outside the local-only record", k, secret)
			}
		}
	}
}

// TestFailedWriteDoesNotTouchGroup runs a write that fails after writing
// in the same group as good writes: the good ones commit, the bad one
// leaves nothing behind, and sequence numbers stay without gaps.
func TestFailedWriteDoesNotTouchGroup(t *testing.T) {
	n := openTestNode(t)
	s := n.Store()
	boom := errors.New("boom")
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if i%5 == 0 {
				_, err := s.do(context.Background(), func(tx *Tx) (any, error) {
					_, _, _ = tx.Append("x", "complaint/bad", testDesa, schema.OpComplaintCreate, map[string]string{"id": ""}, nil)
					return nil, boom
				})
				if !errors.Is(err, boom) {
					t.Errorf("err = %v, want boom", err)
				}
				return
			}
			if _, err := s.CreateComplaint(context.Background(), testInput(i)); err != nil {
				t.Error(err)
			}
		}(i)
	}
	wg.Wait()
	checkLog(t, s, 16)
	if _, ok, _ := s.get(entityKey("complaint/bad", schema.ChangeID{})); ok {
		t.Error("the failed write left a key")
	}
}

// TestListPagesNewestFirst pages through complaints with filters.
func TestListPagesNewestFirst(t *testing.T) {
	n := openTestNode(t)
	s := n.Store()
	var ids []string
	for i := 0; i < 7; i++ {
		c, err := s.CreateComplaint(context.Background(), testInput(i))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	if _, err := s.ActOnComplaint(context.Background(), ids[2], &schema.ActionInput{Action: schema.ActVerify}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []ComplaintFilter{{Limit: 3}, {Limit: 2, Region: "32.14.02"}, {Limit: 4, Status: schema.StatusReceived}} {
		got := listAll(t, s, f)
		want := []string{}
		for i := len(ids) - 1; i >= 0; i-- {
			if f.Status == "" || i != 2 {
				want = append(want, ids[i])
			}
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("filter %+v: got %v, want %v", f, got, want)
		}
	}
	page, _ := s.ListComplaints(ComplaintFilter{Status: schema.StatusVerified, Limit: 10})
	if len(page.Complaints) != 1 || page.Complaints[0].ID != ids[2] {
		t.Errorf("verified list = %+v", page.Complaints)
	}
	raw, _ := json.Marshal(page)
	if !strings.Contains(string(raw), `"status":"verified"`) {
		t.Errorf("listing JSON: %s", raw)
	}
}

// TestCloseDuringWrites closes the store under concurrent writes: every
// write either returns ErrClosed or is on disk after reopening, and Close
// does not hang.
func TestCloseDuringWrites(t *testing.T) {
	dir := t.TempDir()
	cfg := DefaultStoreConfig(dir, testDesa)
	cfg.Logger = testLogger(t)
	s, err := OpenStore(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var acked []string
	var wg sync.WaitGroup
	started := make(chan struct{}, 8)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ; i++ {
				c, err := s.CreateComplaint(context.Background(), testInput(w*1000+i))
				if errors.Is(err, ErrClosed) {
					return
				}
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				acked = append(acked, c.ID)
				mu.Unlock()
				if i == 10 {
					started <- struct{}{}
				}
			}
		}(w)
	}
	for i := 0; i < 8; i++ {
		<-started
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	s, err = OpenStore(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Check(); err != nil {
		t.Fatal(err)
	}
	for _, id := range acked {
		if _, err := s.Complaint(id); err != nil {
			t.Fatalf("acknowledged %s: %v", id, err)
		}
	}
	t.Logf("%d writes acknowledged before close", len(acked))
}

// TestListPeriod bounds a listing by the time taken, on each index: the
// time index, the status index (both scanned only within the period) and
// the region index (filtered).
func TestListPeriod(t *testing.T) {
	n := openTestNode(t)
	s := n.Store()
	var all []*schema.Complaint
	for i := 0; i < 8; i++ {
		c, err := s.CreateComplaint(context.Background(), testInput(i))
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, c)
		for time.Now().UnixMilli() == c.CreatedWall {
			runtime.Gosched() // the next complaint is taken a millisecond later
		}
	}
	from, to := all[2].CreatedWall, all[6].CreatedWall
	var want []string
	for i := len(all) - 1; i >= 0; i-- {
		if all[i].CreatedWall >= from && all[i].CreatedWall < to {
			want = append(want, all[i].ID)
		}
	}
	if len(want) != 4 {
		t.Fatalf("want %d complaints in the period", len(want))
	}
	for _, f := range []ComplaintFilter{{Limit: 3}, {Limit: 2, Status: schema.StatusReceived}, {Limit: 3, Region: "32.14.02"}} {
		f.From, f.To = from, to
		if got := listAll(t, s, f); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("filter %+v: got %v, want %v", f, got, want)
		}
	}
}

// listAll pages through the listing of f to its end, and returns the
// numbers in the order listed.
func listAll(t *testing.T, s *Store, f ComplaintFilter) []string {
	t.Helper()
	var got []string
	for {
		page, err := s.ListComplaints(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page.Complaints {
			got = append(got, c.ID)
		}
		if page.Next == "" {
			return got
		}
		f.Cursor = page.Next
	}
}
