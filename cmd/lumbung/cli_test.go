package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lumbung/lumbung/demo"
	"github.com/lumbung/lumbung/httpapi"
	"github.com/lumbung/lumbung/internal/staff"
	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/schema/sample"
	"github.com/urfave/cli/v2"
)

const testDesa = "32.14.02.2001"

// run runs the app in-process as `lumbung args...` and returns what it
// printed on stdout.
func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	return runIn(t, "", args...)
}

// runIn is run with stdin.
func runIn(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	app := newApp(chooseLang(args, func(string) string { return "" }))
	var out, errOut bytes.Buffer
	app.Writer, app.ErrWriter, app.Reader = &out, &errOut, strings.NewReader(stdin)
	err := app.Run(interspersed(app, append([]string{"lumbung"}, args...)))
	t.Logf("lumbung %s\n%s%s(err: %v)", strings.Join(args, " "), out.String(), errOut.String(), err)
	return out.String(), err
}

// mustRun is run that fails the test on an error.
func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, err := run(t, args...)
	if err != nil {
		t.Fatalf("lumbung %s: %v", strings.Join(args, " "), err)
	}
	return out
}

// wantErr runs a command that must fail with a message holding each of
// the parts.
func wantErr(t *testing.T, parts []string, args ...string) {
	t.Helper()
	_, err := run(t, args...)
	if err == nil {
		t.Fatalf("lumbung %s: no error, want one with %q", strings.Join(args, " "), parts)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("lumbung %s: error %q does not say %q", strings.Join(args, " "), err, p)
		}
	}
}

func wantOut(t *testing.T, out string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(out, p) {
			t.Errorf("output does not say %q:\n%s", p, out)
		}
	}
}

var originRE = regexp.MustCompile(`(?m)^Origin( baru)?: (\S+)$`)

func TestInitRegionsBackupRestore(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "desa")
	out := mustRun(t, "init", "--data", dir, "--tier", "desa", "--region", testDesa)
	m := originRE.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("init printed no origin:\n%s", out)
	}
	origin := m[2]
	wantErr(t, []string{"sudah berisi node"}, "init", "--data", dir, "--tier", "desa", "--region", testDesa)
	wantErr(t, []string{"--region"}, "init", "--data", t.TempDir(), "--tier", "desa")

	csv := filepath.Join(t.TempDir(), "wilayah.csv")
	if err := os.WriteFile(csv, []byte(node.SampleRegions), 0o600); err != nil {
		t.Fatal(err)
	}
	n := strings.Count(strings.TrimSpace(node.SampleRegions), "\n") + 1
	out = mustRun(t, "regions", "import", csv, "--data", dir)
	wantOut(t, out, "daftar wilayah node kini berisi "+strconv.Itoa(n)+" kode")

	// A backup is sealed: to a key made by lumbung backup key, or to a
	// passphrase; never to nobody.
	backup := filepath.Join(t.TempDir(), "desa.lumbung")
	wantErr(t, []string{"harus disegel", "--passphrase", "--recipient"}, "backup", "--data", dir, "--out", backup)
	keyFile := filepath.Join(t.TempDir(), "kunci-cadangan.txt")
	out = mustRun(t, "backup", "key", "--out", keyFile)
	rm := regexp.MustCompile(`(age1[0-9a-z]+)`).FindStringSubmatch(out)
	if rm == nil {
		t.Fatalf("no public key in %q", out)
	}
	out = mustRun(t, "backup", "--data", dir, "--out", backup, "--recipient", rm[1])
	wantOut(t, out, "Origin: "+origin, backup)
	for _, f := range []string{backup, keyFile} {
		if info, err := os.Stat(f); err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v, want 0600", f, info.Mode(), err)
		}
	}
	raw, err := os.ReadFile(backup)
	if err != nil || !bytes.HasPrefix(raw, []byte("age-encryption.org/v1\n")) || bytes.Contains(raw, []byte("Campaka")) {
		t.Fatalf("the backup is not sealed: %q… %v", raw[:min(len(raw), 40)], err)
	}
	restored := filepath.Join(t.TempDir(), "pulih")
	wantErr(t, []string{"tersegel", "--identity"}, "restore", "--in", backup, "--data", restored)
	wantErr(t, []string{"does not open it"}, "--lang", "en", "restore", "--in", backup, "--data", restored, "--identity", otherKey(t))
	out = mustRun(t, "--lang", "en", "restore", "--in", backup, "--data", restored, "--identity", keyFile)
	wantOut(t, out, "Backup origin: "+origin)
	m = regexp.MustCompile(`New origin: (\S+)`).FindStringSubmatch(out)
	if m == nil || m[1] == origin || !strings.HasPrefix(m[1], testDesa+"/") {
		t.Fatalf("restored origin %v, want a new one beside %s", m, origin)
	}
	st, err := node.OpenStore(node.DefaultStoreConfig(node.StoreDir(restored), testDesa))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if name, known, _, _ := st.RegionName(testDesa); !known || name != "Campaka" {
		t.Errorf("restored region list: %s is %q, known %v", testDesa, name, known)
	}
	if got := st.Origin().String(); got != m[1] {
		t.Errorf("restored store origin %s, restore printed %s", got, m[1])
	}
	wantErr(t, []string{"already holds a node"}, "restore", "--in", backup, "--data", restored, "--identity", keyFile)
}

