package testcluster

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lumbung/lumbung/client"
	"github.com/lumbung/lumbung/localcluster"
	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/replication/exchange"
	"github.com/lumbung/lumbung/replication/wire"
	"github.com/lumbung/lumbung/schema"
)

// TestSyncTokenAttacks replays, on a real kecamatan and desa, what the
// review did with sync tokens, and what a token's holder could still try:
//
//   - ack poisoning: a second token of the desa's own region claims the
//     desa's origin at position 1,000,000, with a change and with none;
//   - the desa's own token replayed from another origin (another laptop);
//   - a token bound to the attacker's own laptop sends a change of the
//     desa's origin;
//   - the desa's own token skips sequence numbers, or moves its position
//     with no change;
//   - a token the kecamatan never issued (self-made).
//
// Each is refused in words and leaves what the kecamatan holds of the
// desa, its tokens and acknowledged positions as they were; afterwards the desa's next complaint still arrives and its
// sync status shows nothing pending.
func TestSyncTokenAttacks(t *testing.T) {
	k := NewKabupaten(t, Topology{Kecamatan: 1, DesaPerKecamatan: 1, Members: 1})
	kec := k.Kecamatan[0]
	desa := kec.Desa[0]
	kecNode := kec.Members[0].Node()
	id := takeComplaint(t, desa.URL, desa.Code)
	waitFor(t, func() bool { _, err := kecNode.Store().Complaint(id); return err == nil }, time.Minute, "the first complaint at the kecamatan")
	real := desa.Node().Store().Origin()
	realToken := desa.Node().Config().Token

	// The attacker's own laptop gets a token of the desa's region and
	// uses it once, harmlessly: it is bound to the attacker's origin.
	second, err := localcluster.Enroll(kec.Members[0].URL, desa.Code)
	if err != nil {
		t.Fatal(err)
	}
	mine := schema.Origin{Region: desa.Code, Incarnation: "ATTK01"}
	spare, err := localcluster.Enroll(kec.Members[0].URL, desa.Code)
	if err != nil {
		t.Fatal(err)
	}
	if code, msg := postExchange(t, kec.Members[0].URL, spare, exchangeBody(t, hello(mine), nil)); code != http.StatusOK {
		t.Fatalf("the attacker's own laptop, hello only: %d %s", code, msg)
	}
	WaitConverged(t, k)
	before := syncState(t, kecNode.Store(), desa.Code, real, mine)

	// A forged change is one of the desa's own, well formed, under a
	// sequence number it never wrote.
	own, _, err := desa.Node().Store().LogRange(0, 1)
	if err != nil || len(own) != 1 {
		t.Fatalf("the desa's first change: %v", err)
	}
	forged := func(o schema.Origin, seq uint64) *schema.Change {
		c := *own[0]
		c.Origin, c.Seq, c.Actor = o, seq, "Penyusup"
		return &c
	}
	const nextSeq = 1000
	for _, tc := range []struct {
		what  string
		token string
		o     schema.Origin
		batch *wire.Batch
		code  string
	}{
		{"ack poisoning: another token claims the desa's origin at 1,000,000", second, real,
			&wire.Batch{Last: 1_000_000, Changes: []*schema.Change{forged(real, nextSeq)}}, "token_bound"},
		{"ack poisoning with no change", second, real, &wire.Batch{Last: 1_000_000}, "token_bound"},
		{"the desa's token from another laptop", realToken, schema.Origin{Region: desa.Code, Incarnation: "ATTK02"}, nil, "token_bound"},
		{"the attacker's laptop sends a change of the desa's origin", spare, mine,
			&wire.Batch{Last: 1, Changes: []*schema.Change{forged(real, nextSeq)}}, "token_bound"},
		{"the desa's token skips sequence numbers", realToken, real,
			&wire.Batch{Last: 1_000_000, Changes: []*schema.Change{forged(real, nextSeq)}}, "sequence_gap"},
		{"the desa's token moves its position with no change", realToken, real, &wire.Batch{Last: 1_000_000}, "sequence_gap"},
		{"a self-made token", "lbt_" + "0123456789abcdefghijklmnopqrstuv", real, nil, "bad_token"},
	} {
		code, got := postExchange(t, kec.Members[0].URL, tc.token, exchangeBody(t, hello(tc.o), tc.batch))
		if code == http.StatusOK || got != tc.code {
			t.Errorf("%s: %d %s, want %s", tc.what, code, got, tc.code)
		}
	}
	if after := syncState(t, kecNode.Store(), desa.Code, real, mine); after != before {
		t.Logf("before %s\nafter  %s", before, after)
		t.Fatal("a refused exchange changed the kecamatan's state")
	}

	// Nor did any reach the raft log: each was refused before it was
	// proposed (the forged changes' actor is nowhere in the raft files).
	if f := filesHolding(t, node.RaftDir(kec.Members[0].Data), "Penyusup"); len(f) > 0 {
		t.Errorf("the raft log holds a refused change: %v", f)
	}

	// The desa's next complaint still arrives, and nothing is pending.
	later := takeComplaint(t, desa.URL, desa.Code)
	waitFor(t, func() bool { _, err := kecNode.Store().Complaint(later); return err == nil }, time.Minute, "the desa's next complaint at the kecamatan")
	waitFor(t, func() bool {
		up := desa.Node().SyncStatus().Uplink
		return up != nil && up.Pending == 0 && up.LastError == ""
	}, time.Minute, "the desa with nothing pending and no error")
	// At the kecamatan, the desa's link shows the refusals as past once
	// the desa's own exchange succeeded, not as its state now.
	waitFor(t, func() bool {
		for _, l := range kecNode.SyncStatus().Below {
			if l.Region == string(desa.Code) {
				return l.LastError == "" && l.PastError != "" && l.PastErrorMessage != ""
			}
		}
		return false
	}, time.Minute, "the desa's link with the refusals as past")
}

