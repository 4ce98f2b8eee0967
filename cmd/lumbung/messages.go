package main

import (
	"fmt"

	"github.com/lumbung/lumbung/locale"
	"github.com/urfave/cli/v2"
)

// The sentences the command prints, and the help texts of its commands
// and flags (which name a key as their Usage; see localize), go into the
// one catalogue of package locale: the common ones here, each command's
// own in its file. The node's messages come from the node, in the language
// asked for with Accept-Language.
func init() {
	locale.DefineAll(map[string][2]string{
		"cmd.lumbung":          {"server sinkronisasi pengaduan dan monografi desa", "offline-first sync server for village complaints and statistics"},
		"cmd.init":             {"membuat node baru di direktori data", "create a new node in a data directory"},
		"cmd.serve":            {"menjalankan node yang ada di direktori data", "run the node a data directory holds"},
		"cmd.demo":             {"menjalankan satu kabupaten utuh di mesin ini (desa, kecamatan, kabupaten)", "run a whole kabupaten on this machine (desa, kecamatan, kabupaten)"},
		"cmd.demo_desa":        {"menjalankan node desa contoh dengan data contoh", "run a sample desa node with sample data"},
		"cmd.complaint":        {"pengaduan: catat, lihat, tindak lanjuti (klien API node)", "complaints: take, view, act on (a client of a node's API)"},
		"cmd.complaint_add":    {"mencatat pengaduan baru", "take a new complaint"},
		"cmd.complaint_list":   {"daftar pengaduan, terbaru dulu", "list complaints, newest first"},
		"cmd.complaint_show":   {"menampilkan satu pengaduan dan riwayatnya", "show one complaint and its history"},
		"cmd.complaint_act":    {"mencatat tindakan atas pengaduan", "record an action on a complaint"},
		"cmd.monografi":        {"monografi desa: isi, lihat, ajukan (klien API node)", "village statistics: enter, view, submit (a client of a node's API)"},
		"cmd.monografi_set":    {"mengisi angka monografi satu periode", "enter monografi figures for a period"},
		"cmd.monografi_show":   {"menampilkan monografi satu periode", "show a period's monografi"},
		"cmd.monografi_submit": {"mengajukan monografi ke kecamatan", "submit a period's monografi to the kecamatan"},
		"cmd.regions":          {"daftar wilayah Kemendagri", "the Kemendagri region list"},
		"cmd.regions_import":   {"memuat daftar wilayah (CSV kode,nama) ke node yang berhenti", "import a region list (CSV kode,nama) into a stopped node"},
		"cmd.backup":           {"membuat cadangan data node yang berhenti", "back up a stopped node's data"},
		"cmd.restore":          {"memulihkan cadangan ke direktori data kosong", "restore a backup into an empty data directory"},

		"args.id":  {"NOMOR-PENGADUAN", "COMPLAINT-NUMBER"},
		"args.csv": {"FILE.csv", "FILE.csv"},

		"flag.lang":             {"bahasa pesan: id atau en", "language of messages: id or en"},
		"flag.data":             {"direktori data node", "the node's data directory"},
		"flag.demo_data":        {"direktori data demo (kosong: direktori sementara)", "demo data directory (empty: a temporary one)"},
		"flag.tier":             {"tingkat node: desa, kecamatan atau kabupaten", "node tier: desa, kecamatan or kabupaten"},
		"flag.init_region":      {"kode wilayah Kemendagri node ini, misalnya 32.14.02.2001", "Kemendagri code of the node's region, such as 32.14.02.2001"},
		"flag.upstream":         {"alamat node tingkat di atasnya", "URL of the node one tier up"},
		"flag.token":            {"token pendaftaran dari node di atasnya", "enrolment token from the node above"},
		"flag.http":             {"alamat HTTP API (host:port)", "HTTP API address (host:port)"},
		"flag.serve_http":       {"alamat HTTP API, menggantikan alamat dari init", "HTTP API address, overriding the one init wrote"},
		"flag.raft":             {"alamat transport raft klaster (kecamatan, kabupaten)", "cluster raft transport address (kecamatan, kabupaten)"},
		"flag.log_level":        {"tingkat log: debug, info, warn atau error", "log level: debug, info, warn or error"},
		"flag.log_format":       {"format log: text atau json", "log format: text or json"},
		"flag.duration":         {"berhenti sendiri setelah waktu ini (0: sampai Ctrl-C)", "stop after this long (0: until Ctrl-C)"},
		"flag.node":             {"alamat node", "the node's URL"},
		"flag.output":           {"keluaran: text atau json", "output: text or json"},
		"flag.complaint_region": {"kode desa/kelurahan (kosong: wilayah node)", "desa/kelurahan code (empty: the node's region)"},
		"flag.channel":          {"saluran: walk_in, phone, sms, whatsapp, letter, web, lapor", "channel: walk_in, phone, sms, whatsapp, letter, web, lapor"},
		"flag.category":         {"kategori, misalnya infrastruktur atau kesehatan", "category, such as infrastruktur or kesehatan"},
		"flag.classification":   {"klasifikasi: complaint, aspiration, information_request", "classification: complaint, aspiration, information_request"},
		"flag.title":            {"judul pengaduan", "complaint title"},
		"flag.description":      {"uraian pengaduan", "complaint description"},
		"flag.address":          {"alamat lokasi masalah", "address of the matter"},
		"flag.rt":               {"RT lokasi", "RT of the location"},
		"flag.rw":               {"RW lokasi", "RW of the location"},
		"flag.name":             {"nama pelapor", "reporter's name"},
		"flag.nik":              {"NIK pelapor (16 angka)", "reporter's NIK (16 digits)"},
		"flag.phone":            {"nomor telepon pelapor", "reporter's phone number"},
		"flag.anonymous":        {"identitas pelapor hanya disimpan di desa", "keep the reporter's identity at the desa only"},
		"flag.confidential":     {"pengaduan tidak tampil di tampilan publik", "keep the complaint out of every public view"},
		"flag.officer":          {"diabaikan: yang tercatat selalu petugas yang login (lumbung login)", "ignored: the officer recorded is always the one logged in (lumbung login)"},
		"flag.complaint_json":   {"kirim isi pengaduan dari file JSON apa adanya ('-': masukan standar)", "send the complaint from a JSON file as it is ('-': standard input)"},
		"flag.status":           {"hanya status ini, misalnya received", "only this status, such as received"},
		"flag.list_region":      {"hanya wilayah ini dan di bawahnya", "only this region and those below it"},
		"flag.q":                {"cari teks di judul dan uraian", "search text in title and description"},
		"flag.limit":            {"jumlah per halaman (1–500)", "how many per page (1–500)"},
		"flag.cursor":           {"halaman berikutnya, dari daftar sebelumnya", "next page, from the previous listing"},
		"flag.action":           {"tindakan: verify, forward, hold, respond, resolve, reject, reopen, archive", "action: verify, forward, hold, respond, resolve, reject, reopen, archive"},
		"flag.action_note":      {"catatan atau isi tanggapan", "note or response text"},
		"flag.unit":             {"unit/OPD tujuan (untuk forward)", "unit the complaint goes to (for forward)"},
		"flag.reason":           {"alasan penolakan: not_authority, not_complaint, duplicate", "reason to reject: not_authority, not_complaint, duplicate"},
		"flag.monografi_region": {"kode desa/kelurahan (kosong: wilayah node)", "desa/kelurahan code (empty: the node's region)"},
		"flag.period":           {"periode: 2026-S1, 2026-S2 atau 2026", "period: 2026-S1, 2026-S2 or 2026"},
		"flag.value":            {"angka indikator kode=angka, boleh berulang", "an indicator's figure as code=number, may repeat"},
		"flag.monografi_json":   {"file JSON {\"values\": {kode: angka}} ('-': masukan standar)", "JSON file {\"values\": {code: number}} ('-': standard input)"},
		"flag.all":              {"tampilkan juga indikator yang belum diisi", "show the indicators not filled in too"},
		"flag.out":              {"file cadangan yang ditulis", "backup file to write"},
		"flag.in":               {"file cadangan yang dibaca", "backup file to read"},
		"flag.sync_addr": {"alamat (host:port) khusus sinkronisasi dari tingkat bawah, tanpa API petugas: boleh menghadap internet, sementara --http tetap di jaringan kantor",
			"an address (host:port) for the sync from the tier below alone, without the officers' API: it may face the internet while --http stays on the office network"},
		"flag.restore_token": {"token sinkronisasi baru untuk node yang dipulihkan (lumbung enroll di kecamatan)", "a new sync token for the restored node (lumbung enroll at the kecamatan)"},
		"restore.new_token": {"Token sinkronisasi lama terikat pada origin lama, jadi node ini belum dapat bersinkron. Minta admin kecamatan: lumbung enroll --revoke --region %[1]s, lalu lumbung enroll --region %[1]s; lalu lumbung sync token --data DIR --set TOKEN-BARU.",
			"The old sync token is bound to the old origin, so this node cannot sync yet. Ask the kecamatan's admin: lumbung enroll --revoke --region %[1]s, then lumbung enroll --region %[1]s; then lumbung sync token --data DIR --set NEW-TOKEN."},
		"cmd.sync_token":      {"memberi node yang berhenti (--data) token sinkronisasi baru", "give the stopped node (--data) a new sync token"},
		"flag.sync_token_set": {"token baru dari lumbung enroll", "the new token from lumbung enroll"},
		"flag.sync_token_upstream": {"alamat baru server atas (boleh beberapa, dipisah koma); kosong: tetap yang lama",
			"the upstream's new address (several may be listed, separated by commas); empty keeps the old one"},
		"flag.tls_cert": {"berkas sertifikat TLS dari CA sungguhan (PEM, rantai lengkap); dibaca ulang saat berubah. Tanpa ini node klaster memakai sertifikat buatannya sendiri",
			"a real CA's TLS certificate file (PEM, whole chain); read again when it changes. Without it a cluster node serves one it makes itself"},
		"login.pin": {"Node %s memakai sertifikat dari CA klasternya sendiri, pin %s. Bandingkan dengan yang dicetak `lumbung cluster ca` di server; pin disimpan dan diperiksa pada setiap perintah berikutnya.",
			"Node %s serves a certificate of its cluster's own CA, pin %s. Compare it with what `lumbung cluster ca` prints on the server; the pin is kept and checked on every later command."},
		"err.node_cert": {"Sertifikat %s tidak ditandatangani CA dalam rantainya sendiri; tidak ada yang dikirim.",
			"The certificate of %s is not signed by a CA in its own chain; nothing was sent."},
		"flag.erase_identity_days": {"hapus identitas pelapor sekian hari setelah pengaduannya diarsipkan, di semua tingkat (UU PDP); 0: hanya atas permintaan",
			"erase a reporter's identity this many days after their complaint is archived, at every tier (UU PDP); 0: on request only"},
		"flag.token_days": {"umur token sinkronisasi yang diterbitkan node ini, dalam hari (bawaan 365); diganti otomatis setelah separuhnya",
			"life of the sync tokens this node issues, in days (default 365); each replaces itself after half of it"},
		"cmd.cluster_ca": {"mencetak sertifikat CA HTTPS klaster (untuk dipasang di peramban kantor) dan pin-nya",
			"print the cluster's HTTPS CA certificate (to install in the office's browsers) and its pin"},
		"cluster.ca":     {"Pin kunci CA HTTPS klaster ini (ada di setiap token lumbung enroll): %s", "This cluster's HTTPS CA key pin (in every token of lumbung enroll): %s"},
		"flag.tls_key":   {"berkas kunci privat untuk --tls-cert (PEM)", "the private key file of --tls-cert (PEM)"},
		"sync.token_set": {"Token sinkronisasi baru disimpan di %s; jalankan lagi lumbung serve.", "New sync token saved in %s; start lumbung serve again."},

		"err.member_key_needed": {"Anggota yang bergabung (--join) perlu token gabung dari admin klaster: --join-token TOKEN (buat dengan `lumbung cluster join-token --node URL`).",
			"A member that joins (--join) needs a join token from the cluster's admin: --join-token TOKEN (issue one with `lumbung cluster join-token --node URL`)."},
		"init.admin": {"Admin pertama: %s. Kata sandi sekali pakai (hanya ditampilkan sekali, harus diganti saat login pertama): %s",
			"First admin: %s. One-time password (shown only once, to be changed at the first login): %s"},
		"init.recovery": {"Kunci pemulihan identitas pelapor (hanya ditampilkan sekali; tulis di kertas dan simpan di lemari kantor, terpisah dari laptop; dipakai bila semua petugas lupa kata sandi):\n    %s",
			"Recovery key of the reporters' identities (shown only once; write it on paper and keep it in the office's cupboard, apart from the laptop; used if every officer forgets their password):\n    %s"},
		"init.admin_at_serve": {"Admin pertama klaster dibuat dan kata sandinya dicetak oleh serve pertama.",
			"The cluster's first admin is made, and its password printed, by the first serve."},
		"serve.first_admin": {"Node ini belum punya petugas. Admin pertama: %s. Kata sandi sekali pakai (hanya ditampilkan sekali, harus diganti saat login pertama): %s",
			"This node had no officer. First admin: %s. One-time password (shown only once, to be changed at the first login): %s"},
		"init.done": {"Node %s untuk wilayah %s dibuat di %s.\nOrigin: %s\nHTTP API: %s\nJalankan: lumbung serve --data %s",
			"Created a %s node for region %s in %s.\nOrigin: %s\nHTTP API: %s\nRun: lumbung serve --data %s"},

		"complaint.added":   {"Pengaduan dicatat. Nomor pengaduan: %s (status: %s)", "Complaint taken. Complaint number: %s (status: %s)"},
		"complaint.none":    {"Tidak ada pengaduan.", "No complaints."},
		"complaint.columns": {"NOMOR\tSTATUS\tKATEGORI\tDICATAT\tJUDUL", "NUMBER\tSTATUS\tCATEGORY\tTAKEN\tTITLE"},
		"complaint.more":    {"Masih ada lagi; halaman berikutnya: --cursor %s", "There is more; next page: --cursor %s"},
		"complaint.history": {"Riwayat tindakan:", "Action history:"},
		"complaint.action":  {"  %s  %s: %s → %s, oleh %s", "  %s  %s: %s → %s, by %s"},
		"complaint.not_understood": {"  %s  %s: dibuat versi Lumbung yang lebih baru; disimpan, belum dipahami versi ini, oleh %s",
			"  %s  %s: made by a newer Lumbung; kept, not understood by this version, by %s"},
		"complaint.acted": {"Tindakan '%s' dicatat untuk pengaduan %s. Status sekarang: %s.", "Action '%s' recorded on complaint %s. Status now: %s."},

		"field.id":             {"Nomor", "Number"},
		"field.status":         {"Status", "Status"},
		"field.region":         {"Wilayah", "Region"},
		"field.channel":        {"Saluran", "Channel"},
		"field.category":       {"Kategori", "Category"},
		"field.classification": {"Klasifikasi", "Classification"},
		"field.title":          {"Judul", "Title"},
		"field.description":    {"Uraian", "Description"},
		"field.location":       {"Lokasi", "Location"},
		"field.reporter":       {"Pelapor", "Reporter"},
		"field.created":        {"Dicatat", "Taken"},
		"field.updated":        {"Diperbarui", "Updated"},
		"field.next":           {"Tindakan berikutnya", "Next actions"},
		"field.note":           {"Catatan", "Note"},
		"field.unit":           {"Unit tujuan", "Unit"},
		"field.reason":         {"Alasan", "Reason"},
		"field.superseded":     {"Tidak berlaku", "Superseded"},

		"reporter.anonymous":    {"anonim", "anonymous"},
		"reporter.confidential": {"rahasia", "confidential"},

		"mstatus.draft":     {"draf", "draft"},
		"mstatus.submitted": {"diajukan", "submitted"},
		"mstatus.approved":  {"disetujui", "approved"},
		"mstatus.returned":  {"dikembalikan", "returned"},
		"mstatus.accepted":  {"diterima kabupaten", "accepted"},

		"monografi.saved":     {"%d angka disimpan.", "%d figures saved."},
		"monografi.header":    {"Monografi %s periode %s: %s (diperbarui %s)", "Monografi of %s for %s: %s (updated %s)"},
		"monografi.columns":   {"INDIKATOR\tNILAI\tSATUAN\tKODE", "INDICATOR\tVALUE\tUNIT\tCODE"},
		"monografi.footer":    {"* dihitung dari angka lain, tidak diisi", "* computed from other figures, not entered"},
		"monografi.empty":     {"Belum ada angka. Isi dengan: lumbung monografi set --period P --value kode=angka", "No figures yet. Enter them with: lumbung monografi set --period P --value code=number"},
		"monografi.submitted": {"Monografi %s periode %s diajukan. Status: %s.", "Monografi of %s for %s submitted. Status: %s."},

		"regions.done": {"%d wilayah dibaca dari %s; daftar wilayah node kini berisi %d kode.", "Read %d regions from %s; the node's region list now holds %d codes."},
		"backup.done": {"Cadangan ditulis ke %s (%d byte).\nWilayah: %s\nOrigin: %s\nPosisi log: %d",
			"Backup written to %s (%d bytes).\nRegion: %s\nOrigin: %s\nLog position: %d"},
		"restore.done": {"Cadangan %s dipulihkan ke %s.\nOrigin cadangan: %s (posisi log %d)\nOrigin baru: %s",
			"Restored backup %s into %s.\nBackup origin: %s (log position %d)\nNew origin: %s"},

		"demo.title":     {"Demo Lumbung: node Desa Campaka (%s), Kecamatan Campaka, Kabupaten Purwakarta", "Lumbung demo: the node of Desa Campaka (%s), Kecamatan Campaka, Kabupaten Purwakarta"},
		"demo.data_temp": {"Data: %s (sementara, dihapus saat demo berhenti)", "Data: %s (temporary, removed when the demo stops)"},
		"demo.data":      {"Data: %s", "Data: %s"},
		"demo.sample":    {"Data contoh: %d pengaduan dengan %d tindakan; monografi %s dengan %d angka (draf).", "Sample data: %d complaints with %d actions; monografi %s with %d figures (draft)."},
		"demo.d_logins": {"Petugas demo: demo.operator, demo.verifikator, demo.admin, demo.viewer; kata sandi semuanya %s.",
			"Demo officers: demo.operator, demo.verifikator, demo.admin, demo.viewer; every one's password is %s."},
		"demo.try":     {"Coba:", "Try:"},
		"demo.stop":    {"Hentikan dengan Ctrl-C.", "Stop with Ctrl-C."},
		"demo.stopped": {"Demo berhenti.", "Demo stopped."},

		"err.required":        {"--%s wajib diisi (atau variabel lingkungan %s)", "--%s is required (or the environment variable %s)"},
		"err.one_arg":         {"%s perlu tepat satu %s (diberikan %d)", "%s takes exactly one %s (got %d)"},
		"err.exists":          {"%[1]s sudah berisi node; pakai direktori lain, atau jalankan: lumbung serve --data %[1]s", "%[1]s already holds a node; use another directory, or run: lumbung serve --data %[1]s"},
		"err.no_node":         {"%[1]s belum berisi node; buat dulu dengan: lumbung init --data %[1]s --tier desa --region KODE", "%[1]s holds no node; create one first: lumbung init --data %[1]s --tier desa --region CODE"},
		"err.region":          {"kode wilayah %q tidak sah; contoh: 32.14.02.2001", "region code %q is not valid; for example 32.14.02.2001"},
		"err.locked":          {"data di %s sedang dipakai node yang berjalan; hentikan node dulu (Ctrl-C pada lumbung serve), lalu ulangi", "the data in %s is in use by a running node; stop the node first (Ctrl-C on lumbung serve), then try again"},
		"err.restore":         {"cadangan %s tidak dapat dipulihkan; tidak ada yang diubah: %v", "backup %s cannot be restored; nothing was changed: %v"},
		"err.running":         {"node di %s sudah berjalan di proses lain", "the node in %s is already running in another process"},
		"err.listen":          {"tidak dapat mendengarkan di %s (mungkin dipakai program lain; pilih alamat lain dengan --http)", "cannot listen on %s (another program may use it; choose another address with --http)"},
		"err.log_level":       {"--log-level %q: pilih debug, info, warn atau error", "--log-level %q: choose debug, info, warn or error"},
		"err.log_format":      {"--log-format %q: pilih text atau json", "--log-format %q: choose text or json"},
		"err.node_url":        {"--node %q bukan alamat node; contoh: http://127.0.0.1:8080", "--node %q is not a node URL; for example http://127.0.0.1:8080"},
		"err.output":          {"--output %q: pilih text atau json", "--output %q: choose text or json"},
		"err.unreachable":     {"node tidak dapat dihubungi di %s; pastikan lumbung serve berjalan dan --node benar", "the node is not reachable at %s; check that lumbung serve is running and --node is right"},
		"err.timeout":         {"node di %s tidak menjawab dalam satu menit; periksa jaringan lalu coba lagi", "the node at %s did not answer within a minute; check the link and try again"},
		"err.transport":       {"hubungan ke node %s terputus", "the connection to the node at %s failed"},
		"err.bad_answer":      {"jawaban node %s tidak dapat dibaca", "cannot read the answer of the node at %s"},
		"err.http_status":     {"node menjawab HTTP %d %s: %s", "the node answered HTTP %d %s: %s"},
		"err.read":            {"%s tidak dapat dibaca", "cannot read %s"},
		"err.json":            {"%s bukan JSON {\"values\": {kode: angka}} yang sah", "%s is not valid JSON {\"values\": {code: number}}"},
		"err.value":           {"--value %q: tulis kode=angka, misalnya penduduk.jumlah=7412", "--value %q: write code=number, such as penduduk.jumlah=7412"},
		"err.no_values":       {"tidak ada angka: beri --value kode=angka atau --json FILE", "no figures: give --value code=number or --json FILE"},
		"err.period":          {"periode %q tidak sah; contoh: 2026-S1, 2026-S2 atau 2026", "period %q is not valid; for example 2026-S1, 2026-S2 or 2026"},
		"err.backup":          {"cadangan %s tidak dapat ditulis", "cannot write backup %s"},
		"flag.debug_addr":     {"alamat profiler Go (/debug/pprof), hanya untuk teknisi; kosong: mati", "address of Go's profiler (/debug/pprof), for engineers; empty: off"},
		"cmd.bench":           {"mengukur kinerja di mesin ini", "measure performance on this machine"},
		"cmd.bench_intake":    {"mengukur penerimaan pengaduan lewat HTTP dibanding commit Pebble", "measure complaint intake over HTTP against a bare Pebble commit"},
		"flag.bench_duration": {"lama tiap tingkat beban", "how long each load level runs"},
		"flag.bench_clients":  {"jumlah klien bersamaan, dipisah koma", "concurrent clients, comma-separated"},
		"flag.bench_rss":      {"jumlah pengaduan sebelum RSS diukur lagi (0: lewati)", "complaints to load before measuring RSS again (0: skip)"},
		"flag.bench_out":      {"tulis hasil Markdown ke file ini (BENCHMARKS.md)", "write the Markdown result to this file (BENCHMARKS.md)"},
	})
}

// tr returns the message key in lang, formatted with args; a string that
// is not a key (a help text written elsewhere) is returned as it is.
func tr(lang locale.Lang, key string, args ...any) string {
	if _, ok := locale.Lookup(key); !ok {
		return key
	}
	return locale.Key(key).In(lang, args...)
}

// langOf is the language the officer asked for with --lang.
func langOf(c *cli.Context) locale.Lang { return locale.Parse(c.String("lang")) }

// say prints a message on its own line.
func say(c *cli.Context, key string, args ...any) {
	fmt.Fprintln(c.App.Writer, tr(langOf(c), key, args...))
}
