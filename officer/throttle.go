package officer

import "time"

// Throttle counts failed logins per key (an account name, an address)
// and locks a key after Max failures within Window, for Lock (DHIS2's
// rule: 5 failures, 15 minutes). It takes the time from its caller and
// does no I/O. It is not safe for concurrent use: its caller guards it.
//
// It lives in one process's memory: a member of a cluster throttles the
// logins it sees, so a guesser spread over three members gets three
// times the tries, each slowed by argon2id; a restart forgets the count.
type Throttle struct {
	Max    int
	Window time.Duration
	Lock   time.Duration
	// Keys bounds the keys remembered; past it, keys whose window and
	// lock have passed are forgotten first, then the oldest.
	Keys int
	m    map[string]*strikes
}

type strikes struct {
	n      int
	first  time.Time // the first failure of the window
	locked time.Time // locked until then
}

// NewThrottle returns a throttle with DHIS2's rule and room for 10,000
// keys.
func NewThrottle() *Throttle {
	return &Throttle{Max: 5, Window: 15 * time.Minute, Lock: 15 * time.Minute, Keys: 10000, m: map[string]*strikes{}}
}

// Locked says until when key is locked, if it is at now.
func (t *Throttle) Locked(key string, now time.Time) (time.Time, bool) {
	s := t.m[key]
	if s == nil || !now.Before(s.locked) {
		return time.Time{}, false
	}
	return s.locked, true
}

// Fail records a failed login of key at now, and says whether the key is
// now locked.
func (t *Throttle) Fail(key string, now time.Time) bool {
	s := t.m[key]
	if s == nil || now.Sub(s.first) >= t.Window && !now.Before(s.locked) {
		if s == nil && len(t.m) >= t.Keys {
			t.forget(now)
		}
		s = &strikes{first: now}
		t.m[key] = s
	}
	s.n++
	if s.n >= t.Max {
		s.locked, s.n, s.first = now.Add(t.Lock), 0, now
		return true
	}
	return false
}

// Succeed forgets key's failures: a good login starts the count again.
func (t *Throttle) Succeed(key string) { delete(t.m, key) }

// forget drops the keys whose window and lock have passed and, if that
// frees nothing, the unlocked key whose window began first (or, when
// every key is locked, the one whose lock ends first): a guesser who
// floods the throttle with new addresses never frees a locked account.
func (t *Throttle) forget(now time.Time) {
	var victim string
	var vs *strikes
	for k, s := range t.m {
		if now.Sub(s.first) >= t.Window && !now.Before(s.locked) {
			delete(t.m, k)
			continue
		}
		locked := now.Before(s.locked)
		switch {
		case vs == nil:
		case locked && !now.Before(vs.locked): // keep the unlocked victim
			continue
		case !locked && now.Before(vs.locked): // an unlocked key goes first
		case locked && !s.locked.Before(vs.locked):
			continue
		case !locked && !s.first.Before(vs.first):
			continue
		}
		victim, vs = k, s
	}
	if len(t.m) >= t.Keys && vs != nil {
		delete(t.m, victim)
	}
}
