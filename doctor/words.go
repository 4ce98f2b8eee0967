package doctor

import "github.com/lumbung/lumbung/locale"

// What the doctor says, in Indonesian first, from the one catalogue.
var (
	msgDiskUnknown  = locale.Define("doctor.disk_unknown", "Sisa ruang disk tidak dapat dibaca di sistem ini.", "The free disk space cannot be read on this system.")
	msgDiskFull     = locale.Define("doctor.disk_full", "Disk hampir penuh: sisa %s (data Lumbung %s). Pengaduan baru bisa gagal disimpan.", "The disk is nearly full: %s free (Lumbung's data %s). New complaints may fail to save.")
	msgDiskFullFix  = locale.Define("doctor.disk_full_fix", "Hapus berkas yang tidak perlu (unduhan, video) atau pindahkan ke flashdisk; jangan hapus apa pun di %s.", "Delete files you do not need (downloads, videos) or move them to a USB stick; delete nothing in %s.")
	msgDiskSoon     = locale.Define("doctor.disk_soon", "Sisa disk %s, cukup untuk sekitar %d hari lagi dengan laju sekarang.", "%s of disk free, enough for about %d more days at the current rate.")
	msgDiskOK       = locale.Define("doctor.disk_ok", "Sisa disk %s (data Lumbung %s), cukup untuk %s dengan laju sekarang.", "%s of disk free (Lumbung's data %s), enough for %s at the current rate.")
	msgDiskOKNoRate = locale.Define("doctor.disk_ok_norate", "Sisa disk %s (data Lumbung %s).", "%s of disk free (Lumbung's data %s).")
	msgYearsMany    = locale.Define("doctor.years_many", "lebih dari sepuluh tahun", "more than ten years")
	msgYears        = locale.Define("doctor.years", "sekitar %d tahun", "about %d years")
	msgDays         = locale.Define("doctor.days", "%d hari", "%d days")
	msgHours        = locale.Define("doctor.hours", "%d jam", "%d hours")
	msgMinutes      = locale.Define("doctor.minutes", "%d menit", "%d minutes")
	msgSeconds      = locale.Define("doctor.seconds", "%d detik", "%d seconds")
	msgMillis       = locale.Define("doctor.millis", "%d ms", "%d ms")

	msgClockTop     = locale.Define("doctor.clock_top", "Node ini tidak punya tingkat di atasnya; jamnya dipakai apa adanya.", "This node has no tier above it; its clock is taken as it is.")
	msgClockUnknown = locale.Define("doctor.clock_unknown", "Jam laptop belum dibandingkan dengan jam kecamatan (belum pernah tersinkron).", "The laptop's clock has not been compared with the kecamatan's yet (never synced).")
	msgClockAhead   = locale.Define("doctor.clock_ahead", "Jam laptop %s lebih cepat dari jam kecamatan.", "The laptop's clock is %s ahead of the kecamatan's.")
	msgClockBehind  = locale.Define("doctor.clock_behind", "Jam laptop %s lebih lambat dari jam kecamatan.", "The laptop's clock is %s behind the kecamatan's.")
	msgClockFix     = locale.Define("doctor.clock_fix", "Betulkan tanggal dan jam Windows (Pengaturan > Waktu & bahasa > Atur waktu otomatis). Pengaduan tetap tersimpan; Lumbung memakai jam kecamatan sampai dibetulkan.", "Set Windows' date and time right (Settings > Time & language > Set time automatically). Complaints are still kept; Lumbung uses the kecamatan's time until then.")
	msgClockOK      = locale.Define("doctor.clock_ok", "Jam laptop sesuai jam kecamatan (selisih %s).", "The laptop's clock agrees with the kecamatan's (off by %s).")

	msgLinkTop        = locale.Define("doctor.link_top", "Node ini tidak mengirim ke tingkat di atasnya.", "This node sends to no tier above it.")
	msgNever          = locale.Define("doctor.never", "belum pernah", "never")
	msgAgo            = locale.Define("doctor.ago", "%s yang lalu", "%s ago")
	msgRate           = locale.Define("doctor.rate", "%.0f kbit/s", "%.0f kbit/s")
	msgRateUnknown    = locale.Define("doctor.rate_unknown", "kecepatan belum terukur", "rate not measured yet")
	msgUnreachable    = locale.Define("doctor.unreachable", "Kecamatan (%s) tidak dapat dihubungi: %s. Sinkron terakhir berhasil: %s; %d perubahan menunggu dan tetap aman di laptop.", "The kecamatan (%s) cannot be reached: %s. Last successful sync: %s; %d changes wait, safe on the laptop.")
	msgUnreachableFix = locale.Define("doctor.unreachable_fix", "Periksa modem atau paket data (coba buka situs apa pun). Bila internet jalan, telepon kecamatan: server mereka mungkin mati.", "Check the modem or the data plan (try opening any website). If the internet works, call the kecamatan: their server may be down.")
	msgRefused        = locale.Define("doctor.refused", "Kecamatan menolak sinkron: %s", "The kecamatan refuses to sync: %s")
	msgStale          = locale.Define("doctor.stale", "Sinkron terakhir berhasil: %s. Galat terakhir: %s. %d perubahan menunggu.", "Last successful sync: %s. Last error: %s. %d changes wait.")
	msgStaleFix       = locale.Define("doctor.stale_fix", "Tekan \"Sinkron sekarang\" di halaman Sinkron; bila tetap gagal, telepon kecamatan dengan pesan di atas.", "Press \"Sync now\" on the Sync page; if it still fails, call the kecamatan and read them the message above.")
	msgFlaky          = locale.Define("doctor.flaky", "Kecamatan terjangkau (pulang-pergi %s), tetapi sinkron terakhir gagal; terakhir berhasil %s: %s", "The kecamatan answers (round trip %s), but the last sync failed; last success %s: %s")
	msgNoError        = locale.Define("doctor.no_error", "tidak ada", "none")
	msgLinkOK         = locale.Define("doctor.link_ok", "Kecamatan terjangkau: pulang-pergi %s, %s, sinkron terakhir %s, %d perubahan menunggu.", "The kecamatan answers: round trip %s, %s, last sync %s, %d changes waiting.")

	msgTokenTop     = locale.Define("doctor.token_top", "Node ini tidak memakai token ke atas.", "This node uses no token upward.")
	msgTokenRevoked = locale.Define("doctor.token_revoked", "Token sinkron laptop ini tidak dikenal atau sudah dicabut oleh kecamatan.", "This laptop's sync token is unknown to the kecamatan or was revoked.")
	msgTokenExpired = locale.Define("doctor.token_expired", "Token sinkron laptop ini sudah kedaluwarsa.", "This laptop's sync token has expired.")
	msgTokenBound   = locale.Define("doctor.token_bound", "Token sinkron ini milik laptop lain (atau laptop ini dipulihkan dari cadangan).", "This sync token belongs to another laptop (or this laptop was restored from a backup).")
	msgTokenFix     = locale.Define("doctor.token_fix", "Minta token baru ke admin kecamatan (lumbung enroll), lalu masukkan: lumbung sync token.", "Ask the kecamatan's admin for a new token (lumbung enroll), then enter it: lumbung sync token.")
	msgTokenSoon    = locale.Define("doctor.token_soon", "Token sinkron kedaluwarsa pada %s.", "The sync token expires on %s.")
	msgTokenSoonFix = locale.Define("doctor.token_soon_fix", "Sinkronkan laptop sebelum itu: token diganti otomatis saat sinkron.", "Sync the laptop before then: the token is replaced by itself as it syncs.")
	msgTokenOKUntil = locale.Define("doctor.token_ok_until", "Token sinkron berlaku sampai %s.", "The sync token is valid until %s.")
	msgTokenOK      = locale.Define("doctor.token_ok", "Token sinkron diterima kecamatan.", "The kecamatan accepts the sync token.")

	msgStoreShut   = locale.Define("doctor.store_shut", "Data Lumbung tidak dapat dibuka: %s", "Lumbung's data cannot be opened: %s")
	msgStoreBroken = locale.Define("doctor.store_broken", "Pemeriksaan data Lumbung menemukan kerusakan: %s", "Checking Lumbung's data found damage: %s")
	msgStoreFix    = locale.Define("doctor.store_fix", "Jangan hapus apa pun. Telepon teknisi kabupaten; bila perlu, pulihkan dari cadangan terakhir (lumbung restore).", "Delete nothing. Call the kabupaten's technician; if need be, restore the last backup (lumbung restore).")
	msgStoreOK     = locale.Define("doctor.store_ok", "Data Lumbung terbuka dan utuh (%s).", "Lumbung's data opens and is whole (%s).")
	msgStoreOpen   = locale.Define("doctor.store_open", "Data Lumbung terbuka (%s).", "Lumbung's data opens (%s).")

	msgServiceNone    = locale.Define("doctor.service_none", "Lumbung belum dipasang sebagai layanan: tidak menyala sendiri saat laptop dinyalakan.", "Lumbung is not installed as a service: it does not start by itself when the laptop starts.")
	msgServiceInstall = locale.Define("doctor.service_install", "Pasang dengan lumbung-setup.exe, atau: lumbung service install.", "Install it with lumbung-setup.exe, or: lumbung service install.")
	msgServiceStopped = locale.Define("doctor.service_stopped", "Layanan Lumbung terpasang tetapi tidak berjalan.", "The Lumbung service is installed but not running.")
	msgServiceStart   = locale.Define("doctor.service_start", "Nyalakan: lumbung service start (atau nyalakan ulang laptop).", "Start it: lumbung service start (or restart the laptop).")
	msgServiceNoBoot  = locale.Define("doctor.service_noboot", "Layanan Lumbung tidak menyala sendiri saat laptop dinyalakan.", "The Lumbung service does not start by itself when the laptop starts.")
	msgServiceOK      = locale.Define("doctor.service_ok", "Layanan Lumbung berjalan dan menyala sendiri saat laptop dinyalakan.", "The Lumbung service runs and starts by itself with the laptop.")
)

// The words of a finding's level and check, and of the worst level, as
// `lumbung doctor` and the screens show them.
func init() {
	locale.DefineAll(map[string][2]string{
		"doctor.level_ok":      {"[baik]", "[ok]"},
		"doctor.level_warn":    {"[awas]", "[warn]"},
		"doctor.level_problem": {"[MASALAH]", "[PROBLEM]"},
		"doctor.check_disk":    {"disk", "disk"},
		"doctor.check_clock":   {"jam", "clock"},
		"doctor.check_link":    {"jaringan", "link"},
		"doctor.check_token":   {"token", "token"},
		"doctor.check_store":   {"data", "store"},
		"doctor.check_service": {"layanan", "service"},
		"doctor.worst_ok":      {"Semua baik.", "All is well."},
		"doctor.worst_warn":    {"Ada yang perlu diperhatikan; lihat [awas] di atas.", "Something needs attention; see [warn] above."},
		"doctor.worst_problem": {"Ada masalah; kerjakan langkah → di atas, atau bacakan layar ini kepada yang membantu Anda.",
			"There is a problem; follow the → steps above, or read this screen to whoever helps you."},
	})
}