func TestOfflineCommandsRefuseARunningNode(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, "init", "--data", dir, "--tier", "desa", "--region", testDesa)
	openNode(t, dir)
	csv := filepath.Join(t.TempDir(), "wilayah.csv")
	if err := os.WriteFile(csv, []byte(node.SampleRegions), 0o600); err != nil {
		t.Fatal(err)
	}
	wantErr(t, []string{"sedang dipakai node yang berjalan", "hentikan node"},
		"backup", "--data", dir, "--out", filepath.Join(t.TempDir(), "b"), "--recipient", testRecipient)
	wantErr(t, []string{"stop the node first"}, "regions", "import", csv, "--data", dir, "--lang", "en")
	wantErr(t, []string{"belum berisi node", "lumbung init"}, "backup", "--data", t.TempDir(), "--out", "b", "--recipient", testRecipient)
}

// openNode opens the node in dir in-process, logging to t.Log.
func openNode(t *testing.T, dir string) *node.Node {
	t.Helper()
	cfg, err := node.LoadConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	n, err := node.Open(dir, cfg, node.Options{Logger: log, PasswordCost: officer.Params{Memory: 64, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := n.Close(); err != nil {
			t.Error(err)
		}
	})
	return n
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// testNode is a desa node made by lumbung init and served in-process.
type testNode struct {
	url     string
	printed string // what init printed: the first admin's one-time password
	staff   *staff.Staff
}

// serveTestNode makes a desa node with the sample region list, gives it
// one officer of each role (staff) and serves its API; the CLI's config
// directory is the test's own, holding the operator's token for the node
// (as after lumbung login; loginAs changes who the CLI is). It returns
// the URL.
func serveTestNode(t *testing.T) string { return newTestNode(t).url }

func newTestNode(t *testing.T) *testNode {
	t.Helper()
	dir := t.TempDir()
	printed := mustRun(t, "init", "--data", dir, "--tier", "desa", "--region", testDesa)
	n := openNode(t, dir)
	// The officers below log in by token, which opens no key: the office
	// is unlocked with the recovery key init printed, as an admin would.
	if err := n.Store().UnlockWithRecovery(recoveryRE.FindString(printed)); err != nil {
		t.Fatal(err)
	}
	regions, err := node.ParseRegions(strings.NewReader(node.SampleRegions))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.Store().ImportRegions(regions); err != nil {
		t.Fatal(err)
	}
	s, err := staff.Add(t.Context(), n)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(httpapi.Handler(n))
	t.Cleanup(srv.Close)
	tn := &testNode{url: srv.URL, printed: printed, staff: s}
	t.Setenv("LUMBUNG_CONFIG_DIR", t.TempDir())
	tn.loginAs(t, officer.Operator)
	return tn
}

// loginAs makes the CLI act at the node as its officer of role r, as
// lumbung login would (TestLoginAndOfficers tests that command itself).
func (tn *testNode) loginAs(t *testing.T, r officer.Role) {
	t.Helper()
	if err := saveTokens(map[string]string{tn.url: tn.staff.Token(r)}); err != nil {
		t.Fatal(err)
	}
}

// recoveryRE finds a recovery key as lumbung init prints it.
var recoveryRE = regexp.MustCompile(`([0-9A-Z]{4}-){12}[0-9A-Z]{4}`)

var trackingRE = regexp.MustCompile(`Nomor pengaduan: (\S+) `)

func TestComplaintRoundTrip(t *testing.T) {
	tn := newTestNode(t)
	url := tn.url
	at := []string{"--node", url}
	args := func(a ...string) []string { return append(a, at...) }

	out := mustRun(t, args("complaint", "add", "--category", "infrastruktur", "--channel", "whatsapp",
		"--title", "Jalan desa rusak di RT 03", "--description", "Jalan utama berlubang sejak musim hujan.",
		"--address", "Kp. Cibeber", "--rt", "03", "--rw", "01",
		"--name", "Asep Saepudin", "--nik", "3214021203780001", "--phone", "0812-2345-6789", "--officer", "Rina")...)
	m := trackingRE.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("add printed no complaint number:\n%s", out)
	}
	id := m[1]
	wantOut(t, out, "diterima")

	body := filepath.Join(t.TempDir(), "pengaduan.json")
	in := map[string]any{"region": testDesa, "channel": "sms", "category": "kesehatan",
		"title": "Posyandu kekurangan timbangan", "description": "Timbangan bayi di posyandu RW 04 rusak.",
		"reporter": map[string]any{"anonymous": true}}
	b, _ := json.Marshal(in)
	if err := os.WriteFile(body, b, 0o600); err != nil {
		t.Fatal(err)
	}
	mustRun(t, args("complaint", "add", "--json", body)...)

	wantErr(t, []string{"Data tidak valid", "\n  reporter.nik: NIK harus 16 angka"},
		args("complaint", "add", "--category", "infrastruktur", "--title", "Jalan rusak", "--description",
			"Jalan utama berlubang.", "--name", "Asep", "--nik", "12345")...)
	wantErr(t, []string{"\n  reporter.nik: must be 16 digits", "\n  category:"},
		args("complaint", "add", "--lang", "en", "--title", "Jalan rusak", "--description",
			"Jalan utama berlubang.", "--name", "Asep", "--nik", "12345")...)

	out = mustRun(t, args("complaint", "list")...)
	wantOut(t, out, "NOMOR", id, "diterima", "infrastruktur", "Jalan desa rusak di RT 03", "Posyandu kekurangan")
	out = mustRun(t, args("complaint", "list", "--category", "kesehatan", "-o", "json")...)
	var page node.ComplaintPage
	if err := json.Unmarshal([]byte(out), &page); err != nil || len(page.Complaints) != 1 ||
		page.Complaints[0].Category != "kesehatan" || !page.Complaints[0].Reporter.Anonymous {
		t.Fatalf("list --category kesehatan -o json: %v\n%s", err, out)
	}
	out = mustRun(t, args("complaint", "list", "--limit", "1")...)
	wantOut(t, out, "--cursor ")

	tn.loginAs(t, officer.Verifikator)
	out = mustRun(t, append([]string{"complaint", "act", id, "--action", "verify", "--officer", "Rina"}, at...)...)
	wantOut(t, out, "verifikasi", "diverifikasi")
	wantErr(t, []string{"\n  unit: wajib diisi"}, args("complaint", "act", id, "--action", "forward")...)
	mustRun(t, args("complaint", "act", id, "--action", "forward", "--unit", "Dinas PUPR", "--note", "Sesuai kewenangan")...)
	wantErr(t, []string{"tidak dapat dilakukan"}, args("complaint", "act", id, "--action", "resolve")...)

	out = mustRun(t, args("complaint", "show", id)...)
	wantOut(t, out, "Status:", "diteruskan", "Asep Saepudin", "Kp. Cibeber, RT 03 / RW 01", "Riwayat tindakan:",
		"diterima → diverifikasi, oleh demo.verifikator", "Unit tujuan: Dinas PUPR")
	out = mustRun(t, args("complaint", "show", strings.ToLower(id), "-o", "json")...)
	var c schema.Complaint
	if err := json.Unmarshal([]byte(out), &c); err != nil || c.ID != id || c.Status != schema.StatusForwarded ||
		len(c.Actions) != 2 {
		t.Fatalf("show -o json: %v\n%s", err, out)
	}
	wantErr(t, []string{"tidak sah"}, args("complaint", "show", "3214022001-AAAAAA-0000")...)
	wantErr(t, []string{"tepat satu"}, args("complaint", "show")...)

	wantErr(t, []string{"not reachable at http://127.0.0.1:1"},
		"complaint", "list", "--node", "http://127.0.0.1:1", "--lang", "en")
	wantErr(t, []string{"bukan alamat node"}, "complaint", "list", "--node", "127.0.0.1:8080")
}

func TestMonografiRoundTrip(t *testing.T) {
	url := serveTestNode(t)
	args := func(a ...string) []string { return append(a, "--node", url, "--period", "2026-S1") }

	wantErr(t, []string{"values.penduduk.jumlah", "tidak sama dengan jumlah penduduk"},
		args("monografi", "set", "--value", "penduduk.jumlah=100", "--value", "penduduk.laki_laki=60",
			"--value", "penduduk.perempuan=30")...)
	vals := filepath.Join(t.TempDir(), "nilai.json")
	if err := os.WriteFile(vals, []byte(`{"values": {"penduduk.jumlah": 7412, "penduduk.laki_laki": 3748}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	out := mustRun(t, args("monografi", "set", "--json", vals, "--value", "penduduk.perempuan=3664",
		"--value", "wilayah.luas_km2=7,85")...)
	wantOut(t, out, "4 angka disimpan", "Jumlah penduduk", "7.412", "jiwa", "7,85", "Kepadatan penduduk *", "944,2")

	out = mustRun(t, args("monografi", "show", "--lang", "en")...)
	wantOut(t, out, "Total population", "7,412", "Sex ratio *", "102.29", "draft")
	out = mustRun(t, args("monografi", "show", "--all")...)
	wantOut(t, out, "Jumlah kepala keluarga", "penduduk.kk")

	out = mustRun(t, args("monografi", "submit", "--officer", "Hendra")...)
	wantOut(t, out, "diajukan")
	wantErr(t, []string{"sudah diajukan"}, args("monografi", "submit")...)
	out = mustRun(t, args("monografi", "show", "-o", "json")...)
	var doc node.MonografiView
	if err := json.Unmarshal([]byte(out), &doc); err != nil || doc.Status != "submitted" || doc.Values["penduduk.jumlah"] != 7412 {
		t.Fatalf("show -o json: %v\n%s", err, out)
	}
	wantErr(t, []string{"periode \"2026-S3\" tidak sah"}, "monografi", "show", "--node", url, "--period", "2026-S3")
	wantErr(t, []string{"--value \"penduduk.jumlah\""}, args("monografi", "set", "--value", "penduduk.jumlah")...)
}

// TestServe: lumbung init makes a desa with its first admin and prints
// the one-time password once; `lumbung serve` (port 0, until its context
// ends) answers nobody without a login; the admin logs in with the CLI,
// must change the password at once, adds an operator, who logs in the
// same way and takes a complaint through the URL serve printed.
func TestServe(t *testing.T) {
	t.Setenv("LUMBUNG_CONFIG_DIR", t.TempDir())
	dir := t.TempDir()
	printed := mustRun(t, "init", "--data", dir, "--tier", "desa", "--region", testDesa)
	m := oneTimeRE.FindStringSubmatch(printed)
	if m == nil || !strings.Contains(printed, "Admin pertama: admin") {
		t.Fatalf("init printed no first admin:\n%s", printed)
	}
	recovery := regexp.MustCompile(`(?m)^\s+((?:[0-9A-Z]{4}-){12}[0-9A-Z]{4})$`).FindStringSubmatch(printed)
	if recovery == nil || !strings.Contains(printed, "Kunci pemulihan identitas pelapor") {
		t.Fatalf("init printed no recovery key:\n%s", printed)
	}
	// As systemd runs it (Type=notify): it says when it is ready, and
	// when it stops.
	notify, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: filepath.Join(t.TempDir(), "notify"), Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer notify.Close()
	t.Setenv("NOTIFY_SOCKET", notify.LocalAddr().String())
	heard := func() string {
		buf := make([]byte, 64)
		_ = notify.SetReadDeadline(time.Now().Add(30 * time.Second))
		n, _, _ := notify.ReadFromUnix(buf)
		return string(buf[:n])
	}
	args := []string{"lumbung", "serve", "--data", dir, "--http", "127.0.0.1:0", "--log-level", "warn"}
	app := newApp("id")
	pr, pw := io.Pipe()
	app.Writer, app.ErrWriter = pw, testWriter{t}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		err := app.RunContext(ctx, interspersed(app, args))
		pw.Close()
		done <- err
	}()
	lines := bufio.NewScanner(pr)
	if !lines.Scan() || !strings.HasPrefix(lines.Text(), "lumbung: serving http://127.0.0.1:") {
		t.Fatalf("serve printed %q, want the URL it serves", lines.Text())
	}
	url := strings.TrimPrefix(lines.Text(), "lumbung: serving ")
	go io.Copy(io.Discard, pr)
	if got := heard(); got != "READY=1" {
		t.Fatalf("systemd heard %q once the node listened, want READY=1", got)
	}
	at := []string{"--node", url}
	complaint := append([]string{"complaint", "add", "--category", "lainnya", "--title", "Uji coba layanan",
		"--description", "Pengaduan uji coba dari tes.", "--name", "Petugas Uji", "--officer", "Orang Lain"}, at...)
	wantErr(t, []string{"masuk"}, complaint...)

	if _, err := runIn(t, m[1]+"\n"+m[1]+"\n", append([]string{"login", "--name", "admin"}, at...)...); err == nil {
		t.Fatal("the one-time password was kept as the new one")
	}
	if _, err := runIn(t, m[1]+"\nsandi kantor campaka\n", append([]string{"login", "--name", "admin"}, at...)...); err != nil {
		t.Fatal(err)
	}
	wantErr(t, []string{"Peran admin tidak boleh"}, complaint...) // an admin does not take complaints
	// The admin's login unlocked the office's identity key; the recovery
	// key printed at init opens it too, another does not.
	wantOut(t, mustRun(t, append([]string{"identity", "status"}, at...)...), "terbuka")
	wantErr(t, []string{"sudah punya kunci"}, append([]string{"identity", "key"}, at...)...)
	if _, err := runIn(t, strings.Repeat("ABCD", 13)+"\n", append([]string{"identity", "unlock"}, at...)...); err == nil ||
		!strings.Contains(err.Error(), "bukan milik kantor ini") {
		t.Fatalf("another recovery key: %v", err)
	}
	if out, err := runIn(t, strings.ToLower(recovery[1])+"\n", append([]string{"identity", "unlock"}, at...)...); err != nil ||
		!strings.Contains(out, "terbuka") {
		t.Fatalf("the recovery key: %v", err)
	}
	out := mustRun(t, append([]string{"officer", "add", "--name", "siti", "--full-name", "Siti Aminah", "--role", "operator"}, at...)...)
	op := oneTimeRE.FindStringSubmatch(out)
	if op == nil {
		t.Fatalf("no one-time password in %q", out)
	}
	if _, err := runIn(t, op[1]+"\nsandi petugas loket\n", append([]string{"login", "--name", "siti"}, at...)...); err != nil {
		t.Fatal(err)
	}
	out = mustRun(t, complaint...)
	wantOut(t, out, "Nomor pengaduan: 3214022001-")
	if _, err := runIn(t, "3214020101800001\n", append([]string{"identity", "subject"}, at...)...); err == nil ||
		!strings.Contains(err.Error(), "tidak boleh") {
		t.Fatalf("an operator's subject-access request: %v", err)
	}
	wantErr(t, []string{"sedang dipakai node yang berjalan"}, "backup", "--data", dir, "--out", filepath.Join(t.TempDir(), "b"), "--recipient", testRecipient)
	cancel()
	if got := heard(); got != "STOPPING=1" {
		t.Errorf("systemd heard %q as the node stopped, want STOPPING=1", got)
	}
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	mustRun(t, "backup", "--data", dir, "--out", filepath.Join(t.TempDir(), "b"), "--recipient", testRecipient)
}

func TestDemoLoadsSample(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the demo for a second")
	}
	dir := t.TempDir()
	out := mustRun(t, "demo", "desa", "--data", dir, "--http", "127.0.0.1:0", "--duration", "1s")
	wantOut(t, out, "lumbung: serving http://127.0.0.1:", "Data contoh: 25 pengaduan", "Demo berhenti.", "lumbung login --name demo.verifikator --node http://127.0.0.1:", "public/track/3214022001-")
	st, err := node.OpenStore(node.DefaultStoreConfig(node.StoreDir(dir), testDesa))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	page, err := st.ListComplaints(node.ComplaintFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	statuses := map[schema.Status]int{}
	for _, c := range page.Complaints {
		statuses[c.Status]++
	}
	taken := 0
	for _, ev := range sample.Month() {
		if ev.Action == nil {
			taken++
		}
	}
	if len(page.Complaints) != taken || len(statuses) < 6 {
		t.Errorf("demo holds %d complaints in statuses %v", len(page.Complaints), statuses)
	}
	doc, err := st.Monografi(testDesa, demo.DesaPeriod)
	if err != nil || len(doc.Values) < 20 || doc.Derived["penduduk.kepadatan"] == 0 {
		t.Errorf("demo monografi: %v, %d values", err, len(doc.Values))
	}
}

// TestDemoKabupaten runs a small kabupaten demo for a few seconds: it
// prints every node, its progress and the kabupaten's aggregate, and its
// own check passes.
func TestDemoKabupaten(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a kabupaten for a few seconds")
	}
	out := mustRun(t, "demo", "--kecamatan", "2", "--desa", "2", "--members", "1", "--duration", "3s",
		"--every", "100ms", "--data", t.TempDir())
	wantOut(t, out, "Demo Lumbung: Kabupaten 32.14 di mesin ini, 2 kecamatan (klaster 1 anggota) dan 4 desa",
		"32.14.02.2002  http://127.0.0.1:", "desa:", "antre naik", "Jumlah penduduk",
		"Agregat monografi Kabupaten 32.14", "(4 dari 4 desa disetujui)", "Pemeriksaan: 108 jumlah indikator",
		"Masuk sebagai petugas demo", "sandi-demo-2026", "--name demo.operator", "--name demo.verifikator", "--name demo.viewer")
}

func TestInterspersed(t *testing.T) {
	app := newApp("id")
	for _, tc := range []struct{ in, want string }{
		{"lumbung complaint act ID --action verify --note x", "lumbung complaint act --action verify --note x ID"},
		{"lumbung complaint show ID --lang en -o json", "lumbung --lang en complaint show -o json ID"},
		{"lumbung complaint add --anonymous --title T", "lumbung complaint add --anonymous --title T"},
		{"lumbung regions import f.csv --data=D", "lumbung regions import --data=D f.csv"},
		{"lumbung --node U complaint list", "lumbung complaint list --node U"},
		{"lumbung complaint act ID -- --weird", "lumbung complaint act ID -- --weird"},
		{"lumbung help complaint", "lumbung help complaint"},
	} {
		got := strings.Join(interspersed(app, strings.Fields(tc.in)), " ")
		if got != tc.want {
			t.Errorf("%s\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
}

func TestChooseLang(t *testing.T) {
	env := func(v string) func(string) string { return func(string) string { return v } }
	for _, tc := range []struct {
		args []string
		env  string
		want locale.Lang
	}{
		{[]string{"lumbung", "serve"}, "", "id"},
		{[]string{"lumbung", "serve"}, "en", "en"},
		{[]string{"lumbung", "serve", "--lang", "id"}, "en", "id"},
		{[]string{"lumbung", "--lang=en_US", "serve"}, "", "en"},
	} {
		if got := chooseLang(tc.args, env(tc.env)); got != tc.want {
			t.Errorf("chooseLang(%q, %q) = %s, want %s", tc.args, tc.env, got, tc.want)
		}
	}
}

// TestMessages walks every message the binary defines, in every package
// it links (locale.Check: no key defined twice, both languages present
// with the same verbs), and every help text the commands use.
func TestMessages(t *testing.T) {
	for _, err := range locale.Check() {
		t.Error(err)
	}
	// The walk covers the words of every package that defines some.
	for _, key := range []string{"schema.required", "monografi.negative", "catalogue.items", "sheet.row",
		"api.not_found", "approval.locked", "cluster.not_leader", "exchange.refused", "flag.action_note"} {
		if _, ok := locale.Lookup(key); !ok {
			t.Errorf("%s is not in the catalogue the binary links", key)
		}
	}
	app := newApp("en")
	var walk func([]*cli.Command)
	check := func(where, s string) {
		if regexp.MustCompile(`^(cmd|flag|args)\.`).MatchString(s) {
			t.Errorf("%s: help text %q is not in the message catalogue", where, s)
		}
	}
	walk = func(cmds []*cli.Command) {
		for _, c := range cmds {
			check(c.Name, c.Usage)
			check(c.Name, c.ArgsUsage)
			for _, f := range c.Flags {
				if df, ok := f.(cli.DocGenerationFlag); ok {
					check(c.Name+" --"+f.Names()[0], df.GetUsage())
					if env := df.GetEnvVars(); len(env) == 0 || !strings.HasPrefix(env[0], "LUMBUNG_") {
						t.Errorf("%s --%s: environment variable %v", c.Name, f.Names()[0], env)
					}
				}
			}
			walk(c.Subcommands)
		}
	}
	walk(app.Commands)
}

// TestNoteHelp: each command's --note says what that command's note is
// (two tables once both defined flag.note, and complaint act showed the
// monografi approval's text).
func TestNoteHelp(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"complaint", "act", "--help"}, "catatan atau isi tanggapan"},
		{[]string{"--lang", "en", "complaint", "act", "--help"}, "note or response text"},
		{[]string{"monografi", "approve", "--help"}, "catatan untuk desa (wajib untuk return, unapprove, unaccept)"},
		{[]string{"--lang", "en", "monografi", "return", "--help"}, "note for the desa (required to return, unapprove, unaccept)"},
	} {
		out := mustRun(t, tc.args...)
		line := ""
		for _, l := range strings.Split(out, "\n") {
			if strings.Contains(l, "--note") {
				line = l
			}
		}
		if !strings.Contains(line, tc.want) {
			t.Errorf("lumbung %s: --note reads %q, want %q", strings.Join(tc.args, " "), strings.TrimSpace(line), tc.want)
		}
	}
}

// TestCatalogueCommands: a desa node shows the catalogue in effect and
// refuses, in words, to extend it (only a node above the desa does; the
// extension across tiers is in testcluster).
func TestCatalogueCommands(t *testing.T) {
	tn := newTestNode(t)
	url := tn.url
	tn.loginAs(t, officer.Admin)
	out := mustRun(t, "catalogue", "show", "--node", url)
	wantOut(t, out, "versi 1", "Belum ada perluasan", "bantuan_sosial", "Bantuan sosial")
	wantErr(t, []string{"hanya dapat ditambah oleh node kecamatan, kabupaten"},
		"catalogue", "add-category", "--node", url, "--code", "bencana_alam", "--label", "Bencana alam", "--label-en", "Disaster")
	wantErr(t, []string{"--label-en"}, "catalogue", "add-category", "--node", url, "--code", "bencana_alam", "--label", "Bencana alam")
	ext := filepath.Join(t.TempDir(), "ext.json")
	if err := os.WriteFile(ext, []byte(`{"categories": [`), 0o600); err != nil {
		t.Fatal(err)
	}
	wantErr(t, []string{"bukan JSON perluasan katalog"}, "catalogue", "add", "--node", url, "--file", ext)
}

// TestMonografiExportImport: a desa's monograph table exported as XLSX and
// CSV holds its figures under Indonesian labels; the CSV, corrected by the
// officer, is imported back; a sheet with mistakes is refused row by row,
// and nothing of it is stored.
func TestMonografiExportImport(t *testing.T) {
	url := serveTestNode(t)
	args := func(a ...string) []string { return append(a, "--node", url, "--period", "2026-S1") }
	mustRun(t, args("monografi", "set", "--value", "penduduk.jumlah=7412", "--value", "penduduk.laki_laki=3748",
		"--value", "penduduk.perempuan=3664", "--value", "wilayah.luas_km2=7,85")...)
	dir := t.TempDir()
	xlsx, csvFile := filepath.Join(dir, "monografi.xlsx"), filepath.Join(dir, "monografi.csv")
	wantOut(t, mustRun(t, args("monografi", "export", "--out", xlsx)...), "Tabel monografi ditulis", "1 kolom wilayah")
	mustRun(t, args("monografi", "export", "--out", csvFile)...)
	raw, err := os.ReadFile(csvFile)
	if err != nil {
		t.Fatal(err)
	}
	wantOut(t, string(raw), "MONOGRAFI DESA/KELURAHAN", "Uraian,Satuan", "penduduk.jumlah,Jumlah penduduk,jiwa,7412",
		"Kepadatan penduduk *", "draf")

	// The officer corrects the population in the spreadsheet and imports it.
	fixed := strings.Replace(strings.Replace(strings.Replace(string(raw), "jiwa,7412", "jiwa,7420", 1),
		"jiwa,3748", "jiwa,3752", 1), "jiwa,3664", "jiwa,3668", 1)
	if err := os.WriteFile(csvFile, []byte(fixed), 0o600); err != nil {
		t.Fatal(err)
	}
	wantOut(t, mustRun(t, args("monografi", "import", "--file", csvFile, "--officer", "sekdes")...), "angka desa 32.14.02.2001", "disimpan")
	out := mustRun(t, args("monografi", "show")...)
	wantOut(t, out, "7.420", "7,85")

	// A mistake is refused by row, and the stored figures stay.
	bad := strings.Replace(fixed, "jiwa,7420", "jiwa,tujuh ribu", 1)
	if err := os.WriteFile(csvFile, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	wantErr(t, []string{"(penduduk.jumlah): 'tujuh ribu' bukan angka"}, args("monografi", "import", "--file", csvFile)...)
	wantOut(t, mustRun(t, args("monografi", "show")...), "7.420")
	wantErr(t, []string{"format \"txt\" tidak dikenal"}, args("monografi", "export", "--out", filepath.Join(dir, "x.txt"))...)
}

// testRecipient is a public key to seal the tests' backups to.
const testRecipient = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"

// otherKey writes a key file of a key that sealed nothing here.
func otherKey(t *testing.T) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "lain.txt")
	mustRun(t, "backup", "key", "--out", f)
	return f
}

// A backup sealed with a passphrase, typed twice as an officer would
// (here piped): opened with it, refused with another, and a passphrase
// too short is refused before anything is written.
func TestBackupPassphrase(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, "init", "--data", dir, "--tier", "desa", "--region", testDesa)
	backup := filepath.Join(t.TempDir(), "b.lumbung")
	if _, err := runIn(t, "pendek\n", "backup", "--data", dir, "--out", backup, "--passphrase"); err == nil ||
		!strings.Contains(err.Error(), "paling sedikit 12") {
		t.Fatalf("a short passphrase: %v", err)
	}
	if _, err := os.Stat(backup); err == nil {
		t.Fatal("a refused backup left a file")
	}
	if _, err := runIn(t, "lumbung balai desa campaka\n", "backup", "--data", dir, "--out", backup, "--passphrase"); err != nil {
		t.Fatal(err)
	}
	restored := filepath.Join(t.TempDir(), "pulih")
	if _, err := runIn(t, "frasa yang lain sama sekali\n", "restore", "--in", backup, "--data", restored, "--passphrase"); err == nil {
		t.Fatal("restored with another passphrase")
	}
	if _, err := runIn(t, "lumbung balai desa campaka\n", "restore", "--in", backup, "--data", restored, "--passphrase"); err != nil {
		t.Fatal(err)
	}
}
