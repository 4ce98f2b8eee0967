package node

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"filippo.io/age"
	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/lumbung/lumbung/internal/zstdstream"
)

// backupOnMem makes a desa node's data directory "src" on a MemFS, with one
// complaint, and returns the filesystem, a backup of it and the
// complaint's number.
func backupOnMem(t testing.TB) (*vfs.MemFS, []byte, string) {
	t.Helper()
	mem := vfs.NewMem()
	cfg := DefaultConfig(TierDesa, testDesa)
	cfg.Upstream, cfg.Token, cfg.MetricsToken = "http://127.0.0.1:1", backupSyncToken, backupMetricsToken
	if err := SaveConfigFS(mem, "src", cfg); err != nil {
		t.Fatal(err)
	}
	st := openMemStore(t, mem, "src")
	defer st.Close()
	c, err := st.CreateComplaint(context.Background(), testInput(1))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := st.Backup(&buf, cfg); err != nil {
		t.Fatal(err)
	}
	return mem, buf.Bytes(), c.ID
}

// The secrets of the backed-up node's configuration, which no backup
// may hold (TestBackupRestore).
const (
	backupSyncToken    = "lmb_SYNCT0KENDESA1APT0P0000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE"
	backupMetricsToken = "metrics-token-of-the-desa-laptop"
)

