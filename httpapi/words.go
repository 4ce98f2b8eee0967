package httpapi

import "github.com/lumbung/lumbung/locale"

// The words the API answers with (the error codes beside them are in
// errors.go and at the call sites).
var (
	msgInvalidInput = locale.Define("api.invalid_input", "Data tidak valid; periksa kolom yang disebut.",
		"The data is not valid; check the fields named.")
	msgNotFound         = locale.Define("api.not_found", "Data tidak ditemukan di node ini.", "Not found on this node.")
	msgAlreadySubmitted = locale.Define("api.already_submitted", "Monografi periode ini sudah diajukan dan belum diubah sejak itu.",
		"This period's monografi was already submitted and has not changed since.")
	msgNotAbove = locale.Define("api.not_above", "Katalog dan daftar wilayah hanya dapat ditambah oleh node kecamatan, kabupaten atau di atasnya, untuk wilayahnya sendiri.",
		"Only a kecamatan, kabupaten or higher node extends the catalogue or the region list, for its own region.")
	msgBadCursor = locale.Define("api.bad_cursor", "Kursor halaman tidak dikenal; mulai lagi dari halaman pertama.",
		"Unknown page cursor; start again from the first page.")
	msgUnknownOutcome = locale.Define("api.unknown_outcome", "Pemimpin klaster berganti saat data ini disimpan, jadi belum pasti tersimpan. Periksa daftar dulu sebelum mengulang agar tidak tercatat dua kali.",
		"The cluster leader changed while this was being stored, so it may or may not be stored. Check the list before trying again, so it is not recorded twice.")
	msgBadResult = locale.Define("api.bad_leader_answer", "Jawaban pemimpin klaster tidak dapat dibaca, jadi belum pasti data ini tersimpan. Periksa daftar dulu sebelum mengulang agar tidak tercatat dua kali.",
		"The cluster leader's answer could not be read, so this may or may not be stored. Check the list before trying again, so it is not recorded twice.")
	msgNoLeader = locale.Define("api.no_leader", "Klaster sedang memilih pemimpin atau belum siap; coba lagi sebentar lagi. Data yang sudah tersimpan aman.",
		"The cluster is electing a leader or is not ready yet; try again shortly. Data already stored is safe.")
	msgUpgrading = locale.Define("api.upgrading", "Klaster sedang diperbarui dan belum semua anggotanya dapat membaca data ini; coba lagi setelah pembaruan selesai. Tidak ada yang diubah; data yang sudah tersimpan aman.",
		"The cluster is being upgraded and not every member reads this yet; try again once the upgrade is done. Nothing was changed; data already stored is safe.")
	msgUnavailable = locale.Define("api.unavailable", "Node sedang tidak dapat menyimpan data; coba lagi sebentar lagi. Data yang sudah tersimpan aman.",
		"The node cannot store data right now; try again shortly. Data already stored is safe.")
	msgInternal = locale.Define("api.internal", "Terjadi kesalahan di node ini; sudah dicatat di log.",
		"Something went wrong on this node; it has been logged.")

	msgNotJSON = locale.Define("api.not_json", "Kirim data sebagai JSON (Content-Type: application/json).",
		"Send the data as JSON (Content-Type: application/json).")
	msgTooLarge = locale.Define("api.too_large", "Data terlalu besar: paling banyak %d byte.",
		"The request is too large: at most %d bytes.")
	msgWrongType = locale.Define("api.wrong_type", "Jenis data salah pada kolom yang disebut.", "A field has the wrong type.")
	// msgMustBe names the type a field must have: in Indonesian by its
	// kind (typeID), in English as Go names it, with the value sent.
	msgMustBe       = locale.Define("api.must_be", "harus berupa %[1]s", "must be %[2]s, not %[3]s")
	msgBadJSON      = locale.Define("api.bad_json", "Data bukan JSON yang sah: %s", "The body is not valid JSON: %s")
	msgUnknownField = locale.Define("api.unknown_field", "Ada kolom yang tidak dikenal.", "There is an unknown field.")
	msgFieldUnknown = locale.Define("api.field_unknown", "kolom tidak dikenal", "unknown field")
	msgUnreadable   = locale.Define("api.unreadable", "Data tidak dapat dibaca: %s", "The body cannot be read: %s")

	msgMethod   = locale.Define("api.method", "Metode %s tidak dapat dipakai di alamat ini.", "Method %s is not allowed here.")
	msgNoRoute  = locale.Define("api.no_route", "Alamat %s tidak ada.", "There is nothing at %s.")
	msgSyncOnly = locale.Define("api.sync_only", "Alamat %s tidak ada di sini: alamat ini hanya untuk sinkronisasi antartingkat.",
		"There is nothing at %s here: this address serves only the sync between tiers.")
	msgBadID = locale.Define("api.bad_id", "Nomor pengaduan %s tidak sah; periksa kembali (mungkin salah ketik).",
		"Complaint number %s is not valid; check it again (a typo?).")
	msgBadRegion = locale.Define("api.bad_region", "Kode wilayah %s tidak sah; contoh: 32.14.02.2001.",
		"Region code %s is not valid; for example 32.14.02.2001.")
	msgBadStatsRegion = locale.Define("api.bad_stats_region", "Kode wilayah %s tidak sah; contoh: 32.14.02.",
		"Region code %s is not valid; for example 32.14.02.")
	msgBadPeriod = locale.Define("api.bad_period", "Periode %s tidak sah; contoh: 2026-S1, 2026-S2 atau 2026.",
		"Period %s is not valid; for example 2026-S1, 2026-S2 or 2026.")
	msgBadDate = locale.Define("api.bad_date", "Tanggal %s=%s tidak sah; tulis TTTT-BB-HH, contoh 2026-07-01.",
		"Date %s=%s is not valid; write YYYY-MM-DD, for example 2026-07-01.")
	msgUnknownStep = locale.Define("api.unknown_step", "Langkah %s tidak dikenal; yang ada: submit, approve, return, unapprove, accept, unaccept.",
		"Unknown step %s; there are: submit, approve, return, unapprove, accept, unaccept.")
	msgStepNotDesa = locale.Define("api.step_not_desa", "Langkah persetujuan diambil per desa/kelurahan (atau menerima semua desa satu kecamatan sekaligus).",
		"Approval steps are taken per desa/kelurahan (or accepting every desa of a kecamatan at once).")
	msgEntryNotDesa = locale.Define("api.entry_not_desa", "Monografi diisi per desa/kelurahan; angka %s dihitung dari desa di bawahnya.",
		"Monografi is entered per desa/kelurahan; figures for %s are aggregated from below.")
	msgOutOfScope = locale.Define("api.out_of_scope", "Wilayah %s di luar wilayah node ini (%s).",
		"Region %s is outside this node's region (%s).")
	msgUnknownRegion = locale.Define("api.unknown_region", "Kode wilayah %s tidak ada dalam daftar wilayah Kemendagri yang dimuat.",
		"Region code %s is not in the imported Kemendagri region list.")
	msgNoUpstream = locale.Define("api.no_upstream", "Node ini tidak punya server atas (init --upstream).",
		"This node has no upstream (init --upstream).")
	msgNotBelow = locale.Define("api.not_below", "Token hanya dapat dibuat untuk wilayah tepat di bawah %s.",
		"A token can only be issued for a region directly below %s.")
	msgUnknownToken = locale.Define("api.unknown_token", "Tidak ada token aktif dengan id atau wilayah %s.",
		"No active token has id or region %s.")

	msgUnknownStatus = locale.Define("api.unknown_status", "status tidak dikenal", "unknown status")
	msgNotRegionCode = locale.Define("api.not_region_code", "bukan kode wilayah Kemendagri", "not a Kemendagri region code")
	msgBadLimit      = locale.Define("api.audit_limit", "harus angka 1 sampai 1000", "must be a number from 1 to 1000")
	msgBadAuditTime  = locale.Define("api.audit_time", "harus tanggal TTTT-BB-HH atau waktu RFC 3339", "must be a date YYYY-MM-DD or an RFC 3339 time")
	msgLimit         = locale.Define("api.limit", "harus angka 1 sampai 500", "must be a number from 1 to 500")

	msgLoginRequired = locale.Define("api.login_required", "Silakan masuk (login) dulu.", "Please log in first.")
	msgSessionEnded  = locale.Define("api.session_ended", "Sesi Anda sudah berakhir; silakan masuk lagi.",
		"Your session has ended; please log in again.")
	msgLoginFailed = locale.Define("api.login_failed", "Nama login atau kata sandi salah.", "Wrong login name or password.")
	msgLocked      = locale.Define("api.locked", "Terlalu banyak percobaan masuk yang gagal; coba lagi dalam %d menit.",
		"Too many failed logins; try again in %d minutes.")
	msgTooManyLookups = locale.Define("api.too_many_lookups", "Terlalu banyak pencarian nomor pengaduan dari alamat ini; coba lagi dalam %d menit.",
		"Too many tracking lookups from this address; try again in %d minutes.")
	msgTooManyTokens = locale.Define("api.too_many_tokens", "Terlalu banyak token sinkronisasi diterbitkan (batas %d per jam); coba lagi nanti.",
		"Too many sync tokens issued (at most %d an hour); try again later.")
	msgForbidden  = locale.Define("api.forbidden", "Peran %s tidak boleh melakukan ini.", "The %s role may not do this.")
	msgMustChange = locale.Define("api.must_change", "Ganti dulu kata sandi sementara Anda (POST /api/v1/password).",
		"Change your one-time password first (POST /api/v1/password).")
	msgWrongPassword = locale.Define("api.wrong_password", "Kata sandi lama salah.", "The old password is wrong.")
	msgOfficerExists = locale.Define("api.officer_exists", "Sudah ada petugas dengan nama login itu.",
		"An officer with that login name exists.")
	msgCrossOrigin = locale.Define("api.cross_origin", "Permintaan dari situs lain ditolak.", "A request from another site is refused.")
	msgForeignHost = locale.Define("api.foreign_host", "Node ini hanya menjawab alamat lokal (127.0.0.1 atau localhost), bukan %s.",
		"This node answers only its local address (127.0.0.1 or localhost), not %s.")
	msgHTTPSRequired = locale.Define("api.https_required", "Sambungan ini tidak terenkripsi; gunakan %s.",
		"This connection is not encrypted; use %s.")
	msgMetricsToken = locale.Define("api.metrics_token", "Metrik hanya untuk alamat lokal atau dengan token metrik.",
		"Metrics answer loopback only, or the metrics token.")
)
