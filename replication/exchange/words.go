package exchange

import "github.com/lumbung/lumbung/locale"

// The words of the uplink's status, and those of a refusal of the
// protocol version (below) and of every other refusal a server answers
// with (classify).
var (
	// msgRefused is an upstream's refusal as the uplink keeps it: the
	// upstream's own words, with the code in English.
	msgRefused = locale.Define("exchange.refused", "%[2]s", "the upstream refused the exchange (%[1]s): %[2]s")
	// msgUnreachable and msgSyncFailed say in Indonesian that the uplink
	// retries, and in English also what the error was: only the English
	// takes the error.
	msgUnreachable = locale.Define("exchange.unreachable", "server atas tidak dapat dihubungi; akan dicoba lagi otomatis",
		"the upstream cannot be reached; retrying by itself: %[1]v")
	// msgUpstreamCert: the server answering is not the upstream the
	// token pinned (a captive portal, a wrong address, an attacker on the
	// line), and nothing was sent to it.
	msgUpstreamCert = locale.Define("exchange.upstream_certificate",
		"server yang menjawab bukan server atas yang tercatat di token (sertifikatnya lain); tidak ada data yang dikirim. Periksa alamat server atas, atau minta token baru ke admin di atas (kecamatan atau kabupaten)",
		"the server that answered is not the upstream the token names (another certificate); nothing was sent. Check the upstream's address, or ask for a new token: %[1]v")
	msgSyncFailed = locale.Define("exchange.failed", "sinkronisasi gagal; akan dicoba lagi otomatis",
		"sync failed; retrying by itself: %[1]v")
)

// The words of a protocol_version refusal (versionFailure). Each takes the
// two ranges: %[1]s the sender's (the node below), %[2]s the server's.
// The sender reads the first three in its sync status; the server's own
// status says the last two.
var (
	// msgVersionRetry: the ranges share a version, the sender asks again.
	msgVersionRetry = locale.Define("exchange.version_retry",
		"versi protokol sinkronisasi tidak cocok: node ini %[1]s, server %[2]s; ulangi dengan versi yang sama",
		"sync protocol versions differ: this node %[1]s, the server %[2]s; ask again in a common version")
	// msgVersionSenderOld and msgVersionServerOld: no common version.
	msgVersionSenderOld = locale.Define("exchange.version_sender_old",
		"Lumbung di node ini terlalu lama (protokol sinkronisasi %[1]s, server atas %[2]s): perbarui Lumbung di desa ini",
		"Lumbung on this node is too old (sync protocol %[1]s, the upstream speaks %[2]s): upgrade Lumbung at this desa")
	msgVersionServerOld = locale.Define("exchange.version_server_old",
		"Lumbung di server atas terlalu lama (protokol sinkronisasi %[2]s, node ini %[1]s): perbarui Lumbung di server atas",
		"Lumbung on the upstream is too old (sync protocol %[2]s, this node speaks %[1]s): upgrade Lumbung at the upstream")
	// msgVersionBelowOld and msgVersionBelowNew are how the server's own
	// status (the link's last_error_message) words the same refusals.
	msgVersionBelowOld = locale.Define("exchange.version_below_old",
		"node di bawah memakai Lumbung lama (protokol sinkronisasi %[1]s, server ini %[2]s): perbarui Lumbung di desa ini",
		"the node below runs an old Lumbung (sync protocol %[1]s, this server %[2]s): upgrade Lumbung at that desa")
	msgVersionBelowNew = locale.Define("exchange.version_below_new",
		"node di bawah memakai Lumbung lebih baru (protokol sinkronisasi %[1]s, server ini %[2]s): perbarui Lumbung di server ini",
		"the node below runs a newer Lumbung (sync protocol %[1]s, this server %[2]s): upgrade Lumbung on this server")
)

// The words of the other refusals (classify, readHello, ServeHTTP). Where
// only the English takes the error, it is the detail an engineer reads.
var (
	msgTruncated = locale.Define("exchange.truncated", "kiriman terputus sebelum selesai; bagian yang utuh sudah disimpan",
		"the body was cut short; the whole frames before the cut are kept")
	msgDamaged = locale.Define("exchange.damaged_frame", "sebagian kiriman rusak (checksum tidak cocok); kirim ulang",
		"a frame is damaged (checksum or framing); send it again: %[1]v")
	msgDictionary = locale.Define("exchange.unknown_dictionary", "kamus kompresi tidak dikenal oleh server ini",
		"the compression dictionary is unknown to this server: %[1]v")
	msgBadMessage = locale.Define("exchange.bad_message", "isi kiriman tidak dapat dibaca",
		"the content cannot be read: %[1]v")
	msgBadToken = locale.Define("exchange.bad_token", "token tidak dikenal atau sudah dicabut; minta token baru ke admin di atas (kecamatan atau kabupaten)",
		"unknown or revoked token; ask the upstream for a new one")
	msgExpired = locale.Define("exchange.token_expired", "token sudah kedaluwarsa (laptop ini terlalu lama tidak tersinkron untuk diganti otomatis); minta token baru ke admin di atas, kecamatan atau kabupaten (lumbung enroll)",
		"the token has expired (this node did not sync for too long to have it replaced by itself); ask the upstream for a new one (lumbung enroll)")
	msgOutOfScope = locale.Define("exchange.out_of_scope", "data di luar wilayah yang diizinkan token ini; tidak ada yang disimpan dari bagian ini",
		"data outside the region this token allows; nothing of this part was stored: %[1]v")
	msgBound = locale.Define("exchange.token_bound", "token ini terikat pada laptop lain; laptop baru atau yang dipulihkan dari cadangan perlu token baru dari admin di atas (lumbung enroll)",
		"this token is bound to another laptop; a new laptop, or one restored from a backup, needs a new token from the admin above (lumbung enroll): %[1]v")
	msgGap = locale.Define("exchange.sequence_gap", "ada perubahan yang hilang sebelum kiriman ini; tidak ada yang disimpan dari bagian ini. Hubungi admin di atas (kecamatan atau kabupaten)",
		"changes are missing before this batch; nothing of this part was stored. Call the admin above (kecamatan or kabupaten): %[1]v")
	msgTooManyHeld = locale.Define("exchange.too_many_held", "token ini sudah menahan %[1]d permintaan sinkronisasi sekaligus; satu laptop hanya perlu satu",
		"this token already holds %[1]d sync requests at once; one laptop needs only one")
	msgUnavailable = locale.Define("exchange.unavailable", "server sedang tidak dapat menyimpan; akan dicoba lagi",
		"the upstream cannot commit now; retry later: %[1]v")
	msgMethod    = locale.Define("exchange.method", "gunakan POST", "use POST")
	msgCatalogue = locale.Define("exchange.catalogue_version",
		"katalog monografi node ini versi %[1]d, server baru mengenal versi %[2]d; perbarui server lebih dulu",
		"monografi catalogue version %[1]d is newer than this server's %[2]d: upgrade the server first")
)
