package node

import (
	"errors"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/lumbung/lumbung/internal/atomicfile"
	"github.com/lumbung/lumbung/replication/cluster"
)

// MemberKeyFile holds a cluster member's member key (cluster.NewMemberKey)
// in its data directory, readable by the service's user only. It is not
// in the configuration, so a backup never carries it: a member restored
// from a backup is given the key again (lumbung cluster member-key --set).
const MemberKeyFile = "member.key"

// ErrNoMemberKey means a cluster member that joins an existing cluster
// has not been given the cluster's member key.
var ErrNoMemberKey = errors.New("node: no member key: give this member the cluster's key " +
	"(lumbung cluster member-key --data DIR on a member prints it; --set KEY here sets it)")

// LoadMemberKey reads the member key in dir.
func LoadMemberKey(dir string) (string, error) {
	b, err := readFileBounded(vfs.Default, filepath.Join(dir, MemberKeyFile), 1024, ErrConfig)
	if err != nil {
		return "", err
	}
	k := strings.TrimSpace(string(b))
	if !cluster.ValidMemberKey(k) {
		return "", fmt.Errorf("%w: %s is not a member key", ErrConfig, MemberKeyFile)
	}
	return k, nil
}

// SaveMemberKey writes key into dir, readable by its owner only.
func SaveMemberKey(dir, key string) error {
	if !cluster.ValidMemberKey(key) {
		return fmt.Errorf("%w: %q is not a member key", ErrConfig, key)
	}
	p := filepath.Join(dir, MemberKeyFile)
	if _, err := atomicfile.Write(vfs.Default, p, func(w io.Writer) error {
		_, err := io.WriteString(w, key+"\n")
		return err
	}); err != nil {
		return fmt.Errorf("node: write member key: %w", err)
	}
	return os.Chmod(p, 0o600)
}

// memberKey is the member key of the cluster member in dir. A member that
// starts a cluster (no Join) and has none makes one: at init, or at the
// first start of a member made before members had keys. A member that
// joins must have been given the cluster's (ErrNoMemberKey).
func memberKey(dir string, cfg Config) (string, error) {
	k, err := LoadMemberKey(dir)
	if !errors.Is(err, iofs.ErrNotExist) {
		return k, err
	}
	if cfg.Join != "" {
		return "", ErrNoMemberKey
	}
	k = cluster.NewMemberKey()
	return k, SaveMemberKey(dir, k)
}
