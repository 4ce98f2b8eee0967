package node

import (
	"archive/tar"
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	iofs "io/fs"
	"path/filepath"
	"strings"

	"filippo.io/age"
	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/lumbung/lumbung/internal/atomicfile"
	"github.com/lumbung/lumbung/internal/zstdstream"
)

// A backup is a zstd-compressed tar of a Pebble checkpoint of the state
// store (a consistent point-in-time copy, taken while the node runs) and
// the node's configuration, with a manifest first:
//
//	MANIFEST.json  lumbung.json  state/…
//
// sealed with age (SealedBackup) to a passphrase or to recipients' public
// keys: a backup holds every complaint the node holds, and it leaves the
// machine on a USB stick. OpenBackup opens one with a passphrase or an
// identity; a backup an older release wrote unsealed is still restored.
//
// Restoring gives the node a new incarnation: changes it writes after the
// restore carry a new origin, so their sequence numbers can never collide
// with what the node sent before the backup was taken.
//
// A backup file comes from outside (a USB stick, another office), so the
// reader trusts no size in it: every file is streamed to disk, never held
// whole in memory; the two read into memory (the manifest and the
// configuration) are bounded by maxBackupMeta, a state file by
// maxBackupFile, a name by maxBackupName, and the zstd window by
// zstdstream.MaxWindow. A bad or hostile file is refused with ErrBackup,
// naming the entry.

// Manifest describes a backup.
type Manifest struct {
	Format      int    `json:"format"`
	Region      string `json:"region"`
	Origin      string `json:"origin"`
	LogPosition uint64 `json:"log_position"`
}

// backupManifest is the name of the manifest in a backup.
const backupManifest = "MANIFEST.json"

// Bounds on what one entry of a backup may claim. The manifest and the
// configuration are read into memory: a few hundred bytes each. A state
// file is streamed to disk; its bound keeps one header from claiming more
// than any disk holds. A name is bounded too: Pebble's are a few dozen
// bytes, and every name read is kept (to refuse a second entry of it).
const (
	maxBackupMeta = 1 << 20
	maxBackupFile = 64 << 30
	maxBackupName = 255
)

// Backup writes a backup of the running store and cfg to w. The
// checkpoint it reads from is made beside the store, on the store's
// filesystem (so Pebble links the tables rather than copying them), and
// removed when the backup is written. Each file is streamed into the
// archive, never read whole.
func (s *Store) Backup(w io.Writer, cfg Config) (Manifest, error) {
	m := Manifest{Format: 1, Region: string(cfg.Region), Origin: s.Origin().String(), LogPosition: s.DurablePos()}
	fs := orOS(s.cfg.FS)
	ckpt, err := atomicfile.TempName(s.cfg.Dir + ".backup")
	if err != nil {
		return m, fmt.Errorf("node: backup: %w", err)
	}
	defer fs.RemoveAll(ckpt)
	if err := s.db.Checkpoint(ckpt); err != nil {
		return m, fmt.Errorf("node: backup checkpoint: %w", err)
	}
	zw := zstdstream.NewWriter(w, zstdstream.Default)
	err = writeBackup(tar.NewWriter(zw), fs, m, cfg, ckpt)
	if cerr := zw.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("node: backup: %w", cerr)
	}
	return m, err
}

// ErrUnsealed refuses a backup with no recipient to seal it to, and
// ErrSealed a sealed backup opened without a passphrase or identity.
var (
	ErrUnsealed = errors.New("node: a backup must be sealed to a passphrase or a recipient")
	ErrSealed   = errors.New("node: the backup is sealed; its passphrase or identity is needed")
)

// ageHeader begins every age file; zstdMagic every unsealed backup.
var (
	ageHeader = []byte("age-encryption.org/v1\n")
	zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}
)

// SealedBackup is Backup sealed with age to every recipient in to (at
// least one: an X25519 public key, or a passphrase through
// age.NewScryptRecipient).
func (s *Store) SealedBackup(w io.Writer, cfg Config, to ...age.Recipient) (Manifest, error) {
	if len(to) == 0 {
		return Manifest{}, ErrUnsealed
	}
	aw, err := age.Encrypt(w, to...)
	if err != nil {
		return Manifest{}, fmt.Errorf("node: seal backup: %w", err)
	}
	m, err := s.Backup(aw, cfg)
	if cerr := aw.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("node: seal backup: %w", cerr)
	}
	return m, err
}