// syncState is what an exchange from desa could change at its upstream
// s: what s holds of the desa's scope (changes and the entities they
// make), the token records and bindings, and the origins' acknowledged
// positions. (The whole store's digest would also see the upstream's own
// sync cursors move as its uplink runs.)
func syncState(t *testing.T, s *node.Store, desa schema.Code, origins ...schema.Origin) string {
	t.Helper()
	scopes, err := s.ScopeDigests(schema.LevelDesa)
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := s.Tokens()
	if err != nil {
		t.Fatal(err)
	}
	out := fmt.Sprintf("scope %x tokens %+v", scopes[desa], tokens)
	for _, o := range origins {
		n, err := s.LinkAcked(o)
		if err != nil {
			t.Fatal(err)
		}
		out += fmt.Sprintf(" %s@%d", o, n)
	}
	return out
}

// hello is a current hello from origin o.
func hello(o schema.Origin) wire.Hello {
	return wire.Hello{Version: wire.Version, Min: wire.MinVersion, Max: wire.Version, Origin: o,
		Dicts: wire.Dictionaries(), Catalogue: monografi.BuiltinVersion}
}

// TestRestoredDesaRebinds plays a desa laptop restored from a backup: it
// holds a complaint its old origin took while offline, which never
// reached the kecamatan, and speaks under a new origin. Its old token,
// bound to the old origin, is refused and nothing is stored; once the
// kecamatan's admin revokes the desa's tokens and enrolls it again, the
// new token binds to the new origin and the old origin's unsent complaint
// arrives.
func TestRestoredDesaRebinds(t *testing.T) {
	k := NewKabupaten(t, Topology{Kecamatan: 1, DesaPerKecamatan: 1, Members: 1})
	kec := k.Kecamatan[0]
	desa := kec.Desa[0]
	kecURL, kecNode := kec.Members[0].URL, kec.Members[0].Node()
	first := takeComplaint(t, desa.URL, desa.Code)
	waitFor(t, func() bool { _, err := kecNode.Store().Complaint(first); return err == nil }, time.Minute, "the first complaint at the kecamatan")
	for _, l := range desa.Up {
		l.SetDown(true) // offline: the next complaint stays on the laptop
	}
	offline := takeComplaint(t, desa.URL, desa.Code)
	all, _, err := desa.Node().Store().LogRange(0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var log []*schema.Change // what the laptop sends up: not what came down (the offices' keys above)
	for _, c := range all {
		if desa.Code.Contains(c.Scope) {
			log = append(log, c)
		}
	}
	oldToken := desa.Node().Config().Token
	if err := desa.Stop(); err != nil {
		t.Fatal(err)
	}

	// The restored laptop: the same log under a new origin, which sends
	// it all (its acknowledged position at the kecamatan starts at 0).
	restored := schema.Origin{Region: desa.Code, Incarnation: "RSTR01"}
	batch := &wire.Batch{Last: uint64(len(log)), Changes: log}
	if code, got := postExchange(t, kecURL, oldToken, exchangeBody(t, hello(restored), batch)); code != http.StatusForbidden || got != "token_bound" {
		t.Fatalf("the old token from the restored laptop: %d %s, want 403 token_bound", code, got)
	}
	if _, err := kecNode.Store().Complaint(offline); err == nil {
		t.Fatal("a refused exchange stored the offline complaint")
	}
	admin, err := client.New(kecURL, client.Options{HTTP: as(officer.Admin)})
	if err != nil {
		t.Fatal(err)
	}
	if err := admin.Revoke(t.Context(), desa.Code); err != nil {
		t.Fatal(err)
	}
	newToken, err := localcluster.Enroll(kecURL, desa.Code)
	if err != nil {
		t.Fatal(err)
	}
	if code, got := postExchange(t, kecURL, newToken, exchangeBody(t, hello(restored), batch)); code != http.StatusOK {
		t.Fatalf("the new token from the restored laptop: %d %s", code, got)
	}
	for _, id := range []string{first, offline} {
		if _, err := kecNode.Store().Complaint(id); err != nil {
			t.Errorf("complaint %s at the kecamatan: %v", id, err)
		}
	}
	if n, err := kecNode.Store().LinkAcked(restored); err != nil || n != batch.Last {
		t.Errorf("the restored origin's acknowledged position: %d %v, want %d", n, err, batch.Last)
	}
}

// TestHeldRequestsBounded replays the review's 2,000 idle long-polls with
// one token against a real kecamatan: it holds at most
// exchange.DefaultMaxHeldPerLink of them and refuses the others at once
// in words (429 too_many_held), the metrics show the holds and the
// declines, and once the attacker hangs up nothing stays held but the
// real desa's own request.
func TestHeldRequestsBounded(t *testing.T) {
	k := NewKabupaten(t, Topology{Kecamatan: 1, DesaPerKecamatan: 1, Members: 1})
	kec := k.Kecamatan[0]
	desa := kec.Desa[0]
	url := kec.Members[0].URL
	srv := kec.Members[0].Node().SyncHandler().(*exchange.Server)
	token, err := localcluster.Enroll(url, desa.Code)
	if err != nil {
		t.Fatal(err)
	}
	idle := hello(schema.Origin{Region: desa.Code, Incarnation: "ATTK03"})
	idle.Wait = 600 // seconds: held ten minutes if the server let it
	// Nothing to send down (the offices' published keys are there from
	// the start): every request is one the server would hold.
	kecStore := kec.Members[0].Node().Store()
	waitFor(t, func() bool {
		b, _, err := kecStore.Downlink(desa.Code, 0, 1<<20)
		return err == nil && slices.ContainsFunc(b.Changes, func(c *schema.Change) bool { return c.Entity == "officekey/"+string(k.Code) })
	}, time.Minute, "the kabupaten's key at the kecamatan")
	idle.Down = kecStore.DurablePos()
	body := exchangeBody(t, idle, nil)

	ctx, hangUp := context.WithCancel(t.Context())
	defer hangUp()
	const requests, workers = 2000, 32
	var refused, other atomic.Int64
	jobs := make(chan struct{})
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range jobs {
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url+exchange.Path, bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+token)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					continue // hung up by the test
				}
				raw, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode == http.StatusTooManyRequests && bytes.Contains(raw, []byte("too_many_held")) {
					refused.Add(1)
				} else {
					other.Add(1)
				}
			}
		}()
	}
	for range requests {
		jobs <- struct{}{}
	}
	// Every request but the held ones has been answered.
	waitFor(t, func() bool { return refused.Load()+other.Load() >= requests-exchange.DefaultMaxHeldPerLink }, time.Minute,
		"the requests past the bound answered")
	now, limit, declined := srv.Held()
	if now > exchange.DefaultMaxHeldPerLink+1 || refused.Load() < requests-exchange.DefaultMaxHeldPerLink || declined < refused.Load() ||
		limit != exchange.DefaultMaxHeld {
		t.Fatalf("held %d (limit %d, declined %d); %d refused in words, %d otherwise", now, limit, declined, refused.Load(), other.Load())
	}
	metrics := scrape(t, url)
	for _, want := range []string{"lumbung_sync_held_requests ", "lumbung_sync_held_requests_limit 2048", "lumbung_sync_held_declined_total "} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	close(jobs)
	hangUp()
	wg.Wait()
	waitFor(t, func() bool { n, _, _ := srv.Held(); return n <= 1 }, time.Minute, "the attacker's holds released")
}

// scrape reads a node's /metrics (from loopback, which it answers).
func scrape(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// filesHolding lists the files under dir whose bytes hold s.
func filesHolding(t *testing.T, dir, s string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err == nil && bytes.Contains(b, []byte(s)) {
			out = append(out, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
