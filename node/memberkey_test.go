package node

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestMemberKey: a member that starts a cluster makes the member key once
// (readable by its owner only) and keeps it; a member set to join has to
// be given it; a file that holds no key is refused.
func TestMemberKey(t *testing.T) {
	dir := t.TempDir()
	cfg := DefaultConfig(TierKecamatan, "32.14.02")
	k, err := memberKey(dir, cfg)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dir, MemberKeyFile))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("member key file: %v %v, want mode 0600", st, err)
	}
	if again, err := memberKey(dir, cfg); err != nil || again != k {
		t.Fatalf("the key changed at the next start: %v", err)
	}
	cfg.Join = "http://127.0.0.1:1"
	if _, err := memberKey(t.TempDir(), cfg); !errors.Is(err, ErrNoMemberKey) {
		t.Fatalf("a joining member without a key: %v, want ErrNoMemberKey", err)
	}
	if err := os.WriteFile(filepath.Join(dir, MemberKeyFile), []byte("geheim\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := memberKey(dir, cfg); !errors.Is(err, ErrConfig) {
		t.Fatalf("a file that holds no key: %v, want ErrConfig", err)
	}
	if err := SaveMemberKey(dir, "pendek"); !errors.Is(err, ErrConfig) {
		t.Fatalf("saving a bad key: %v", err)
	}
}
