package exchange

import (
	"sync"
	"sync/atomic"
)

// An idle request is held open until something arrives for its link (up
// to its wait): each costs a goroutine and a connection for as long as
// twenty minutes. A laptop holds one at a time, so a server bounds them:
// per token (DefaultMaxHeldPerLink; one more is refused, 429
// too_many_held, which the review's 2,000 long-polls with one token now
// meet) and in total (DefaultMaxHeld; past it an idle request is answered
// at once instead of held, and the uplink asks again after its pause).

// Default bounds on held requests.
const (
	DefaultMaxHeldPerLink = 4
	DefaultMaxHeld        = 2048
)

// holds counts the requests a server holds, by link.
type holds struct {
	mu      sync.Mutex
	total   int
	perLink map[string]int
	refused atomic.Int64
}

// take holds one more request of link if the bounds allow: ok says it
// may be held, full that its link is at its own bound.
func (h *holds) take(link string, maxTotal, maxLink int) (ok, full bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.perLink == nil {
		h.perLink = map[string]int{}
	}
	switch {
	case h.perLink[link] >= maxLink:
		h.refused.Add(1)
		return false, true
	case h.total >= maxTotal:
		h.refused.Add(1)
		return false, false
	}
	h.perLink[link]++
	h.total++
	return true, false
}

// give releases a request take held.
func (h *holds) give(link string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.total--
	if h.perLink[link]--; h.perLink[link] <= 0 {
		delete(h.perLink, link)
	}
}

// Held reports how many requests the server holds now, the bound on
// them, and how many it declined to hold since it started (metrics).
func (s *Server) Held() (now, limit int, declined int64) {
	s.holds.mu.Lock()
	defer s.holds.mu.Unlock()
	return s.holds.total, s.maxHeld(), s.holds.refused.Load()
}

func (s *Server) maxHeld() int {
	if s.MaxHeld > 0 {
		return s.MaxHeld
	}
	return DefaultMaxHeld
}

func (s *Server) maxHeldPerLink() int {
	if s.MaxHeldPerLink > 0 {
		return s.MaxHeldPerLink
	}
	return DefaultMaxHeldPerLink
}
