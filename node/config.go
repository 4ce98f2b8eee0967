package node

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/lumbung/lumbung/internal/atomicfile"
	"github.com/lumbung/lumbung/replication/trust"
	"github.com/lumbung/lumbung/schema"
)

// Tier is the level of government a node serves.
type Tier string

// The tiers.
const (
	TierDesa      Tier = "desa"
	TierKecamatan Tier = "kecamatan"
	TierKabupaten Tier = "kabupaten"
)

// ConfigFile is the name of the configuration written by `lumbung init`
// into the data directory.
const ConfigFile = "lumbung.json"

// Config is what a node needs to run, written once by init. Every field
// can be overridden by a flag or a LUMBUNG_… variable at serve time.
type Config struct {
	// Tier is desa, kecamatan or kabupaten; it must match Region's level.
	Tier Tier `json:"tier"`
	// Region is the Kemendagri code of the region this node serves.
	Region schema.Code `json:"region"`
	// HTTPAddr is where the API listens. A desa laptop listens on
	// loopback by default: the officer's browser is on the same machine.
	HTTPAddr string `json:"http"`
	// SyncAddr, when set, is a listener of its own for the sync exchange
	// of the nodes below (kecamatan, kabupaten), and nothing else: it can
	// face the internet while HTTPAddr stays on the office network.
	SyncAddr string `json:"sync,omitempty"`
	// RaftAddr is the cluster transport address (kecamatan, kabupaten):
	// host:port, reachable by the other members.
	RaftAddr string `json:"raft,omitempty"`
	// Advertise is the URL other members reach this node's API at; it is
	// also its member ID in the cluster. Empty means http://HTTPAddr.
	Advertise string `json:"advertise,omitempty"`
	// Join is the URL of a member of the cluster this member joins; empty
	// means a new member bootstraps a cluster of its own.
	Join string `json:"join,omitempty"`
	// Upstream is the URL of the tier above; empty for a kabupaten.
	Upstream string `json:"upstream,omitempty"`
	// Token is the enrolment token the upstream issued for Region.
	Token string `json:"token,omitempty"`
	// TLSCert and TLSKey are the files of a certificate of a real CA and
	// its key, served instead of the one made from the cluster's key
	// (node/tls.go); read again when they change.
	TLSCert string `json:"tls_cert,omitempty"`
	TLSKey  string `json:"tls_key,omitempty"`
	// MaxBodyBytes bounds a request body. 1 MiB holds the longest
	// complaint many times over; photos travel separately.
	MaxBodyBytes int64 `json:"max_body_bytes"`
	// MetricsToken, when set, lets a Prometheus server elsewhere read
	// /metrics with Authorization: Bearer MetricsToken; without it
	// /metrics answers loopback only.
	MetricsToken string `json:"metrics_token,omitempty"`
	// TokenDays is how many days the sync tokens this node issues live
	// (default: a year, DefaultTokenLifetime); each is replaced by itself
	// once half of it has passed (rotate.go).
	TokenDays int `json:"token_days,omitempty"`
	// EraseIdentityDays, when set, erases the identity of every reporter
	// whose complaint was archived that many days ago (UU 27/2022): this
	// node writes the erasure, which replicates to every tier that holds
	// the identity. Set it at the kabupaten, or wherever the regency's
	// retention rule is kept; 0 erases on request only.
	EraseIdentityDays int `json:"erase_identity_days,omitempty"`
	// AuditDays is how many days the audit trail is kept (default: two
	// years, audit.DefaultRetention).
	AuditDays int `json:"audit_days,omitempty"`
}

// DefaultConfig returns the defaults for a tier and region.
func DefaultConfig(tier Tier, region schema.Code) Config {
	return Config{Tier: tier, Region: region, HTTPAddr: "127.0.0.1:8080", MaxBodyBytes: 1 << 20}
}

