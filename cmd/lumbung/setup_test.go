package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lumbung/lumbung/localcluster"
	"github.com/lumbung/lumbung/node"
)

// TestSetupFromHandover walks what a desa laptop's installer does: the
// kecamatan's admin writes the enrolment file (enroll --file, private);
// the installer adds the officer who installs and runs setup with it
// (here without the service, which needs systemd or Windows): the data
// directory is made, enrolled under the kecamatan, with the office's
// first admin (its one-time password and recovery key printed once) and
// the officer, who logs in at the desa once it serves. Bad answers are
// refused in words with nothing written (a directory holding other files
// is refused and left alone); a second setup keeps the data.
func TestSetupFromHandover(t *testing.T) {
	t.Setenv("LUMBUNG_CONFIG_DIR", t.TempDir())
	kec, httpAddr, raftAddr := t.TempDir(), freeAddr(t), freeAddr(t)
	mustRun(t, "init", "--data", kec, "--tier", "kecamatan", "--region", "32.14.02", "--http", httpAddr, "--raft", raftAddr)
	m := serveMember(t, kec, httpAddr)
	var pw string
	for line := range m.lines {
		if x := oneTimeRE.FindStringSubmatch(line); x != nil {
			pw = x[1]
			break
		}
	}
	if _, err := runIn(t, pw+"\nsandi kantor kecamatan\n", "login", "--name", "admin", "--node", m.url); err != nil {
		t.Fatal(err)
	}
	handover := filepath.Join(t.TempDir(), "pendaftaran-2001.txt")
	address := "https://kecamatan.example:8443"
	wantOut(t, mustRun(t, "enroll", "--node", m.url, "--region", "32.14.02.2001", "--file", handover, "--address", address),
		"32.14.02.2001", handover)
	text, err := os.ReadFile(handover)
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(handover); st.Mode().Perm() != 0o600 {
		t.Errorf("the enrolment file holds a token but is %v", st.Mode().Perm())
	}
	for _, want := range []string{"\ndesa=32.14.02.2001\n", "\nkecamatan=" + address + "\n", "\ntoken=lmb_"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("the enrolment file lacks %q:\n%s", want, text)
		}
	}

	answers := filepath.Join(t.TempDir(), "answers.txt")
	write := func(extra string) {
		t.Helper()
		if err := os.WriteFile(answers, append(append([]byte{}, text...), extra...), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	desa := filepath.Join(t.TempDir(), "data")
	write("petugas=siti.aminah\nnama=Siti Aminah\nsandi=pendek\n")
	wantErr(t, []string{"Kata sandi petugas ditolak", "10"}, "setup", "--answers", answers, "--data", desa, "--no-service")
	write("petugas=siti.aminah\nnama=Siti Aminah\nsandi=gudang padi desa 2001\nwarna=merah\n")
	wantErr(t, []string{"warna"}, "setup", "--answers", answers, "--data", desa, "--no-service")
	write("petugas=siti.aminah\nnama=Siti Aminah\nsandi=gudang padi desa 2001\n")
	wantErr(t, []string{"32.14.02"}, "setup", "--answers", answers, "--desa", "32.14.02", "--data", desa, "--no-service")
	if _, err := os.Stat(desa); !os.IsNotExist(err) {
		t.Fatalf("a refused setup left %s behind: %v", desa, err)
	}

	// A directory holding someone's files is refused, and left as it was.
	other := t.TempDir()
	if err := os.WriteFile(filepath.Join(other, "surat.docx"), []byte("penting"), 0o600); err != nil {
		t.Fatal(err)
	}
	wantErr(t, []string{other}, "setup", "--answers", answers, "--data", other, "--no-service")
	if b, err := os.ReadFile(filepath.Join(other, "surat.docx")); err != nil || string(b) != "penting" {
		t.Fatalf("a refused setup touched %s: %v", other, err)
	}

	desaHTTP := freeAddr(t)
	out := mustRun(t, "setup", "--answers", answers, "--data", desa, "--no-service", "--http", desaHTTP)
	wantOut(t, out, "32.14.02.2001", "siti.aminah", "admin")
	if !oneTimeRE.MatchString(out) {
		t.Errorf("setup printed no one-time password for the first admin:\n%s", out)
	}
	cfg, err := node.LoadConfig(desa)
	if err != nil || cfg.Upstream != address || !strings.HasPrefix(cfg.Token, "lmb_") || cfg.Region != "32.14.02.2001" {
		t.Fatalf("the desa's configuration: %+v %v", cfg, err)
	}
	wantOut(t, mustRun(t, "setup", "--answers", answers, "--data", desa, "--no-service"), desa)

	d := serveMember(t, desa, desaHTTP)
	login, err := runIn(t, "gudang padi desa 2001\n", "login", "--name", "siti.aminah", "--node", d.url)
	if err != nil {
		t.Fatalf("the officer setup made cannot log in: %v\n%s", err, login)
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	a, err := localcluster.FreeAddr()
	if err != nil {
		t.Fatal(err)
	}
	return a
}
