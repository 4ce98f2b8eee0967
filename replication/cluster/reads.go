package cluster

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
)

// PathReads is where a member says what its binary reads: for each kind
// of command, the highest version (Config.Reads). A member of a release
// before the upgrade gate answers 404 here.
const PathReads = "/api/v1/cluster/reads"

// ErrReadsUnknown means a member does not say what it reads: it runs a
// release from before the upgrade gate.
var ErrReadsUnknown = errors.New("cluster: the member does not say what it reads (an older release)")

func (c *Cluster) serveReads(w http.ResponseWriter, r *http.Request) {
	if !c.currentMember(w, r) {
		return
	}
	if c.cfg.Reads == nil {
		writeError(w, r, http.StatusNotFound, "no_route", msgNoRoute, nil)
		return
	}
	b := c.cfg.Reads()
	if b == nil { // not ready: it says nothing yet
		writeError(w, r, http.StatusServiceUnavailable, "unavailable", msgUnavailable, nil)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}

// MemberIDs is the IDs of the members in the configuration, without the
// rest of Status (cheap enough for a write's path).
func (c *Cluster) MemberIDs() ([]string, error) {
	f := c.raft.GetConfiguration()
	if err := f.Error(); err != nil {
		return nil, fmt.Errorf("cluster: configuration: %w", err)
	}
	var ids []string
	for _, s := range f.Configuration().Servers {
		ids = append(ids, string(s.ID))
	}
	return ids, nil
}

// MemberReads asks every member in the configuration what it reads
// (Config.Reads), by ID; this member answers for itself. A member of an
// older release is ErrReadsUnknown in errs, one that cannot be reached
// its error; neither is in reads.
func (c *Cluster) MemberReads(ctx context.Context) (reads map[string][]byte, errs map[string]error) {
	reads, errs = map[string][]byte{}, map[string]error{}
	f := c.raft.GetConfiguration()
	if err := f.Error(); err != nil {
		errs[c.cfg.ID] = fmt.Errorf("cluster: configuration: %w", err)
		return reads, errs
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, s := range f.Configuration().Servers {
		id, addr := string(s.ID), string(s.Address)
		wg.Add(1)
		go func() { // members are asked at once: a write waits for the slowest, not the sum
			defer wg.Done()
			var b []byte
			var err error
			switch {
			case id != c.cfg.ID:
				b, err = c.askReads(ctx, addr)
			case c.cfg.Reads == nil:
				err = ErrReadsUnknown
			default:
				if b = c.cfg.Reads(); b == nil {
					err = errRetry
				}
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs[id] = err
			} else {
				reads[id] = b
			}
		}()
	}
	wg.Wait()
	return reads, errs
}

func (c *Cluster) askReads(ctx context.Context, addr string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "https://"+addr+PathReads, strings.NewReader(""))
	if err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("cluster: ask %s what it reads: %w", addr, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	switch {
	case err != nil:
		return nil, fmt.Errorf("cluster: ask %s what it reads: %w", addr, err)
	case resp.StatusCode == http.StatusNotFound:
		return nil, ErrReadsUnknown
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("cluster: ask %s what it reads: HTTP %d", addr, resp.StatusCode)
	}
	return b, nil
}