// Validate checks that the configuration can run.
func (c *Config) Validate() error {
	want := map[Tier]schema.Level{TierDesa: schema.LevelDesa, TierKecamatan: schema.LevelKecamatan,
		TierKabupaten: schema.LevelKabupaten}
	lvl, ok := want[c.Tier]
	switch {
	case !ok:
		return fmt.Errorf("%w: tier %q: want desa, kecamatan or kabupaten", ErrConfig, c.Tier)
	case !c.Region.Valid():
		return fmt.Errorf("%w: region %q is not a Kemendagri code such as 32.14.02.2001", ErrConfig, c.Region)
	case c.Region.Level() != lvl:
		return fmt.Errorf("%w: region %q is a %s code, but tier is %s", ErrConfig, c.Region, c.Region.Level(), c.Tier)
	case c.HTTPAddr == "":
		return fmt.Errorf("%w: http address is empty", ErrConfig)
	case c.SyncAddr != "" && c.Tier == TierDesa:
		return fmt.Errorf("%w: a desa serves no node below it: it has no sync address (--sync-addr)", ErrConfig)
	case c.SyncAddr != "" && !validHostPort(c.SyncAddr):
		return fmt.Errorf("%w: sync address %q is not host:port", ErrConfig, c.SyncAddr)
	case c.Tier != TierDesa && c.RaftAddr == "":
		return fmt.Errorf("%w: a %s node is a cluster member and needs a raft address (--raft host:port)", ErrConfig, c.Tier)
	case c.Token != "" && !validToken(c.Token):
		_, err := trust.ParseEnrollToken(c.Token)
		return fmt.Errorf("%w: the sync token (--token) is not one `lumbung enroll` prints: %w", ErrConfig, err)
	case c.TokenDays < 0:
		return fmt.Errorf("%w: token_days %d is negative", ErrConfig, c.TokenDays)
	case c.EraseIdentityDays < 0:
		return fmt.Errorf("%w: erase_identity_days %d is negative", ErrConfig, c.EraseIdentityDays)
	case (c.TLSCert == "") != (c.TLSKey == ""):
		return fmt.Errorf("%w: a TLS certificate needs its key, and a key its certificate (--tls-cert with --tls-key)", ErrConfig)
	case c.MaxBodyBytes < 4096:
		return fmt.Errorf("%w: max_body_bytes %d is below 4096", ErrConfig, c.MaxBodyBytes)
	}
	return nil
}

func validToken(s string) bool {
	_, err := trust.ParseEnrollToken(s)
	return err == nil
}

func validHostPort(s string) bool {
	_, _, err := net.SplitHostPort(s)
	return err == nil
}

// AdvertiseURL is the URL other members reach this node at.
func (c *Config) AdvertiseURL() string {
	if c.Advertise != "" {
		return c.Advertise
	}
	return "http://" + c.HTTPAddr
}

// maxConfigBytes bounds the configuration file read: it is a few hundred
// bytes, and it may come from a backup.
const maxConfigBytes = 1 << 20

// SaveConfig writes c into dir, creating dir, and syncs the file.
func SaveConfig(dir string, c Config) error { return SaveConfigFS(vfs.Default, dir, c) }

// SaveConfigFS is SaveConfig on fs. The file is replaced whole or not at
// all (atomicfile.Write).
func SaveConfigFS(fs vfs.FS, dir string, c Config) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if err := fs.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("node: create data directory: %w", err)
	}
	b, _ := json.MarshalIndent(c, "", "  ")
	_, err := atomicfile.Write(fs, fs.PathJoin(dir, ConfigFile), func(w io.Writer) error {
		_, err := w.Write(append(b, '\n'))
		return err
	})
	if err != nil {
		return fmt.Errorf("node: write config: %w", err)
	}
	return nil
}

// LoadConfig reads the configuration init wrote into dir.
func LoadConfig(dir string) (Config, error) { return LoadConfigFS(vfs.Default, dir) }

// LoadConfigFS is LoadConfig on fs.
func LoadConfigFS(fs vfs.FS, dir string) (Config, error) {
	var c Config
	b, err := readFileBounded(fs, fs.PathJoin(dir, ConfigFile), maxConfigBytes, ErrConfig)
	if errors.Is(err, ErrConfig) {
		return c, err
	}
	if err != nil {
		return c, fmt.Errorf("node: %s is not a Lumbung data directory (run `lumbung init` first): %w", dir, err)
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("%w: %s: %w", ErrConfig, ConfigFile, err)
	}
	return c, c.Validate()
}

// readFileBounded reads a whole file of at most limit bytes; a longer one
// is refused with tooLong.
func readFileBounded(fs vfs.FS, name string, limit int64, tooLong error) ([]byte, error) {
	f, err := fs.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err == nil && int64(len(b)) > limit {
		err = fmt.Errorf("%w: %s is longer than %d bytes", tooLong, fs.PathBase(name), limit)
	}
	return b, err
}

// orOS returns fs, or the operating system's filesystem if fs is nil.
func orOS(fs vfs.FS) vfs.FS {
	if fs == nil {
		return vfs.Default
	}
	return fs
}

// StoreDir is where a node keeps its state store inside the data directory.
func StoreDir(dataDir string) string { return filepath.Join(dataDir, "state") }
