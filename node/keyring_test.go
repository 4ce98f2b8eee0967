package node

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/cockroachdb/pebble/v2"
	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/seal"
)

// everyByte returns every key and value of s, decoded by Pebble (a raw
// grep of its files would miss compressed blocks).
func everyByte(t *testing.T, s *Store) []byte {
	t.Helper()
	it, err := s.db.NewIter(&pebble.IterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	var all []byte
	for it.First(); it.Valid(); it.Next() {
		all = append(append(append(all, it.Key()...), 0), it.Value()...)
	}
	return all
}

// TestAnonymousSealedAtRest: an anonymous reporter taken at a desa is in
// no key or value of its store in clear; the officer who took it sees
// it; after a restart the office is locked (the complaint shows the
// identity locked) until an officer logs in, or the recovery key is
// given; an officer whose password changed still unlocks it, and a wrong
// recovery key does not.
func TestAnonymousSealedAtRest(t *testing.T) {
	dir := t.TempDir()
	cfg := DefaultConfig(TierDesa, testDesa)
	if err := SaveConfig(dir, cfg); err != nil {
		t.Fatal(err)
	}
	open := func() *Node {
		n, err := Open(dir, cfg, Options{Logger: testLogger(t), PasswordCost: cheapPasswords})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	ctx := context.Background()
	n := open()
	_, recovery, err := n.AddFirstAdmin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.AddOfficer(ctx, officer.Account{Name: "loket", FullName: "Petugas Loket", Role: officer.Operator},
		"balai desa campaka", false); err != nil {
		t.Fatal(err)
	}
	in := testInput(1)
	in.Reporter = schema.Reporter{Name: "Kartawijaya Anonim", NIK: "3214020101700022", Phone: "081299990022", Anonymous: true}
	c, err := n.CreateComplaint(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if c.Reporter.NIK != in.Reporter.NIK {
		t.Fatalf("the officer who took it does not see the reporter: %+v", c.Reporter)
	}
	if got, err := n.Store().Complaint(c.ID); err != nil || got.Reporter.Name != in.Reporter.Name || got.Reporter.IdentityLocked {
		t.Fatalf("unlocked, the complaint reads %+v, %v", got, err)
	}
	all := everyByte(t, n.Store())
	for _, v := range []string{"Kartawijaya", "3214020101700022", "081299990022"} {
		if bytes.Contains(all, []byte(v)) {
			t.Errorf("the store holds %q in clear", v)
		}
	}
	if err := n.Close(); err != nil {
		t.Fatal(err)
	}

	locked := func(n *Node) bool {
		t.Helper()
		got, err := n.Store().Complaint(c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Reporter.IdentityLocked == (got.Reporter.Name != "") {
			t.Fatalf("the reporter %+v", got.Reporter)
		}
		return got.Reporter.IdentityLocked
	}
	n = open()
	if !locked(n) {
		t.Fatal("unlocked after a restart with nobody logged in")
	}
	if hits, nlocked, err := n.Store().SubjectComplaints(in.Reporter.NIK); err != nil || len(hits) != 0 || nlocked != 1 {
		t.Fatalf("a subject-access request while locked: %v %d %v", hits, nlocked, err)
	}
	if _, _, err := n.Login(ctx, "loket", "salah sandi sekali", officer.Browser, "127.0.0.1"); !errors.Is(err, ErrBadLogin) {
		t.Fatal(err)
	}
	if !locked(n) {
		t.Fatal("a failed login unlocked the office")
	}
	if _, _, err := n.Login(ctx, "loket", "balai desa campaka", officer.Browser, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	if locked(n) {
		t.Fatal("still locked after the operator logged in")
	}
	if hits, nlocked, err := n.Store().SubjectComplaints(in.Reporter.NIK); err != nil || len(hits) != 1 || hits[0].ID != c.ID || nlocked != 0 {
		t.Fatalf("a subject-access request, unlocked: %v %d %v", hits, nlocked, err)
	}
	if err := n.SetPassword(ctx, "loket", "balai desa campaka", "kantor desa baru 2026"); err != nil {
		t.Fatal(err)
	}
	if err := n.Close(); err != nil {
		t.Fatal(err)
	}

	n = open()
	defer n.Close()
	if _, _, err := n.Login(ctx, "loket", "kantor desa baru 2026", officer.Browser, "127.0.0.1"); err != nil || locked(n) {
		t.Fatalf("the new password did not unlock: %v", err)
	}
	n.Store().keys.hold(nil) // as after a restart
	other, _ := seal.NewRecoveryKey()
	if err := n.Store().UnlockWithRecovery(other.String()); !errors.Is(err, seal.ErrOpen) || !locked(n) {
		t.Fatalf("another recovery key: %v", err)
	}
	if err := n.Store().UnlockWithRecovery(recovery); err != nil || locked(n) {
		t.Fatalf("the recovery key: %v", err)
	}
}

// TestResealClear: a desa that kept an anonymous reporter in clear before
// its office had a key seals it once the key is made; the identity still
// reads while unlocked, and is locked after a restart.
func TestResealClear(t *testing.T) {
	n := openTestNode(t)
	ctx := context.Background()
	in := testInput(1)
	in.Reporter = schema.Reporter{Name: "Kartawijaya Anonim", NIK: "3214020101700022", Anonymous: true}
	c, err := n.CreateComplaint(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(everyByte(t, n.Store()), []byte(in.Reporter.NIK)) {
		t.Fatal("an office with no key kept the reporter sealed: the test needs a clear one")
	}
	if _, err := n.MakeOfficeKey(ctx); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(everyByte(t, n.Store()), []byte(in.Reporter.NIK)) {
		t.Fatal("the clear reporter is still clear after the key")
	}
	got, err := n.Store().Complaint(c.ID)
	if err != nil || got.Reporter.NIK != in.Reporter.NIK {
		t.Fatalf("the reporter after sealing: %+v %v", got, err)
	}
	n.Store().keys.hold(nil) // as after a restart
	if got, _ := n.Store().Complaint(c.ID); !got.Reporter.IdentityLocked || got.Reporter.NIK != "" {
		t.Fatalf("locked, the reporter reads %+v", got.Reporter)
	}
}

// TestSealedCommandsChecked: a peer's command carrying a sealed identity,
// an office key or a wrapped key that would not read later is refused
// before it runs, as every member decodes it; a well-made one is not.
func TestSealedCommandsChecked(t *testing.T) {
	e, _ := seal.NewEpoch()
	pair, _ := seal.NewKeyPair()
	v, _ := e.Seal([]byte(`{"name":"x"}`), nil)
	sealedKey, _ := e.Sealed(pair.Public)
	anon := `"complaint":{"region":"32.14.02.2001","channel":"walk_in","category":"lainnya","title":"Judul pengaduan","description":"Isi pengaduan yang cukup panjang.","reporter":{"anonymous":true}}`
	good, _ := json.Marshal(sealedIdentity{Value: v, EpochID: e.ID, EpochSealed: sealedKey})
	other, _ := seal.NewEpoch()
	misnamed, _ := json.Marshal(sealedIdentity{Value: v, EpochID: other.ID, EpochSealed: sealedKey})
	for _, tc := range []struct {
		name, cmd string
		refused   bool
	}{
		{"a well-made identity", `{"kind":"complaint.create","v":2,` + anon + `,"identity":` + string(good) + `}`, false},
		{"an empty identity", `{"kind":"complaint.create","v":2,` + anon + `,"identity":{"value":"","epoch_id":[0,0,0,0,0,0,0,0]}}`, true},
		{"an identity under another epoch", `{"kind":"complaint.create","v":2,` + anon + `,"identity":` + string(misnamed) + `}`, true},
		{"a sealed identity beside a clear one", `{"kind":"complaint.create","v":2,` +
			strings.Replace(anon, `"anonymous":true`, `"anonymous":true,"name":"Siti"`, 1) + `,"identity":` + string(good) + `}`, true},
		{"a reseal of garbage", `{"kind":"identity.reseal","v":1,"records":{"3214022001-6XXCVP-0001":{"value":"AAAA"}}}`, true},
		{"an office key that does not parse", `{"kind":"office.key","v":1,"key":{"public":"lmbpub1_x","recovery":""}}`, true},
		{"a wrapped key that does not parse", `{"kind":"officer.change","v":2,"name":"loket","key_wrap":"AAAA"}`, true},
	} {
		_, refused := decodeCommand([]byte(tc.cmd)).(refused)
		if refused != tc.refused {
			t.Errorf("%s: refused %v, want %v", tc.name, refused, tc.refused)
		}
	}
}

// TestDamagedIdentityReadsLocked: a kept identity that no longer opens
// (damaged, or sealed under an epoch this store lost) leaves its
// complaint readable, the reporter shown as unreadable, and the list
// whole.
func TestDamagedIdentityReadsLocked(t *testing.T) {
	n := openTestNode(t)
	ctx := context.Background()
	if _, _, err := n.AddFirstAdmin(ctx); err != nil {
		t.Fatal(err)
	}
	in := testInput(1)
	in.Reporter = schema.Reporter{Name: "Kartawijaya Anonim", Anonymous: true}
	c, err := n.CreateComplaint(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	raw, _, _ := n.Store().get(privateKey(c.ID))
	raw = append([]byte(nil), raw...)
	raw[len(raw)-1] ^= 1
	if err := n.Store().db.Set(privateKey(c.ID), raw, pebble.Sync); err != nil {
		t.Fatal(err)
	}
	got, err := n.Store().Complaint(c.ID)
	if err != nil || !got.Reporter.IdentityLocked || got.Reporter.Name != "" {
		t.Fatalf("a damaged identity: %+v %v", got, err)
	}
	if page, err := n.Store().ListComplaints(ComplaintFilter{Limit: 10}); err != nil || len(page.Complaints) != 1 {
		t.Fatalf("the list with a damaged identity: %v %v", page, err)
	}
}
