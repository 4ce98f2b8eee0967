package testcluster

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lumbung/lumbung/officer"
)

// lockedBuffer collects every node's log, from many goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestNoIdentityInLogsOrMetrics: reporters planted at a desa (ordinary,
// anonymous, confidential) and at a kecamatan counter (anonymous) are
// taken through the API, synced up to the kabupaten, acted on and read
// back by every role, with every node logging at debug level; no name,
// NIK or phone of any of them is in any node's log or metrics.
func TestNoIdentityInLogsOrMetrics(t *testing.T) {
	var logs lockedBuffer
	k := NewKabupaten(t, Topology{Kecamatan: 1, DesaPerKecamatan: 1, Members: 1,
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	kec, desa := k.Kecamatan[0], k.Kecamatan[0].Desa[0]
	type planted struct {
		at, name, nik, phone string
		anonymous, secret    bool
	}
	plants := []planted{
		{desa.URL, "Wiranatakusuma Biasa", "3214020101700011", "081299990011", false, false},
		{desa.URL, "Kartawijaya Anonim", "3214020101700022", "081299990022", true, false},
		{desa.URL, "Sukmawati Rahasia", "3214020101700033", "081299990033", false, true},
		{kec.Members[0].URL, "Jayadiningrat Loket", "3214020101700044", "081299990044", true, false},
	}
	var ids []string
	for _, p := range plants {
		body := map[string]any{"region": string(desa.Code), "channel": "walk_in", "category": "infrastruktur",
			"title": "Jalan desa berlubang", "description": "Lubang besar di jalan utama dekat sekolah.",
			"reporter": map[string]any{"name": p.name, "nik": p.nik, "phone": p.phone, "anonymous": p.anonymous, "confidential": p.secret}}
		var got struct{ ID string }
		decode(t, mustDo(t, officer.Operator, "POST", p.at+"/api/v1/complaints", body, 201), &got)
		ids = append(ids, got.ID)
	}
	kab := k.Cluster.Members[0]
	for _, id := range ids {
		Eventually(t, time.Minute, id+" at the kabupaten", func() bool { _, err := kab.Node().Store().Complaint(id); return err == nil })
	}
	mustDo(t, officer.Verifikator, "POST", kec.Members[0].URL+"/api/v1/complaints/"+ids[0]+"/actions",
		map[string]any{"action": "verify"}, 200)
	urls := []string{desa.URL, kec.Members[0].URL, kab.URL}
	for _, url := range urls {
		for _, r := range officer.Roles {
			for _, path := range []string{"/api/v1/complaints?limit=50", "/api/v1/complaints/" + ids[0], "/api/v1/complaints/" + ids[1],
				"/pengaduan", "/pengaduan/" + ids[2]} {
				resp, err := as(r).Get(url + path)
				if err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			}
		}
	}
	var metrics strings.Builder
	for _, url := range urls {
		resp, err := http.Get(url + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), "lumbung_") {
			t.Fatalf("metrics of %s: %d", url, resp.StatusCode)
		}
		metrics.Write(b)
	}
	out := logs.String()
	if !strings.Contains(out, "level=DEBUG") {
		t.Log(out)
		t.Fatalf("the debug log holds no debug record or no complaint (%d bytes)", len(out))
	}
	for _, p := range plants {
		for _, v := range []string{p.name, strings.Fields(p.name)[0], p.nik, p.phone} {
			if strings.Contains(out, v) {
				i := strings.Index(out, v)
				t.Errorf("the log holds %q: …%s…", v, out[max(0, i-200):min(len(out), i+100)])
			}
			if strings.Contains(metrics.String(), v) {
				t.Errorf("the metrics hold %q", v)
			}
		}
	}
}