// OpenBackup returns what Restore reads from the backup r: r opened with
// the first of ids that it was sealed to, or, for a backup an older
// release wrote unsealed, r itself (sealed is then false). A sealed backup
// with no matching identity is refused with ErrSealed or ErrBackup.
func OpenBackup(r io.Reader, ids ...age.Identity) (plain io.Reader, sealed bool, err error) {
	br := bufio.NewReader(r)
	head, _ := br.Peek(len(ageHeader))
	switch {
	case bytes.HasPrefix(head, zstdMagic):
		return br, false, nil
	case !bytes.Equal(head, ageHeader):
		return nil, false, fmt.Errorf("%w: neither a sealed backup nor an older unsealed one", ErrBackup)
	case len(ids) == 0:
		return nil, true, ErrSealed
	}
	plain, err = age.Decrypt(br, ids...)
	var none *age.NoIdentityMatchError
	if errors.As(err, &none) {
		return nil, true, fmt.Errorf("%w: the passphrase or identity given does not open it", ErrBackup)
	}
	if err != nil {
		return nil, true, fmt.Errorf("%w: %w", ErrBackup, err)
	}
	return plain, true, nil
}

func writeBackup(tw *tar.Writer, fs vfs.FS, m Manifest, cfg Config, ckpt string) error {
	// No secret of the configuration goes into a backup: the sync token
	// is bound to this origin, so whoever held it could speak as this
	// laptop (a restored node has a new origin and gets a new token
	// anyway: lumbung sync token --set), and the metrics token is set
	// again by hand.
	cfg.Token, cfg.MetricsToken = "", ""
	man, _ := json.MarshalIndent(m, "", "  ")
	conf, _ := json.MarshalIndent(cfg, "", "  ")
	if err := writeTarFile(tw, backupManifest, int64(len(man)), bytes.NewReader(man)); err != nil {
		return err
	}
	if err := writeTarFile(tw, ConfigFile, int64(len(conf)), bytes.NewReader(conf)); err != nil {
		return err
	}
	if err := tarDir(tw, fs, ckpt, "state"); err != nil {
		return err
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("node: backup: %w", err)
	}
	return nil
}

// writeTarFile writes one entry of size bytes, streamed from r.
func writeTarFile(tw *tar.Writer, name string, size int64, r io.Reader) error {
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: size}); err != nil {
		return fmt.Errorf("node: backup %s: %w", name, err)
	}
	if _, err := io.CopyN(tw, r, size); err != nil {
		return fmt.Errorf("node: backup %s: %w", name, err)
	}
	return nil
}

