package node

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lumbung/lumbung/schema"
)

const (
	testKec = schema.Code("32.14.02")
	testKab = schema.Code("32.14")
)

// planted is an ordinary reporter whose every field is distinctive.
var planted = schema.Reporter{Name: "Sukmawati Tertanam", NIK: "3214024505800077", Phone: "081377770077"}

// office is a store of one office, its key made and held (unlocked).
func office(t testing.TB, region schema.Code) *Store {
	t.Helper()
	cfg := DefaultStoreConfig(t.TempDir(), region)
	cfg.Logger = testLogger(t)
	s, err := OpenStore(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if _, _, err := s.AddFirstAdmin(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// ship applies to every store in to the changes of from, as sync would
// (order within a batch as from's log holds them).
func ship(t testing.TB, from *Store, keep func(*schema.Change) bool, to ...*Store) {
	t.Helper()
	all, _, err := from.LogRange(0, 100000)
	if err != nil {
		t.Fatal(err)
	}
	var changes []*schema.Change
	for _, c := range all {
		if keep == nil || keep(c) {
			changes = append(changes, c)
		}
	}
	for _, s := range to {
		if _, err := s.ApplyChanges(context.Background(), changes); err != nil {
			t.Fatal(err)
		}
	}
}

func officeKeys(c *schema.Change) bool { return strings.HasPrefix(c.Entity, prefixOfficeKey) }

// inClear names the planted fields found in b.
func inClear(b []byte) []string {
	var found []string
	for _, v := range []string{planted.Name, planted.NIK, planted.Phone} {
		if bytes.Contains(b, []byte(v)) {
			found = append(found, v)
		}
	}
	return found
}

// threeTiers is a desa, its kecamatan and its kabupaten, each with its
// key, the two above having published theirs down to the desa, and an
// ordinary reporter taken at the desa, synced up.
func threeTiers(t *testing.T) (desa, kec, kab *Store, id string) {
	t.Helper()
	desa, kec, kab = office(t, testDesa), office(t, testKec), office(t, testKab)
	ship(t, kab, officeKeys, kec, desa)
	ship(t, kec, officeKeys, desa)
	in := testInput(1)
	in.Reporter = planted
	c, err := desa.CreateComplaint(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if c.Reporter.Name != planted.Name || !c.Reporter.Sealed {
		t.Fatalf("the officer who took it sees %+v", c.Reporter)
	}
	ship(t, desa, nil, kec, kab)
	return desa, kec, kab, c.ID
}

// TestOrdinarySealedAcrossTiers: an ordinary reporter taken at a desa is
// sealed to the desa, its kecamatan and its kabupaten, which each read it
// (unlocked), while none of their stores holds it in clear; an office it
// was not sealed to reads it locked; the replicated state is the same
// bytes at every tier.
func TestOrdinarySealedAcrossTiers(t *testing.T) {
	desa, kec, kab, id := threeTiers(t)
	for name, s := range map[string]*Store{"desa": desa, "kecamatan": kec, "kabupaten": kab} {
		c, err := s.Complaint(id)
		if err != nil || c.Reporter.Name != planted.Name || c.Reporter.NIK != planted.NIK || c.Reporter.Phone != planted.Phone {
			t.Errorf("%s reads %+v, %v", name, c, err)
		}
		if found := inClear(everyByte(t, s)); found != nil {
			t.Errorf("%s's store holds %v in clear", name, found)
		}
	}
	other := office(t, "32.14.03")
	ship(t, desa, nil, other)
	if c, err := other.Complaint(id); err != nil || !c.Reporter.IdentityLocked || c.Reporter.Name != "" {
		t.Errorf("an office the reporter was not sealed to reads %+v, %v", c, err)
	}
	d := scopeDigest(t, desa)
	if k := scopeDigest(t, kec); k != d {
		t.Error("the desa's scope differs at the kecamatan")
	}
	if k := scopeDigest(t, kab); k != d {
		t.Error("the desa's scope differs at the kabupaten")
	}
}

func scopeDigest(t *testing.T, s *Store) [32]byte {
	t.Helper()
	d, err := s.ScopeDigests(schema.LevelDesa)
	if err != nil {
		t.Fatal(err)
	}
	return d[testDesa]
}

// TestOfficeKeyOnlyFromItsOffice: an office below that publishes a key
// in the name of the kabupaten is kept (it is a change like any other)
// but never sealed to; nor is an identity written for another desa's
// complaint read.
func TestOfficeKeyOnlyFromItsOffice(t *testing.T) {
	desa, kec := office(t, testDesa), office(t, testKec)
	forged := &schema.Change{Origin: desa.Origin(), Seq: 999, HLC: schema.HLC{Wall: 1}, Actor: "x",
		Entity: officeKeyEntity(testKab), Scope: testDesa, Op: schema.OpOfficeKeySet,
		Body: json.RawMessage(`{"public":"` + mustPublic(t, desa) + `"}`)}
	if _, err := kec.ApplyChanges(context.Background(), []*schema.Change{forged}); err != nil {
		t.Fatal(err)
	}
	if _, found, _ := kec.get(stateKey(officeKeyEntity(testKab))); found {
		t.Fatal("a desa's key published in the kabupaten's name counts")
	}
	if !inComplaintScope("3214022001-6XXCVP-0001", testDesa) || inComplaintScope("3214022001-6XXCVP-0001", "32.14.02.2002") ||
		!inComplaintScope("321402-6XXCVP-0001", testDesa) {
		t.Fatal("a complaint's scope is misread")
	}
}

func mustPublic(t *testing.T, s *Store) string {
	t.Helper()
	p, ok, err := s.OfficePublicKey()
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	return p
}

// sealedValue is the identity's sealed bytes as the store keeps them.
func sealedValue(t *testing.T, s *Store, id string) []byte {
	t.Helper()
	v, _, err := s.HeldIdentity(id)
	if err != nil || len(v) == 0 {
		t.Fatalf("no sealed identity for %s: %v", id, err)
	}
	return v
}

// TestErasureReplicates: an erasure made at the kabupaten reaches the
// kecamatan and the desa; at each the complaint stays, its reporter reads
// erased, and neither the sealed bytes nor their base64 remain in any
// key or value; a desa restored from before the erasure that receives it
// ends erased, and so does one that receives the erasure before the
// identity (a set that comes later never brings it back).
func TestErasureReplicates(t *testing.T) {
	desa, kec, kab, id := threeTiers(t)
	ctx := context.Background()
	value := sealedValue(t, desa, id)
	before, _, err := desa.LogRange(0, 1000) // a backup from before the erasure
	if err != nil {
		t.Fatal(err)
	}
	b64 := []byte(base64.StdEncoding.EncodeToString(value))
	if !bytes.Contains(everyByte(t, kab), b64) {
		t.Fatal("the control: the kabupaten holds no sealed identity to erase")
	}
	erased, err := runLocal(ctx, kab, kindIdentityErase, identityErase{ID: id, Officer: "admin.kab"})
	if err != nil || !erased {
		t.Fatal(erased, err)
	}
	if again, err := runLocal(ctx, kab, kindIdentityErase, identityErase{ID: id}); err != nil || again {
		t.Fatalf("erasing again: %v %v", again, err)
	}
	erasure := func(c *schema.Change) bool { return c.Op == schema.OpIdentityErase }
	ship(t, kab, erasure, kec)
	ship(t, kec, erasure, desa)
	for name, s := range map[string]*Store{"desa": desa, "kecamatan": kec, "kabupaten": kab} {
		c, err := s.Complaint(id)
		if err != nil || !c.Reporter.IdentityErased || c.Reporter.Name != "" || c.Title == "" {
			t.Errorf("%s reads %+v, %v", name, c, err)
		}
		all := everyByte(t, s)
		if bytes.Contains(all, value) || bytes.Contains(all, b64) {
			t.Errorf("%s still holds the sealed identity", name)
		}
	}
	if scopeDigest(t, desa) != scopeDigest(t, kab) || scopeDigest(t, kec) != scopeDigest(t, kab) {
		t.Error("the tiers differ after the erasure")
	}

	// The erasure first, then the identity as a laptop restored from
	// before the erasure sends it again.
	late := office(t, testKec)
	ship(t, kab, erasure, late)
	if _, err := late.ApplyChanges(ctx, before); err != nil {
		t.Fatal(err)
	}
	if c, err := late.Complaint(id); err != nil || !c.Reporter.IdentityErased {
		t.Errorf("erasure before the identity: %+v %v", c, err)
	}
	if all := everyByte(t, late); bytes.Contains(all, b64) {
		t.Error("an identity that came after its erasure is kept")
	}
}

// TestErasureOfClearIdentity: a reporter kept in clear in its complaint's
// create (taken before the office had a key, or by an older release) is
// erased from the create itself, at the tier that erases and at every
// tier the erasure reaches, and once Pebble has compacted, from its
// tables too. (Not from its write-ahead log files: Pebble reuses an old
// one in place, and until it is written over, its old bytes remain. A
// reporter sealed from intake never reaches them in clear; seal/DESIGN.md.)
func TestErasureOfClearIdentity(t *testing.T) {
	ctx := context.Background()
	desa, cfg, c := clearDesa(t, true)
	if inClear(everyByte(t, desa)) == nil {
		t.Fatal("the control: the identity is not in clear before the erasure")
	}
	if err := desa.db.Flush(); err != nil { // into a table, for the control below
		t.Fatal(err)
	}
	if tables(t, cfg.Dir) == nil {
		t.Fatal("the control: no table holds the identity before the erasure")
	}
	kec := office(t, testKec)
	ship(t, desa, nil, kec)
	if _, err := runLocal(ctx, kec, kindIdentityErase, identityErase{ID: c.ID}); err != nil {
		t.Fatal(err)
	}
	ship(t, kec, func(c *schema.Change) bool { return c.Op == schema.OpIdentityErase }, desa)
	for name, s := range map[string]*Store{"desa": desa, "kecamatan": kec} {
		got, err := s.Complaint(c.ID)
		if err != nil || !got.Reporter.IdentityErased || got.Reporter.Name != "" {
			t.Errorf("%s reads %+v %v", name, got, err)
		}
		if found := inClear(everyByte(t, s)); found != nil {
			t.Errorf("%s still holds %v", name, found)
		}
	}
	if scopeDigest(t, desa) != scopeDigest(t, kec) {
		t.Error("the tiers differ after the erasure")
	}
	if err := desa.db.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := desa.db.Compact(ctx, []byte{0}, []byte{0xff}, true); err != nil {
		t.Fatal(err)
	}
	if err := desa.Close(); err != nil {
		t.Fatal(err)
	}
	if found := tables(t, cfg.Dir); found != nil {
		t.Errorf("after compaction, the tables hold %v", found)
	}
}

// tables names the planted fields found in the raw bytes of the Pebble
// tables in dir.
func tables(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var all []byte
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sst") {
			raw, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, raw...)
		}
	}
	return inClear(all)
}

// TestSharedWhenKeysComeDown: a desa laptop that took a reporter before
// it knew its kecamatan's and kabupaten's keys (a laptop offline since
// enrolment) seals the reporter again for them once their keys come
// down, by itself; the kecamatan, which read it locked, then reads it.
// Sealing again once more finds nothing to do.
func TestSharedWhenKeysComeDown(t *testing.T) {
	n := openTestNode(t)
	ctx := context.Background()
	if _, _, err := n.AddFirstAdmin(ctx); err != nil {
		t.Fatal(err)
	}
	desa := n.Store()
	in := testInput(1)
	in.Reporter = planted
	c, err := n.CreateComplaint(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	kec, kab := office(t, testKec), office(t, testKab)
	ship(t, desa, nil, kec)
	if got, err := kec.Complaint(c.ID); err != nil || !got.Reporter.IdentityLocked {
		t.Fatalf("the control: the kecamatan reads a reporter sealed before its key came down: %+v %v", got, err)
	}
	ship(t, kab, officeKeys, desa) // the downlink brings the keys; the node seals again by itself
	ship(t, kec, officeKeys, desa)
	deadline := time.Now().Add(30 * time.Second)
	for {
		ship(t, desa, nil, kec)
		if got, err := kec.Complaint(c.ID); err == nil && got.Reporter.NIK == planted.NIK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the reporter was not sealed again for the kecamatan")
		}
		time.Sleep(20 * time.Millisecond) // the node's own worker seals; the test ships what it wrote
	}
	if again, _, err := desa.shareIdentities(ctx); err != nil || again != 0 {
		t.Errorf("sealing again: %d %v", again, err)
	}
	if found := inClear(everyByte(t, kec)); found != nil {
		t.Errorf("the kecamatan holds %v in clear", found)
	}
}

// TestClearReporterSealedLater: a reporter kept in clear in its
// complaint's create (taken before the office had a key) is sealed once
// the office has one, and leaves the create at the desa and, as the
// change reaches them, at the tiers above; they read it sealed.
func TestClearReporterSealedLater(t *testing.T) {
	ctx := context.Background()
	desa, _, c := clearDesa(t, false)
	kec, kab := office(t, testKec), office(t, testKab)
	ship(t, kab, officeKeys, desa)
	ship(t, kec, officeKeys, desa)
	ship(t, desa, nil, kec, kab)
	if inClear(everyByte(t, kec)) == nil {
		t.Fatal("the control: the kecamatan does not hold the reporter in clear")
	}
	if _, _, err := desa.AddFirstAdmin(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _, err := desa.shareIdentities(ctx); err != nil || n != 1 {
		t.Fatalf("sealed %d, %v; want 1", n, err)
	}
	ship(t, desa, nil, kec, kab)
	for name, s := range map[string]*Store{"desa": desa, "kecamatan": kec, "kabupaten": kab} {
		got, err := s.Complaint(c.ID)
		if err != nil || got.Reporter.NIK != planted.NIK {
			t.Errorf("%s reads %+v, %v", name, got, err)
		}
		if found := inClear(everyByte(t, s)); found != nil {
			t.Errorf("%s still holds %v in clear", name, found)
		}
	}
	if scopeDigest(t, desa) != scopeDigest(t, kab) {
		t.Error("the tiers differ")
	}
}

// TestRetentionErasesArchived: the retention rule erases the reporter of
// a complaint archived before its cutoff, and of no other; it counts
// each once.
func TestRetentionErasesArchived(t *testing.T) {
	n := openTestNode(t)
	ctx := context.Background()
	if _, _, err := n.AddFirstAdmin(ctx); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range 2 {
		in := testInput(i)
		in.Reporter = planted
		c, err := n.CreateComplaint(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	for _, a := range []schema.Action{schema.ActReject, schema.ActArchive} {
		if _, err := n.ActOnComplaint(ctx, ids[0], &schema.ActionInput{Action: a, Reason: "duplicate"}); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := n.EraseArchived(ctx, time.Now().Add(-24*time.Hour)); err != nil || got != 0 {
		t.Fatalf("archived after the cutoff: erased %d, %v", got, err)
	}
	if got, err := n.EraseArchived(ctx, time.Now().Add(time.Hour)); err != nil || got != 1 {
		t.Fatalf("archived before the cutoff: erased %d, %v", got, err)
	}
	if got, err := n.EraseArchived(ctx, time.Now().Add(time.Hour)); err != nil || got != 0 {
		t.Fatalf("again: erased %d, %v", got, err)
	}
	if c, err := n.Store().Complaint(ids[0]); err != nil || !c.Reporter.IdentityErased || c.Status != schema.StatusArchived {
		t.Errorf("the archived complaint reads %+v, %v", c, err)
	}
	if c, err := n.Store().Complaint(ids[1]); err != nil || c.Reporter.NIK != planted.NIK {
		t.Errorf("the open complaint reads %+v, %v", c, err)
	}
	bad := DefaultConfig(TierDesa, testDesa)
	bad.EraseIdentityDays = -1
	if err := bad.Validate(); !errors.Is(err, ErrConfig) {
		t.Errorf("a negative retention: %v", err)
	}
}

// clearDesa is a desa store with no officer and so no key, which keeps
// the planted reporter it took in clear in its create, as before sealing;
// plain writes its tables uncompressed.
func clearDesa(t *testing.T, plain bool) (*Store, StoreConfig, *schema.Complaint) {
	t.Helper()
	cfg := DefaultStoreConfig(t.TempDir(), testDesa)
	cfg.Logger, cfg.plainTables = testLogger(t), plain
	desa, err := OpenStore(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = desa.Close() })
	in := testInput(1)
	in.Reporter = planted
	c, err := desa.CreateComplaint(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return desa, cfg, c
}
