package officer

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lumbung/lumbung/schema"
)

// cheap are costs for tests that hash often; DefaultParams are tested and
// measured on their own.
var cheap = Params{Memory: 64, Time: 1, Threads: 1}

// TestPolicy spells out the whole policy, role by action: a change to
// grants that this table does not make too fails here.
func TestPolicy(t *testing.T) {
	want := map[Action]string{ // operator, verifikator, admin, viewer
		ComplaintCreate:  "x...",
		ComplaintRead:    "xx.x",
		IdentityRead:     "xx..",
		ComplaintAct:     ".x..",
		MonografiEnter:   "x...",
		MonografiApprove: ".x..",
		MonografiRead:    "xxxx",
		StatsRead:        ".xxx",
		SyncRead:         "xxxx",
		SyncNow:          "xxx.",
		TokensManage:     "..x.",
		ReferencePublish: "..x.",
		OfficersManage:   "..x.",
		AuditRead:        "..x.",
		ClusterManage:    "..x.",
		NodeRead:         "xxxx",
	}
	if len(want) != len(Actions()) {
		t.Fatalf("the table names %d actions, the policy %d", len(want), len(Actions()))
	}
	for _, a := range Actions() {
		for i, r := range Roles {
			if got, exp := r.May(a), want[a][i] == 'x'; got != exp {
				t.Errorf("%s may %s: %v, want %v", r, a, got, exp)
			}
		}
		if Role("camat").May(a) || Role("").May(a) {
			t.Errorf("a role the policy does not name may %s", a)
		}
	}
	for r, want := range map[Role]bool{Operator: true, Verifikator: true, Admin: false, Viewer: false, "": false} {
		if MayReadIdentity(r) != want {
			t.Errorf("MayReadIdentity(%q) = %v", r, !want)
		}
	}
}

// TestRegionScope: an officer acts in the region of their node and
// below, nowhere else, and a disabled one nowhere.
func TestRegionScope(t *testing.T) {
	a := &Account{Name: "sekcam", Role: Verifikator, Region: "32.14.02"}
	for r, want := range map[schema.Code]bool{"32.14.02": true, "32.14.02.2001": true, "32.14.03.2001": false,
		"32.14": false, "32.15.02": false} {
		if a.MayIn(ComplaintAct, r) != want {
			t.Errorf("a 32.14.02 verifikator acting in %s: %v, want %v", r, !want, want)
		}
	}
	if a.MayIn(OfficersManage, "32.14.02") {
		t.Error("a verifikator manages officers")
	}
	a.Disabled = true
	if a.MayIn(ComplaintAct, "32.14.02") {
		t.Error("a disabled officer acts")
	}
}