// openMemStore opens the store of the desa data directory dir on mem.
func openMemStore(t testing.TB, mem vfs.FS, dir string) *Store {
	t.Helper()
	sc := DefaultStoreConfig(StoreDir(dir), testDesa)
	sc.FS, sc.Logger = mem, testLogger(t)
	st, err := OpenStore(sc)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestBackupRestore backs up a store and restores it, all on a MemFS: the
// checkpoint is gone, and the restored node has the configuration, the
// complaint and a new origin.
func TestBackupRestore(t *testing.T) {
	mem, backup, id := backupOnMem(t)
	names, _ := mem.List("src")
	slices.Sort(names) // MemFS lists in no fixed order
	if !slices.Equal(names, []string{ConfigFile, "state"}) {
		t.Fatalf("after the backup src holds %q: the checkpoint was left behind", names)
	}
	m, err := RestoreFS(mem, bytes.NewReader(backup), "dst")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mem.Stat("dst.restoring"); err == nil {
		t.Fatal("dst.restoring left behind")
	}
	cfg, err := LoadConfigFS(mem, "dst")
	if err != nil || cfg.Region != testDesa || cfg.Upstream == "" {
		t.Fatalf("restored config %+v, %v", cfg, err)
	}
	// The sync token is bound to the backed-up origin, and with it anyone
	// could speak as that laptop: it is not in the backup, nor is the
	// metrics token, in clear or at all (the archive is compressed, so
	// the check reads it decompressed).
	if cfg.Token != "" || cfg.MetricsToken != "" {
		t.Fatalf("the restored config holds tokens: %+v", cfg)
	}
	zr, err := zstdstream.NewReader(bytes.NewReader(backup))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	plain, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{backupSyncToken, backupMetricsToken} {
		if bytes.Contains(plain, []byte(secret)) {
			t.Fatalf("the backup holds %q", secret)
		}
	}
	st := openMemStore(t, mem, "dst")
	defer st.Close()
	if c, err := st.Complaint(id); err != nil || c == nil {
		t.Fatalf("restored complaint %s: %v, %v", id, c, err)
	}
	if st.Origin().String() == m.Origin {
		t.Fatalf("the restored store kept origin %s", m.Origin)
	}
	if _, err := RestoreFS(mem, bytes.NewReader(backup), "dst"); !errors.Is(err, ErrBackup) {
		t.Fatalf("a restore over a node: %v, want ErrBackup", err)
	}
}

// backupStream compresses tar entries as a backup does; an entry with
// body nil has only its header (its size claimed, its bytes missing).
func backupStream(t testing.TB, entries ...tarEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zstdstream.NewWriter(&buf, zstdstream.Default)
	tw := tar.NewWriter(zw)
	for _, e := range entries {
		size := e.size
		if e.body != nil {
			size = int64(len(e.body))
		}
		if err := tw.WriteHeader(&tar.Header{Name: e.name, Mode: 0o600, Size: size, Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(e.body); err != nil {
			t.Fatal(err)
		}
	}
	_ = tw.Flush() // the last entry may be short on purpose
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type tarEntry struct {
	name string
	size int64
	body []byte
}

// TestRestoreRefusesHugeEntry restores backups whose entries claim more
// than a backup holds: a manifest of 2 MiB (it is read into memory, so it
// may hold 1 MiB) and a state file of 1 TiB. Each is refused with a clear
// error naming the entry and the bound, before its bytes are read, and
// nothing is left behind.
func TestRestoreRefusesHugeEntry(t *testing.T) {
	conf := []byte(`{"tier":"desa","region":"` + string(testDesa) + `","http":"127.0.0.1:8080","max_body_bytes":1048576}`)
	bigManifest := append([]byte(`{"format":1,"region":"`+string(testDesa)+`"}`), bytes.Repeat([]byte(" "), 2<<20)...)
	for name, stream := range map[string][]byte{
		"manifest": backupStream(t, tarEntry{name: backupManifest, body: bigManifest}, tarEntry{name: ConfigFile, body: conf}),
		"state file": backupStream(t, tarEntry{name: backupManifest, body: []byte(`{"format":1}`)},
			tarEntry{name: ConfigFile, body: conf}, tarEntry{name: "state/000001.sst", size: 1 << 40}),
	} {
		mem := vfs.NewMem()
		_, err := RestoreFS(mem, bytes.NewReader(stream), "dst")
		if !errors.Is(err, ErrBackup) || !strings.Contains(err.Error(), "claims") {
			t.Errorf("%s: %v, want ErrBackup naming the size the entry claims", name, err)
		}
		if names, _ := mem.List(""); len(names) != 0 {
			t.Errorf("%s: the failed restore left %q", name, names)
		}
	}
}

// TestRestoreChecksFreeSpace: a backup entry the disk has no room for
// (with the headroom Pebble needs) is refused, naming the space, before a
// byte of it is read or written, and nothing is left behind; with room, a
// backup restores.
func TestRestoreChecksFreeSpace(t *testing.T) {
	conf := []byte(`{"tier":"desa","region":"` + string(testDesa) + `","http":"127.0.0.1:8080","max_body_bytes":1048576}`)
	stream := backupStream(t, tarEntry{name: backupManifest, body: []byte(`{"format":1}`)}, tarEntry{name: ConfigFile, body: conf},
		tarEntry{name: "state/000001.sst", size: 80 << 20})
	mem := vfs.NewMem()
	mem.TestingSetDiskUsage(vfs.DiskUsage{AvailBytes: 120 << 20, TotalBytes: 1 << 30})
	_, err := RestoreFS(mem, bytes.NewReader(stream), "dst")
	if !errors.Is(err, ErrBackup) || !strings.Contains(err.Error(), "free disk space") {
		t.Fatalf("restore onto a full disk: %v, want ErrBackup naming the free space", err)
	}
	if names, _ := mem.List(""); len(names) != 0 {
		t.Fatalf("the refused restore left %q", names)
	}
	_, backup, _ := backupOnMem(t)
	roomy := vfs.NewMem()
	roomy.TestingSetDiskUsage(vfs.DiskUsage{AvailBytes: 1 << 30, TotalBytes: 1 << 30})
	if _, err := RestoreFS(roomy, bytes.NewReader(backup), "dst"); err != nil {
		t.Fatalf("restore with room: %v", err)
	}
}

// TestRestoreRefusesStrangeEntries restores backups with entries a
// backup never holds: each is refused with ErrBackup.
func TestRestoreRefusesStrangeEntries(t *testing.T) {
	man := tarEntry{name: backupManifest, body: []byte(`{"format":1}`)}
	for name, stream := range map[string][]byte{
		"outside":   backupStream(t, man, tarEntry{name: "../escape", body: []byte("x")}),
		"dot-dot":   backupStream(t, man, tarEntry{name: "state/../../escape", body: []byte("x")}),
		"absolute":  backupStream(t, man, tarEntry{name: "/etc/passwd", body: []byte("x")}),
		"twice":     backupStream(t, man, man),
		"long name": backupStream(t, man, tarEntry{name: "state/" + strings.Repeat("a", 300), body: []byte("x")}),
		"no config": backupStream(t, man),
		"not zstd":  []byte("PK\x03\x04 not a backup"),
	} {
		mem := vfs.NewMem()
		if _, err := RestoreFS(mem, bytes.NewReader(stream), "dst"); !errors.Is(err, ErrBackup) {
			t.Errorf("%s: %v, want ErrBackup", name, err)
		}
		if names, _ := mem.List(""); len(names) != 0 {
			t.Errorf("%s: the failed restore left %q", name, names)
		}
	}
}

// FuzzRestore feeds the backup reader arbitrary files: it never panics,
// and a restore that fails leaves nothing behind.
func FuzzRestore(f *testing.F) {
	_, backup, _ := backupOnMem(f)
	f.Add(backup)
	f.Add(backup[:len(backup)/2])
	f.Add(backupStream(f, tarEntry{name: backupManifest, body: []byte(`{"format":1}`)},
		tarEntry{name: "state/000001.sst", size: 1 << 40}))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		mem := vfs.NewMem()
		if _, err := RestoreFS(mem, bytes.NewReader(data), "dst"); err != nil {
			if names, _ := mem.List(""); len(names) != 0 {
				t.Fatalf("a failed restore (%v) left %q", err, names)
			}
		}
	})
}

// TestSealedBackup: a backup sealed with age to a key holds nothing
// readable; it opens with that key and restores, is refused without a key
// or with another one, and an unsealed backup of an older release still
// opens. A backup with no recipient is refused.
func TestSealedBackup(t *testing.T) {
	mem, plainBackup, id := backupOnMem(t)
	key, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	other, _ := age.GenerateX25519Identity()
	cfg, err := LoadConfigFS(mem, "src")
	if err != nil {
		t.Fatal(err)
	}
	st := openMemStore(t, mem, "src")
	var sealed bytes.Buffer
	_, err = st.SealedBackup(&sealed, cfg, key.Recipient())
	if _, uerr := st.SealedBackup(io.Discard, cfg); !errors.Is(uerr, ErrUnsealed) {
		t.Errorf("a backup sealed to nobody: %v", uerr)
	}
	if cerr := st.Close(); err != nil || cerr != nil {
		t.Fatal(err, cerr)
	}
	// Nothing of the plain backup shows through: not its compressed
	// stream, not the complaint.
	if bytes.Contains(sealed.Bytes(), zstdMagic) || bytes.Contains(sealed.Bytes(), []byte(id)) ||
		bytes.Contains(sealed.Bytes(), plainBackup[:64]) {
		t.Fatal("the sealed backup shows its content")
	}
	if _, _, err := OpenBackup(bytes.NewReader(sealed.Bytes())); !errors.Is(err, ErrSealed) {
		t.Errorf("opened with no key: %v", err)
	}
	if _, _, err := OpenBackup(bytes.NewReader(sealed.Bytes()), other); !errors.Is(err, ErrBackup) {
		t.Errorf("opened with another key: %v", err)
	}
	if _, _, err := OpenBackup(strings.NewReader("PK\x03\x04 a zip file")); !errors.Is(err, ErrBackup) {
		t.Errorf("opened a file that is no backup: %v", err)
	}
	r, isSealed, err := OpenBackup(bytes.NewReader(sealed.Bytes()), other, key)
	if err != nil || !isSealed {
		t.Fatalf("open with the key: %v (sealed %v)", err, isSealed)
	}
	if _, err := RestoreFS(mem, r, "dst"); err != nil {
		t.Fatal(err)
	}
	restored := openMemStore(t, mem, "dst")
	defer restored.Close()
	if _, err := restored.Complaint(id); err != nil {
		t.Fatalf("the complaint after a sealed restore: %v", err)
	}
	r, isSealed, err = OpenBackup(bytes.NewReader(plainBackup))
	if err != nil || isSealed {
		t.Fatalf("an older unsealed backup: %v (sealed %v)", err, isSealed)
	}
	if _, err := RestoreFS(mem, r, "old"); err != nil {
		t.Fatalf("restore an older unsealed backup: %v", err)
	}
}
