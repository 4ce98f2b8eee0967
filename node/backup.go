package node

import (
	"archive/tar"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/klauspost/compress/zstd"
)

// A backup is a zstd-compressed tar of a Pebble checkpoint of the state
// store (a consistent point-in-time copy, taken while the node runs) and
// the node's configuration, with a manifest first:
//
//	MANIFEST.json  lumbung.json  state/…
//
// Restoring gives the node a new incarnation: changes it writes after the
// restore carry a new origin, so their sequence numbers can never collide
// with what the node sent before the backup was taken.

// ErrBackup marks a file that is not a Lumbung backup, or a restore that
// would overwrite data.
var ErrBackup = errors.New("node: bad backup")

// Manifest describes a backup.
type Manifest struct {
	Format      int    `json:"format"`
	Region      string `json:"region"`
	Origin      string `json:"origin"`
	LogPosition uint64 `json:"log_position"`
}

// maxBackupFile bounds one file read from a backup, so that a corrupt or
// hostile archive cannot fill the disk through one header.
const maxBackupFile = 64 << 30

// Backup writes a backup of the running store and cfg to w.
func (s *Store) Backup(w io.Writer, cfg Config) (Manifest, error) {
	m := Manifest{Format: 1, Region: string(cfg.Region), Origin: s.Origin().String(), LogPosition: s.DurablePos()}
	tmp, err := os.MkdirTemp("", "lumbung-backup-")
	if err != nil {
		return m, fmt.Errorf("node: backup: %w", err)
	}
	defer os.RemoveAll(tmp)
	ckpt := filepath.Join(tmp, "state")
	if err := s.db.Checkpoint(ckpt); err != nil {
		return m, fmt.Errorf("node: backup checkpoint: %w", err)
	}
	zw, err := zstd.NewWriter(w, zstd.WithEncoderLevel(zstd.SpeedDefault))
	if err != nil {
		return m, fmt.Errorf("node: backup: %w", err)
	}
	tw := tar.NewWriter(zw)
	man, _ := json.MarshalIndent(m, "", "  ")
	conf, _ := json.MarshalIndent(cfg, "", "  ")
	if err := writeTarFile(tw, "MANIFEST.json", man); err != nil {
		return m, err
	}
	if err := writeTarFile(tw, ConfigFile, conf); err != nil {
		return m, err
	}
	if err := tarDir(tw, ckpt, "state"); err != nil {
		return m, err
	}
	if err := tw.Close(); err != nil {
		return m, fmt.Errorf("node: backup: %w", err)
	}
	if err := zw.Close(); err != nil {
		return m, fmt.Errorf("node: backup: %w", err)
	}
	return m, nil
}

func writeTarFile(tw *tar.Writer, name string, b []byte) error {
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: int64(len(b))}); err != nil {
		return fmt.Errorf("node: backup %s: %w", name, err)
	}
	if _, err := tw.Write(b); err != nil {
		return fmt.Errorf("node: backup %s: %w", name, err)
	}
	return nil
}

func tarDir(tw *tar.Writer, dir, prefix string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("node: backup: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() {
			if err := tarDir(tw, filepath.Join(dir, e.Name()), prefix+"/"+e.Name()); err != nil {
				return err
			}
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return fmt.Errorf("node: backup: %w", err)
		}
		if err := writeTarFile(tw, prefix+"/"+e.Name(), b); err != nil {
			return err
		}
	}
	return nil
}

// Restore unpacks a backup into dataDir, which must not hold a node, and
// gives the restored store a new incarnation. It returns the manifest.
func Restore(r io.Reader, dataDir string) (Manifest, error) {
	var m Manifest
	if _, err := os.Stat(filepath.Join(dataDir, ConfigFile)); err == nil {
		return m, fmt.Errorf("%w: %s already holds a node; restore into an empty directory", ErrBackup, dataDir)
	}
	zr, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1))
	if err != nil {
		return m, fmt.Errorf("%w: %w", ErrBackup, err)
	}
	defer zr.Close()
	tmp := dataDir + ".restoring"
	_ = os.RemoveAll(tmp)
	if m, err = untar(tar.NewReader(zr), tmp); err != nil {
		_ = os.RemoveAll(tmp)
		return m, err
	}
	if err := newIncarnation(tmp); err != nil {
		_ = os.RemoveAll(tmp)
		return m, err
	}
	if err := os.MkdirAll(filepath.Dir(dataDir), 0o700); err != nil {
		return m, fmt.Errorf("node: restore: %w", err)
	}
	_ = os.Remove(dataDir) // an empty directory is fine to replace
	if err := os.Rename(tmp, dataDir); err != nil {
		return m, fmt.Errorf("node: restore: %w", err)
	}
	return m, nil
}

func untar(tr *tar.Reader, dir string) (Manifest, error) {
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
		name := filepath.Clean(h.Name)
		if h.Typeflag != tar.TypeReg || strings.HasPrefix(name, "..") || filepath.IsAbs(name) || h.Size > maxBackupFile {
			return m, fmt.Errorf("%w: unexpected entry %q", ErrBackup, h.Name)
		}
		if err := extract(tr, filepath.Join(dir, name)); err != nil {
			return m, err
		}
		seen[name] = true
	}
	if !seen["MANIFEST.json"] || !seen[ConfigFile] {
		return m, fmt.Errorf("%w: manifest or configuration missing", ErrBackup)
	}
	b, err := os.ReadFile(filepath.Join(dir, "MANIFEST.json"))
	if err == nil {
		err = json.Unmarshal(b, &m)
	}
	if err != nil || m.Format != 1 {
		return m, fmt.Errorf("%w: unreadable manifest", ErrBackup)
	}
	return m, nil
}

func extract(r io.Reader, path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("node: restore: %w", err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("node: restore: %w", err)
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return fmt.Errorf("%w: %w", ErrBackup, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("node: restore: %w", err)
	}
	return f.Close()
}

// newIncarnation opens a restored data directory and gives it a new
// identity.
func newIncarnation(dataDir string) error {
	cfg, err := LoadConfig(dataDir)
	if err != nil {
		return err
	}
	st, err := OpenStore(DefaultStoreConfig(StoreDir(dataDir), cfg.Region))
	if err != nil {
		return err
	}
	if err := st.setIncarnation(NewIncarnation()); err != nil {
		st.Close()
		return err
	}
	return st.Close()
}