func TestHashVerify(t *testing.T) {
	h1, err := Hash("kata sandi yang panjang", cheap)
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := Hash("kata sandi yang panjang", cheap)
	if h1 == h2 {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	if !strings.HasPrefix(h1, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("hash %q does not record its parameters", h1)
	}
	for pw, want := range map[string]bool{"kata sandi yang panjang": true, "kata sandi yang panjanG": false, "": false,
		strings.Repeat("x", MaxPassword+1): false} {
		ok, err := Verify(pw, h1)
		if err != nil || ok != want {
			t.Errorf("Verify(%.20q) = %v, %v; want %v", pw, ok, err, want)
		}
	}
	if !NeedsRehash(h1, DefaultParams) || NeedsRehash(h1, cheap) {
		t.Error("NeedsRehash does not compare the recorded costs")
	}
}

// TestDefaultParams hashes once with the real costs: they are what the
// hash records, and the hash verifies.
func TestDefaultParams(t *testing.T) {
	h, err := Hash("balai desa campaka", DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Fatalf("hash %q", h)
	}
	if ok, err := Verify("balai desa campaka", h); !ok || err != nil {
		t.Fatalf("verify: %v %v", ok, err)
	}
}

// TestBadHashes: a stored hash that is damaged, of another kind, or asks
// for costs past the bounds is ErrBadHash and never a match.
func TestBadHashes(t *testing.T) {
	good, _ := Hash("kata sandi yang panjang", cheap)
	parts := strings.Split(good, "$")
	for name, h := range map[string]string{
		"empty":       "",
		"bcrypt":      "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
		"argon2i":     strings.Replace(good, "argon2id", "argon2i", 1),
		"version":     strings.Replace(good, "v=19", "v=16", 1),
		"huge memory": strings.Join([]string{"", parts[1], parts[2], "m=4194304,t=1,p=1", parts[4], parts[5]}, "$"),
		"many passes": strings.Join([]string{"", parts[1], parts[2], "m=64,t=1000,p=1", parts[4], parts[5]}, "$"),
		"no threads":  strings.Join([]string{"", parts[1], parts[2], "m=64,t=1,p=0", parts[4], parts[5]}, "$"),
		"order":       strings.Join([]string{"", parts[1], parts[2], "t=1,m=64,p=1", parts[4], parts[5]}, "$"),
		"salt":        strings.Join([]string{"", parts[1], parts[2], parts[3], "!!", parts[5]}, "$"),
		"short key":   strings.Join([]string{"", parts[1], parts[2], parts[3], parts[4], "AAAA"}, "$"),
		"extra part":  good + "$x",
	} {
		ok, err := Verify("kata sandi yang panjang", h)
		if ok || !errors.Is(err, ErrBadHash) {
			t.Errorf("%s: %v %v, want ErrBadHash", name, ok, err)
		}
	}
}

func FuzzParseHash(f *testing.F) {
	good, _ := Hash("kata sandi yang panjang", cheap)
	f.Add(good)
	f.Add("$argon2id$v=19$m=65536,t=3,p=2$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5aw")
	f.Add("$argon2id$v=19$m=1,t=1,p=1$$")
	f.Fuzz(func(t *testing.T, s string) {
		h, err := parseHash(s)
		if err != nil {
			return
		}
		if h.p.Memory > maxMemory || h.p.Time > maxTime || h.p.Threads > maxThreads || h.p.Threads == 0 ||
			len(h.key) > 64 || len(h.salt) > 64 {
			t.Fatalf("%q parsed past the bounds: %+v", s, h.p)
		}
	})
}

func TestCheckPassword(t *testing.T) {
	for pw, bad := range map[string]bool{
		"pendek":                             true,
		"sembilan9":                          true,
		"sepuluh10!":                         false,
		"ada\x00nol byte":                    true,
		strings.Repeat("é", MaxPassword/2+1): true,
		"siti.aminah-2026":                   true, // holds the login
		"kantor desa campaka":                false,
	} {
		err := CheckPassword(pw, "siti.aminah")
		if (err != nil) != bad {
			t.Errorf("CheckPassword(%q) = %v", pw, err)
		}
		var e *Error
		if err != nil && (!errors.Is(err, ErrWeakPassword) || !errors.As(err, &e) || e.Msg.ID == "" || e.Msg.EN == "") {
			t.Errorf("CheckPassword(%q): %v has no words", pw, err)
		}
	}
}

func TestNewPassword(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		pw := NewPassword()
		if len(pw) != 14 || strings.ContainsAny(pw, "01lIoO") || CheckPassword(pw, "admin") != nil || seen[pw] {
			t.Fatalf("one-time password %q", pw)
		}
		seen[pw] = true
	}
}

func TestSecrets(t *testing.T) {
	s, h := NewSecret(PrefixSession)
	if got, err := SecretHash(s, PrefixSession); err != nil || got != h {
		t.Fatalf("SecretHash of a fresh secret: %q %v, want %q", got, err, h)
	}
	if strings.Contains(h, s[len(PrefixSession):]) || len(h) != 64 {
		t.Fatalf("hash %q", h)
	}
	s2, _ := NewSecret(PrefixSession)
	if s2 == s {
		t.Fatal("two secrets are equal")
	}
	for name, bad := range map[string]string{
		"other kind": strings.Replace(s, PrefixSession, PrefixToken, 1),
		"truncated":  s[:len(s)-1],
		"longer":     s + "A",
		"not base64": s[:len(s)-1] + "!",
		"padded":     s[:len(s)-1] + "=",
		"empty":      "",
	} {
		if _, err := SecretHash(bad, PrefixSession); !errors.Is(err, ErrBadSecret) {
			t.Errorf("%s: %v, want ErrBadSecret", name, err)
		}
	}
}

func FuzzSecretHash(f *testing.F) {
	s, _ := NewSecret(PrefixToken)
	f.Add(s)
	f.Add(PrefixToken + strings.Repeat("A", 43))
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		h, err := SecretHash(s, PrefixToken)
		if err == nil && (len(s) != len(PrefixToken)+secretChars || len(h) != 64) {
			t.Fatalf("%q accepted", s)
		}
	})
}

func TestSessionCheck(t *testing.T) {
	start := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	acct := &Account{Name: "operator1", Role: Operator, Region: "32.14.02.2001", Gen: 3}
	s := &Session{Officer: "operator1", Gen: 3, Kind: Browser, Created: start.UnixMilli(), Seen: start.UnixMilli()}
	if err := s.Check(acct, start.Add(time.Hour)); err != nil {
		t.Fatalf("a fresh session: %v", err)
	}
	for name, tc := range map[string]struct {
		acct *Account
		at   time.Time
	}{
		"no account":   {nil, start},
		"other":        {&Account{Name: "operator2", Gen: 3}, start},
		"disabled":     {&Account{Name: "operator1", Gen: 3, Disabled: true}, start},
		"new password": {&Account{Name: "operator1", Gen: 4}, start},
		"idle":         {acct, start.Add(2 * time.Hour)},
	} {
		if err := s.Check(tc.acct, tc.at); !errors.Is(err, ErrSessionEnded) {
			t.Errorf("%s: %v, want ErrSessionEnded", name, err)
		}
	}
	busy := *s
	busy.Seen = start.Add(11*time.Hour + 59*time.Minute).UnixMilli()
	if err := busy.Check(acct, start.Add(12*time.Hour-time.Second)); err != nil {
		t.Fatalf("a busy session within the day: %v", err)
	}
	if err := busy.Check(acct, start.Add(12*time.Hour)); !errors.Is(err, ErrSessionEnded) {
		t.Fatalf("a session past 12 hours: %v", err)
	}
	tok := &Session{Officer: "operator1", Gen: 3, Kind: Token, Created: start.UnixMilli(), Seen: start.UnixMilli()}
	if err := tok.Check(acct, start.Add(3*24*time.Hour)); err != nil {
		t.Fatalf("an API token after 3 days: %v", err)
	}
	if s.NeedsTouch(start.Add(time.Minute)) || !s.NeedsTouch(start.Add(TouchEvery)) {
		t.Fatal("NeedsTouch")
	}
}

