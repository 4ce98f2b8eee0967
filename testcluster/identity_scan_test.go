package testcluster

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/klauspost/compress/zstd"
	"github.com/lumbung/lumbung/httpapi"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/replication/cluster"
	"github.com/lumbung/lumbung/schema"
)

// scanPlant is one reporter planted for the scan, taken at one office.
type scanPlant struct {
	label, at  string
	region     schema.Code
	name, nik  string
	phone      string
	anonymous  bool
	secret     bool
	takenAtKec bool
	id         string
}

func (p *scanPlant) values() []string { return []string{p.name, p.nik, p.phone} }

// findings records where each plant was found: by plant, the places.
type findings map[*scanPlant][]string

func (f findings) look(plants []*scanPlant, place string, b []byte) {
	for _, p := range plants {
		for _, v := range p.values() {
			if bytes.Contains(b, []byte(v)) {
				if !slices.Contains(f[p], place) {
					f[p] = append(f[p], place)
				}
				break
			}
		}
	}
}

// TestPlantedIdentityScan plants distinctive reporters (anonymous,
// confidential and ordinary) at two desa and at a kecamatan counter,
// syncs them to the kabupaten, makes the kecamatan's members snapshot and
// one of them catch up by a snapshot, backs up a desa and a member, logs
// everything at debug level, and reads every GET route as every role and
// as the public at every tier. Then it decodes every Pebble store (every
// key and value), every raft log entry, every raft snapshot, every
// backup, and looks for each planted name, NIK and phone. It reports
// where each was found, and asserts:
//
//   - no planted value is in clear on any disk, in any backup or log;
//   - an anonymous reporter is shown only at the office that took it;
//   - no reporter is shown to the public, nor to a role that may not
//     read identities;
//   - an ordinary reporter is shown at each tier that follows it up.
//
// A control (the complaint's title) shows each decoder reads what it
// claims to.
func TestPlantedIdentityScan(t *testing.T) {
	var logs lockedBuffer
	rs := cluster.LoopbackSettings()
	rs.TrailingLogs, rs.SnapshotThreshold, rs.SnapshotInterval = 16, 32, 50*time.Millisecond
	k := NewKabupaten(t, Topology{Kecamatan: 1, DesaPerKecamatan: 2, Members: 3, Raft: &rs,
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	kec := k.Kecamatan[0]
	d1, d2 := kec.Desa[0], kec.Desa[1]
	for s, want := range map[*node.Store]int{d1.Node().Store(): 3, d2.Node().Store(): 3, kec.Members[0].Node().Store(): 2} {
		Eventually(t, time.Minute, "the offices' keys down", func() bool {
			to, err := s.SealsTo()
			return err == nil && len(to) == want
		})
	}
	counter := unlockedMember(t, kec.Cluster)
	const title = "Kontrol judul pengaduan tertanam"
	plants := []*scanPlant{
		{label: "desa 1, biasa", at: d1.URL, region: d1.Code, name: "Wiranatakusuma Biasa", nik: "3214020101700011", phone: "081299990011"},
		{label: "desa 1, anonim", at: d1.URL, region: d1.Code, name: "Kartawijaya Anonim", nik: "3214020101700022", phone: "081299990022", anonymous: true},
		{label: "desa 1, rahasia", at: d1.URL, region: d1.Code, name: "Sukmawati Rahasia", nik: "3214020101700033", phone: "081299990033", secret: true},
		{label: "desa 2, biasa", at: d2.URL, region: d2.Code, name: "Purbasari Keduadesa", nik: "3214020101700055", phone: "081299990055"},
		{label: "loket kecamatan, anonim", at: counter.URL, region: d1.Code, name: "Jayadiningrat Loket", nik: "3214020101700044", phone: "081299990044", anonymous: true, takenAtKec: true},
		{label: "loket kecamatan, biasa", at: counter.URL, region: d2.Code, name: "Dewi Loketbiasa", nik: "3214020101700066", phone: "081299990066", takenAtKec: true},
	}
	for _, p := range plants {
		body := map[string]any{"region": string(p.region), "channel": "walk_in", "category": "infrastruktur",
			"title": title, "description": "Lubang besar di jalan utama dekat sekolah.",
			"reporter": map[string]any{"name": p.name, "nik": p.nik, "phone": p.phone, "anonymous": p.anonymous, "confidential": p.secret}}
		var got struct{ ID string }
		decode(t, mustDo(t, officer.Operator, "POST", p.at+"/api/v1/complaints", body, 201), &got)
		p.id = got.ID
	}
	kab := unlockedMember(t, k.Cluster)
	for _, p := range plants {
		Eventually(t, time.Minute, p.id+" at the kabupaten", func() bool { _, err := kab.Node().Store().Complaint(p.id); return err == nil })
	}

	// A kecamatan member cut off while the others write past their
	// trailing logs catches up by a snapshot.
	leader := Leader(t, kec.Cluster)
	lag := (leader + 1) % 3
	if kec.Members[lag] == counter {
		lag = (leader + 2) % 3
	}
	kec.Partition(lag)
	for i := 0; i < 40; i++ {
		takeComplaint(t, kec.Members[leader].URL, d1.Code)
	}
	if err := kec.Members[leader].Node().Cluster().Snapshot(); err != nil {
		t.Fatal(err)
	}
	if err := kab.Node().Cluster().Snapshot(); err != nil {
		t.Fatal(err)
	}
	kec.Heal()
	WaitClusterConverged(t, kec.Cluster)
	if st, err := kec.Members[lag].Node().Cluster().Status(); err != nil || st.Restores == 0 {
		t.Fatalf("the member cut off caught up without a snapshot: %+v %v", st, err)
	}

	found := findings{}
	control := map[string]bool{}
	see := func(place string, b []byte) {
		found.look(plants, place, b)
		if bytes.Contains(b, []byte(title)) {
			control[place] = true
		}
	}

	// Every GET route, as every role and as the public, at every tier.
	tiers := []struct {
		name   string
		url    string
		region schema.Code
	}{{"desa 1", d1.URL, d1.Code}, {"desa 2", d2.URL, d2.Code}, {"kecamatan", counter.URL, kec.Code}, {"kabupaten", kab.URL, k.Code}}
	public := &http.Client{Timeout: 20 * time.Second}
	for _, tier := range tiers {
		for _, path := range getPaths(plants, tier.region, d1.Code) {
			for _, r := range append(slices.Clone(officer.Roles), "") {
				c, who := public, "publik"
				if r != "" {
					c, who = as(r), string(r)
				}
				resp, err := c.Get(tier.url + path)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode >= 500 {
					t.Errorf("GET %s at %s as %s: %d", path, tier.name, who, resp.StatusCode)
				}
				see("GET "+tier.name+" "+who, b)
			}
		}
	}

	// Backups, sealed, opened with their key and restored.
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	backups := map[string]*node.Node{"cadangan desa 1": d1.Node(), "cadangan anggota kecamatan": counter.Node()}
	for name, n := range backups {
		var buf bytes.Buffer
		if _, err := n.Store().SealedBackup(&buf, n.Config(), id.Recipient()); err != nil {
			t.Fatal(err)
		}
		see(name+" (berkas)", buf.Bytes())
		plain, _, err := node.OpenBackup(&buf, id)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		if _, err := node.Restore(plain, dir); err != nil {
			t.Fatal(err)
		}
		see(name, decodedBytes(t, dir))
	}

	// Every disk, once its node has stopped.
	disks := map[string]string{"disk desa 1": d1.Data, "disk desa 2": d2.Data}
	for i, m := range kec.Members {
		disks[fmt.Sprintf("disk kecamatan %d", i+1)] = m.Data
	}
	for i, m := range k.Cluster.Members {
		disks[fmt.Sprintf("disk kabupaten %d", i+1)] = m.Data
	}
	for _, d := range []*Desa{d1, d2} {
		if err := d.Stop(); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range append(slices.Clone(kec.Members), k.Cluster.Members...) {
		if err := m.Stop(); err != nil {
			t.Fatal(err)
		}
	}
	for name, dir := range disks {
		see(name, decodedBytes(t, dir))
		if snaps := raftSnapshots(t, dir); snaps != nil {
			see("snapshot raft "+strings.TrimPrefix(name, "disk "), snaps)
		}
	}
	see("log (debug)", []byte(logs.String()))

	// The controls: every decoder read the complaints.
	for _, place := range []string{"disk desa 1", "disk kecamatan 1", "disk kabupaten 1", "cadangan desa 1",
		"cadangan anggota kecamatan", "snapshot raft kecamatan " + fmt.Sprint(leader+1)} {
		if !control[place] {
			t.Errorf("the control: %s does not show the complaints' title; its decoder reads nothing", place)
		}
	}

	// The table, and the promises.
	var table strings.Builder
	table.WriteString("| reporter | found in clear |\n|---|---|\n")
	for _, p := range plants {
		fmt.Fprintf(&table, "| %s | %s |\n", p.label, strings.Join(found[p], "; "))
		for _, place := range found[p] {
			tier, role, get := getPlace(place)
			switch {
			case !get:
				t.Errorf("%s: in clear in %s", p.label, place)
			case role == "publik" || !officer.MayReadIdentity(officer.Role(role)):
				t.Errorf("%s: shown to %s (%s)", p.label, role, place)
			case p.anonymous && p.takenAtKec && tier != "kecamatan", p.anonymous && !p.takenAtKec && tier != "desa 1":
				t.Errorf("%s: anonymous, shown at %s", p.label, tier)
			}
		}
		if !p.anonymous {
			for _, tier := range []string{"kecamatan", "kabupaten"} {
				if !slices.Contains(found[p], "GET "+tier+" verifikator") {
					t.Errorf("%s: not shown to the %s's verifikator, who follows it up", p.label, tier)
				}
			}
		}
	}
	t.Logf("where each planted reporter was found in clear:\n%s", table.String())
	if dir := os.Getenv("LUMBUNG_ARTIFACTS"); dir != "" {
		_ = os.MkdirAll(dir, 0o755)
		_ = os.WriteFile(filepath.Join(dir, "planted-identity-scan.md"), []byte(table.String()), 0o644)
	}
}

// getPlace reads a place "GET <tier> <role>".
func getPlace(place string) (tier, role string, ok bool) {
	rest, ok := strings.CutPrefix(place, "GET ")
	if !ok {
		return "", "", false
	}
	i := strings.LastIndexByte(rest, ' ')
	return rest[:i], rest[i+1:], true
}

// getPaths is every GET route with its wildcards filled: each planted
// complaint for {id}, the tier's region, the current period, desa d.
func getPaths(plants []*scanPlant, region, d schema.Code) []string {
	var out []string
	for _, pat := range httpapi.GetPatterns() {
		pat = strings.TrimSuffix(pat, "{$}")
		pat = strings.NewReplacer("{region}", string(region), "{period}", "2026-S2", "{desa}", string(d)).Replace(pat)
		if !strings.Contains(pat, "{id}") {
			out = append(out, pat)
			continue
		}
		for _, p := range plants {
			out = append(out, strings.ReplaceAll(pat, "{id}", p.id))
		}
	}
	return append(out, "/pengaduan/unduh?status=received", "/api/v1/complaints?limit=500")
}

// unlockedMember is a member of c whose office key is open (the one the
// harness's staff made it on), to read identities at.
func unlockedMember(t *testing.T, c *Cluster) *Member {
	t.Helper()
	for _, m := range c.Members {
		if m.Node().Store().Unlocked() {
			return m
		}
	}
	t.Fatal("no member of the cluster has its office key open")
	return nil
}

// raftSnapshots is every raft snapshot under a member's data directory,
// decompressed (nil for a desa).
func raftSnapshots(t *testing.T, dataDir string) []byte {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(node.RaftDir(dataDir), "snapshots", "*", "state.bin"))
	var all []byte
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		const head = len("LMBSNAP1") + 8 // replication/cluster's header: magic, applied index
		if len(raw) < head || string(raw[:8]) != "LMBSNAP1" {
			t.Fatalf("%s: not a snapshot of ours", f)
		}
		zr, err := zstd.NewReader(bytes.NewReader(raw[head:]))
		if err != nil {
			t.Fatal(err)
		}
		plain, err := io.ReadAll(zr)
		zr.Close()
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		all = append(all, plain...)
	}
	return all
}