// tarDir writes every file under dir, streaming each, as prefix/….
func tarDir(tw *tar.Writer, fs vfs.FS, dir, prefix string) error {
	names, err := fs.List(dir)
	if err != nil {
		return fmt.Errorf("node: backup: %w", err)
	}
	for _, name := range names {
		path := fs.PathJoin(dir, name)
		st, err := fs.Stat(path)
		if err != nil {
			return fmt.Errorf("node: backup: %w", err)
		}
		if st.IsDir() {
			err = tarDir(tw, fs, path, prefix+"/"+name)
		} else {
			err = tarFile(tw, fs, path, prefix+"/"+name, st.Size())
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func tarFile(tw *tar.Writer, fs vfs.FS, path, name string, size int64) error {
	f, err := fs.Open(path, vfs.SequentialReadsOption)
	if err != nil {
		return fmt.Errorf("node: backup: %w", err)
	}
	defer f.Close()
	return writeTarFile(tw, name, size, f)
}

// Restore unpacks a backup into dataDir, which must not hold a node, and
// gives the restored store a new incarnation. It returns the manifest.
func Restore(r io.Reader, dataDir string) (Manifest, error) {
	return RestoreFS(vfs.Default, r, dataDir)
}

// RestoreFS is Restore on fs. It unpacks into dataDir.restoring and
// renames that to dataDir only once the store opened: a failed restore
// leaves no dataDir and no dataDir.restoring behind.
func RestoreFS(fs vfs.FS, r io.Reader, dataDir string) (Manifest, error) {
	var m Manifest
	if _, err := fs.Stat(fs.PathJoin(dataDir, ConfigFile)); err == nil {
		return m, fmt.Errorf("%w: %s already holds a node; restore into an empty directory", ErrBackup, dataDir)
	}
	zr, err := zstdstream.NewReader(r)
	if err != nil {
		return m, fmt.Errorf("%w: %w", ErrBackup, err)
	}
	defer zr.Close()
	tmp := dataDir + ".restoring"
	_ = fs.RemoveAll(tmp)
	if m, err = untar(fs, tar.NewReader(zr), tmp); err == nil {
		err = newIncarnation(fs, tmp)
	}
	if err == nil {
		err = atomicfile.SyncDir(fs, tmp)
	}
	if err != nil {
		_ = fs.RemoveAll(tmp)
		return m, err
	}
	parent := fs.PathDir(dataDir)
	if err := fs.MkdirAll(parent, 0o700); err != nil {
		return m, fmt.Errorf("node: restore: %w", err)
	}
	_ = fs.Remove(dataDir) // an empty directory is fine to replace
	if err := fs.Rename(tmp, dataDir); err != nil {
		_ = fs.RemoveAll(tmp)
		return m, fmt.Errorf("node: restore: %w", err)
	}
	if err := atomicfile.SyncDir(fs, parent); err != nil {
		return m, fmt.Errorf("node: restore: %w", err)
	}
	return m, nil
}

// untar unpacks a backup's entries into dir, streaming each, and returns
// its manifest.
func untar(fs vfs.FS, tr *tar.Reader, dir string) (Manifest, error) {
	var m Manifest
	seen := map[string]bool{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return m, fmt.Errorf("%w: %w", ErrBackup, err)
		}
		if err := checkEntry(h, seen); err != nil {
			return m, err
		}
		seen[h.Name] = true
		var body io.Reader = tr
		if h.Name == backupManifest {
			raw, err := readManifest(tr, &m)
			if err != nil {
				return m, err
			}
			body = bytes.NewReader(raw)
		}
		if err := roomFor(fs, dir, h.Name, h.Size); err != nil {
			return m, err
		}
		if err := extract(fs, body, h.Size, fs.PathJoin(dir, filepath.FromSlash(h.Name))); err != nil {
			return m, err
		}
	}
	if !seen[backupManifest] || !seen[ConfigFile] {
		return m, fmt.Errorf("%w: manifest or configuration missing", ErrBackup)
	}
	return m, nil
}

// restoreHeadroom is the free space a restore leaves on the disk beyond
// the files it writes: Pebble needs room to open the store, replay its
// WAL and compact.
const restoreHeadroom = 64 << 20

// roomFor refuses an entry of size bytes the disk under dir has no room
// for, before a byte of it is written: a backup's entries together may
// claim far more than any disk holds (each is bounded, their sum is not).
// A filesystem that cannot say how full it is is not checked.
func roomFor(fs vfs.FS, dir, name string, size int64) error {
	var du vfs.DiskUsage
	var err error
	for d := dir; ; d = fs.PathDir(d) {
		if du, err = fs.GetDiskUsage(d); err == nil || fs.PathDir(d) == d {
			break
		}
	}
	if err != nil {
		return nil
	}
	if uint64(size)+restoreHeadroom > du.AvailBytes {
		return fmt.Errorf("%w: not enough free disk space for %s: it needs %d MB, %d MB are free",
			ErrBackup, name, (size+restoreHeadroom)>>20, du.AvailBytes>>20)
	}
	return nil
}

// checkEntry refuses an entry a Backup does not write: not a regular
// file, a name outside MANIFEST.json, lumbung.json and state/…, a name
// seen before, or a size past the bound for its kind.
func checkEntry(h *tar.Header, seen map[string]bool) error {
	name := h.Name
	limit := int64(maxBackupMeta)
	switch {
	case name == backupManifest || name == ConfigFile:
	case strings.HasPrefix(name, "state/") && len(name) <= maxBackupName && iofs.ValidPath(name) &&
		!strings.ContainsAny(name, `\:`):
		limit = maxBackupFile
	default:
		return fmt.Errorf("%w: unexpected entry %q", ErrBackup, name)
	}
	switch {
	case h.Typeflag != tar.TypeReg:
		return fmt.Errorf("%w: entry %q is not a regular file", ErrBackup, name)
	case seen[name]:
		return fmt.Errorf("%w: entry %q appears twice", ErrBackup, name)
	case h.Size > limit:
		return fmt.Errorf("%w: entry %q claims %d bytes, more than the %d it may hold", ErrBackup, name, h.Size, limit)
	}
	return nil
}

// readManifest reads the manifest entry (bounded by checkEntry) into m
// and returns its bytes.
func readManifest(r io.Reader, m *Manifest) ([]byte, error) {
	raw, err := io.ReadAll(io.LimitReader(r, maxBackupMeta))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBackup, err)
	}
	if err := json.Unmarshal(raw, m); err != nil || m.Format != 1 {
		return nil, fmt.Errorf("%w: unreadable manifest", ErrBackup)
	}
	return raw, nil
}

// extract writes size bytes of r to a new file at path, readable by its
// owner only, and syncs it.
func extract(fs vfs.FS, r io.Reader, size int64, path string) error {
	if err := fs.MkdirAll(fs.PathDir(path), 0o700); err != nil {
		return fmt.Errorf("node: restore: %w", err)
	}
	f, err := atomicfile.Create(fs, path)
	if err != nil {
		return fmt.Errorf("node: restore: %w", err)
	}
	if _, err := io.CopyN(f, r, size); err != nil {
		f.Close()
		return fmt.Errorf("%w: %s: %w", ErrBackup, path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("node: restore: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("node: restore: %w", err)
	}
	return nil
}

// newIncarnation opens a restored data directory and gives it a new
// identity.
func newIncarnation(fs vfs.FS, dataDir string) error {
	cfg, err := LoadConfigFS(fs, dataDir)
	if err != nil {
		return err
	}
	sc := DefaultStoreConfig(StoreDir(dataDir), cfg.Region)
	sc.FS = fs
	st, err := OpenStore(sc)
	if err != nil {
		return err
	}
	if err := st.setIncarnation(NewIncarnation()); err != nil {
		st.Close()
		return err
	}
	return st.Close()
}
