package node

import "github.com/lumbung/lumbung/locale"

// The words a node's domain writes and its sync status say (the API's
// own words are package httpapi's).
var (
	msgNoValues = locale.Define("api.no_values", "wajib diisi: paling sedikit satu indikator", "is required: at least one indicator")

	msgSamePassword = locale.Define("officer.same_password", "kata sandi baru harus berbeda dari yang lama",
		"the new password must differ from the old one")

	msgLeaderStatus = locale.Define("sync.leader_status", "Keadaan sinkronisasi ke atas tidak dapat ditanyakan ke pemimpin klaster sekarang; angka di bawah dari anggota ini saja.",
		"The state of the sync upward cannot be asked of the cluster's leader now; the figures below are this member's alone.")
	msgPlainUpstream = locale.Define("sync.plain_upstream", "Sambungan ke server atas belum terenkripsi (http://), jadi token dan data dapat dibaca di jalan. "+
		"Minta token baru ke admin di atas, kecamatan atau kabupaten (lumbung enroll), lalu jalankan: lumbung sync token --data DIREKTORI --set TOKEN.",
		"The link to the upstream is not encrypted (http://), so the token and the data can be read on the way. "+
			"Ask the admin above (kecamatan or kabupaten) for a new token (lumbung enroll), then run: lumbung sync token --data DIR --set TOKEN.")
	msgClockSkew = locale.Define("sync.clock_skew", "Jam komputer ini %s %s dari server atas. Data tetap aman dan dicatat dengan "+
		"waktu server, tetapi perbaiki tanggal dan jam di pengaturan komputer.",
		"This computer's clock is %s %s the upstream's. Nothing is lost and changes "+
			"are stamped with the upstream's time, but fix the date and time in the computer's settings.")
	msgAhead   = locale.Define("sync.clock_ahead", "lebih cepat", "ahead of")
	msgBehind  = locale.Define("sync.clock_behind", "lebih lambat", "behind")
	msgMinutes = locale.Define("sync.minutes", "%.0f menit", "%.0f minutes")
	msgHours   = locale.Define("sync.hours", "%.0f jam", "%.0f hours")
	msgDays    = locale.Define("sync.days", "%.0f hari", "%.0f days")

	msgNoteRequired = locale.Define("approval.note_required", "wajib diisi: tulis alasannya untuk desa", "is required: write the reason for the desa")
	msgNoteTooLong  = locale.Define("approval.note_too_long", "terlalu panjang: paling banyak %d byte", "is too long: at most %d bytes")
	msgNotApprover  = locale.Define("approval.not_approver", "Langkah ini hanya dapat diambil oleh node %s %s, bukan node %s.",
		"Only the node of %s %s can take this step, not the node of %s.")
	msgInvalidStep = locale.Define("approval.invalid_step", "Monografi %s %s %s; langkah ini hanya untuk yang %s.",
		"The monografi of %s %s is %s; this step is only for one that is %s.")
	msgStaleBasis = locale.Define("approval.stale_basis", "Angka monografi ini berubah sejak Anda melihatnya; muat ulang dan periksa lagi.",
		"These figures changed since you looked at them; reload and check them again.")
	msgLocked = locale.Define("approval.locked", "Monografi %s %s %s dan terkunci. Minta kecamatan membatalkan persetujuan (unapprove) untuk mengoreksinya.",
		"The monografi of %s %s is %s and locked. Ask the kecamatan to un-approve it to correct it.")
)

// The status of a monografi document as the approval messages say it
// (statusText); in English the status itself.
func init() {
	locale.DefineAll(map[string][2]string{
		"approval.state.draft":     {"masih draf", "draft"},
		"approval.state.submitted": {"sudah diajukan", "submitted"},
		"approval.state.approved":  {"sudah disetujui kecamatan", "approved"},
		"approval.state.returned":  {"dikembalikan ke desa", "returned"},
		"approval.state.accepted":  {"sudah diterima kabupaten", "accepted"},
		// The same, under a column of a monograph table.
		"sheet.status.draft":     {"draf", "draft"},
		"sheet.status.submitted": {"diajukan", "submitted"},
		"sheet.status.approved":  {"disetujui", "approved"},
		"sheet.status.returned":  {"dikembalikan", "returned"},
		"sheet.status.accepted":  {"diterima kabupaten", "accepted"},
		"sheet.approved_n":       {"%d desa disetujui", "%d desa approved"},
		"sheet.approved_of":      {"%d dari %d desa disetujui", "%d of %d desa approved"},
	})
}
