package doctor

import (
	"strings"
	"testing"
	"time"
)

var now = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)

// healthy is a desa laptop with nothing wrong.
func healthy() Facts {
	return Facts{Now: now, DiskKnown: true, DiskFree: 20 << 30, DiskTotal: 100 << 30, StoreBytes: 300 << 20,
		GrowthPerDay: 20 << 20, StoreOpens: true, StoreChecked: true, HasUpstream: true, UpstreamReachable: true,
		UpstreamRoundTrip: 640 * time.Millisecond, LastSuccess: now.Add(-3 * time.Minute), RateBytesPerSecond: 7000,
		ClockKnown: true, ClockAhead: 4 * time.Second, UpstreamURL: "https://kec.example", DataDir: `C:\ProgramData\Lumbung`}
}

func find(fs []Finding, check string) Finding {
	for _, f := range fs {
		if f.Check == check {
			return f
		}
	}
	return Finding{}
}

// TestExamine: each problem an office meets is named, at its level, in
// Indonesian and English, with what to do; a healthy office is all OK
// and still says what it measured.
func TestExamine(t *testing.T) {
	for _, tc := range []struct {
		name  string
		facts func(*Facts)
		check string
		level Level
		says  string // in the Indonesian
		fix   string // in the Indonesian fix; "" wants none
	}{
		{"healthy disk", func(*Facts) {}, "disk", OK, "Sisa disk 20.0 GB (data Lumbung 300 MB), cukup untuk sekitar 2 tahun", ""},
		{"healthy link", func(*Facts) {}, "link", OK, "pulang-pergi 640 ms", ""},
		{"healthy clock", func(*Facts) {}, "clock", OK, "selisih 4 detik", ""},
		{"full disk", func(f *Facts) { f.DiskFree = 100 << 20 }, "disk", Problem, "Disk hampir penuh: sisa 100 MB", "jangan hapus apa pun"},
		{"disk for a week", func(f *Facts) { f.DiskFree, f.GrowthPerDay = 1400<<20, 200<<20 }, "disk", Warn, "sekitar 7 hari", "flashdisk"},
		{"clock three days ahead", func(f *Facts) { f.ClockAhead = 72 * time.Hour }, "clock", Problem, "3 hari lebih cepat", "Atur waktu otomatis"},
		{"clock three days ahead, measured a little short", func(f *Facts) { f.ClockAhead = 72*time.Hour - 300*time.Millisecond }, "clock", Problem, "3 hari lebih cepat", "Atur waktu otomatis"},
		{"clock behind", func(f *Facts) { f.ClockAhead = -10 * time.Minute }, "clock", Problem, "10 menit lebih lambat", "Atur waktu otomatis"},
		{"revoked token", func(f *Facts) { f.LastErrorCode, f.LastError, f.Failures = "bad_token", "token tidak dikenal", 3 }, "token", Problem, "dicabut", "lumbung sync token"},
		{"revoked token, the link", func(f *Facts) { f.LastErrorCode, f.LastError, f.Failures = "bad_token", "token tidak dikenal", 3 }, "link", Problem, "menolak sinkron: token tidak dikenal", "token baru"},
		{"expired token", func(f *Facts) { f.LastErrorCode = "token_expired" }, "token", Problem, "kedaluwarsa", "token baru"},
		{"token soon", func(f *Facts) { f.TokenExpires = now.Add(10 * 24 * time.Hour) }, "token", Warn, "2026-12-10", "diganti otomatis"},
		{"unreachable upstream", func(f *Facts) {
			f.UpstreamReachable, f.UpstreamProbeErr, f.PendingChanges = false, "connection refused", 12
		}, "link", Problem, "tidak dapat dihubungi: connection refused", "modem"},
		{"no sync for two days", func(f *Facts) {
			f.LastSuccess, f.Failures, f.LastError = now.Add(-49*time.Hour), 40, "kiriman terputus"
		}, "link", Problem, "2 hari yang lalu", "Sinkron sekarang"},
		{"a failure after a success", func(f *Facts) { f.Failures, f.LastError = 1, "kiriman terputus" }, "link", Warn, "sinkron terakhir gagal", ""},
		{"damaged store", func(f *Facts) { f.StoreCheckErr = "change 7 missing" }, "store", Problem, "kerusakan: change 7 missing", "lumbung restore"},
		{"store that does not open", func(f *Facts) { f.StoreOpens, f.StoreCheckErr = false, "LOCK held" }, "store", Problem, "tidak dapat dibuka", "teknisi"},
		{"no service", func(f *Facts) { f.ServiceKnown = true }, "service", Warn, "belum dipasang", "lumbung service install"},
		{"service stopped", func(f *Facts) { f.ServiceKnown, f.ServiceInstalled = true, true }, "service", Problem, "tidak berjalan", "lumbung service start"},
		{"a kabupaten", func(f *Facts) { f.HasUpstream = false }, "link", OK, "tidak mengirim", ""},
	} {
		f := healthy()
		tc.facts(&f)
		got := find(Examine(f), tc.check)
		if got.Level != tc.level || !strings.Contains(got.Says.ID, tc.says) || got.Says.EN == "" || got.Says.EN == got.Says.ID {
			t.Errorf("%s: %s %q / %q; want %s saying %q", tc.name, got.Level, got.Says.ID, got.Says.EN, tc.level, tc.says)
		}
		if (tc.fix == "") != (got.Fix.ID == "") || !strings.Contains(got.Fix.ID, tc.fix) {
			t.Errorf("%s: fix %q, want %q", tc.name, got.Fix.ID, tc.fix)
		}
	}
	all := Examine(healthy())
	if Worst(all) != OK || len(all) != 5 {
		t.Errorf("a healthy office: %+v", all)
	}
	f := healthy()
	f.DiskFree = 1
	if Worst(Examine(f)) != Problem {
		t.Error("a full disk is not the worst")
	}
}