func TestThrottle(t *testing.T) {
	th := NewThrottle()
	now := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	for i := 1; i <= 4; i++ {
		if th.Fail("acct:operator1", now.Add(time.Duration(i)*time.Minute)) {
			t.Fatalf("locked after %d failures", i)
		}
	}
	if _, locked := th.Locked("acct:operator1", now.Add(4*time.Minute)); locked {
		t.Fatal("locked after 4 failures")
	}
	if !th.Fail("acct:operator1", now.Add(5*time.Minute)) {
		t.Fatal("not locked after 5 failures")
	}
	until, locked := th.Locked("acct:operator1", now.Add(6*time.Minute))
	if !locked || !until.Equal(now.Add(20*time.Minute)) {
		t.Fatalf("locked %v until %v, want until 08:20", locked, until)
	}
	if _, locked := th.Locked("acct:operator2", now.Add(6*time.Minute)); locked {
		t.Fatal("another account is locked too")
	}
	if _, locked := th.Locked("acct:operator1", now.Add(20*time.Minute)); locked {
		t.Fatal("still locked after 15 minutes")
	}

	// Failures spread wider than the window do not add up.
	for i := range 10 {
		if th.Fail("addr:10.0.0.9", now.Add(time.Duration(i)*16*time.Minute)) {
			t.Fatalf("locked by failures 16 minutes apart (%d)", i+1)
		}
	}
	// A good login starts the count again.
	for range 4 {
		th.Fail("acct:verif", now)
	}
	th.Succeed("acct:verif")
	if th.Fail("acct:verif", now) {
		t.Fatal("a good login did not reset the count")
	}
}

// TestThrottleBounded: a guesser rotating addresses cannot grow the
// throttle past its bound, and a locked key in the window is kept before
// older ones.
func TestThrottleBounded(t *testing.T) {
	th := NewThrottle()
	th.Keys = 100
	now := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	for range 5 {
		th.Fail("acct:admin", now)
	}
	for i := range 1000 {
		th.Fail("addr:"+string(rune('a'+i%26))+string(rune('a'+i/26)), now.Add(time.Duration(i)*time.Millisecond))
	}
	if len(th.m) > th.Keys {
		t.Fatalf("%d keys remembered, bound %d", len(th.m), th.Keys)
	}
	if _, locked := th.Locked("acct:admin", now.Add(time.Second)); !locked {
		t.Fatal("a flood of new addresses freed a locked account")
	}
}

func TestAccountCheck(t *testing.T) {
	good := Account{Name: "siti.aminah", FullName: "Siti Aminah", Role: Operator, Region: "32.14.02.2001"}
	if err := good.Check(); err != nil {
		t.Fatal(err)
	}
	for name, mod := range map[string]func(*Account){
		"upper":     func(a *Account) { a.Name = "Siti" },
		"short":     func(a *Account) { a.Name = "si" },
		"digit":     func(a *Account) { a.Name = "1siti" },
		"space":     func(a *Account) { a.Name = "siti aminah" },
		"no name":   func(a *Account) { a.FullName = "  " },
		"control":   func(a *Account) { a.FullName = "Siti\x1b[31m" },
		"long name": func(a *Account) { a.FullName = strings.Repeat("a", MaxFullName+1) },
		"role":      func(a *Account) { a.Role = "camat" },
		"region":    func(a *Account) { a.Region = "32.14.x" },
	} {
		a := good
		mod(&a)
		if err := a.Check(); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
	if strings.Contains(string(mustJSON(t, good.Public())), "hash") {
		t.Fatal("the public view of an account holds its hash")
	}
}

func BenchmarkHash(b *testing.B) {
	for b.Loop() {
		if _, err := Hash("kantor desa campaka", DefaultParams); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	h, _ := Hash("kantor desa campaka", DefaultParams)
	for b.Loop() {
		if ok, _ := Verify("kantor desa campaka", h); !ok {
			b.Fatal("no match")
		}
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
