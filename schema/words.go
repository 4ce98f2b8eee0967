package schema

import "github.com/lumbung/lumbung/locale"

// The words of validation and of the status machine, as an officer reads
// them in the fields of an error answer.
var (
	msgRequired      = locale.Define("schema.required", "wajib diisi", "is required")
	msgTooLongBytes  = locale.Define("schema.too_long_bytes", "terlalu panjang: paling banyak %d byte", "is too long: at most %d bytes")
	msgTooShort      = locale.Define("schema.too_short", "terlalu pendek: paling sedikit %d huruf", "is too short: at least %d characters")
	msgTooLong       = locale.Define("schema.too_long", "terlalu panjang: paling banyak %d huruf", "is too long: at most %d characters")
	msgNotUTF8       = locale.Define("schema.not_utf8", "bukan teks UTF-8 yang sah", "is not valid UTF-8 text")
	msgNotDesa       = locale.Define("schema.not_desa", "harus kode desa/kelurahan Kemendagri, misalnya 32.14.02.2001", "must be a Kemendagri desa/kelurahan code, such as 32.14.02.2001")
	msgRTRW          = locale.Define("schema.rt_rw", "harus 1 sampai 3 angka", "must be 1 to 3 digits")
	msgLatLon        = locale.Define("schema.lat_lon", "lintang dan bujur harus diisi bersama", "latitude and longitude go together")
	msgLatOutside    = locale.Define("schema.lat_outside", "lintang di luar wilayah Indonesia", "latitude is outside Indonesia")
	msgLonOutside    = locale.Define("schema.lon_outside", "bujur di luar wilayah Indonesia", "longitude is outside Indonesia")
	msgPhone         = locale.Define("schema.phone", "bukan nomor telepon Indonesia, misalnya 0812-3456-7890 atau +62 812 3456 7890", "is not an Indonesian phone number, such as 0812-3456-7890 or +62 812 3456 7890")
	msgNIKDigits     = locale.Define("schema.nik_digits", "NIK harus 16 angka (sekarang %d)", "must be 16 digits (got %d)")
	msgNIKRegion     = locale.Define("schema.nik_region", "6 angka pertama NIK bukan kode wilayah yang mungkin (%s)", "the first 6 digits are not a plausible region code (%s)")
	msgUnitRequired  = locale.Define("schema.unit_required", "wajib diisi: unit atau OPD tujuan penerusan", "is required: the unit the complaint is forwarded to")
	msgNoteRequired  = locale.Define("schema.note_required", "wajib diisi: isi tanggapan", "is required: the response text")
	msgRequiredOneOf = locale.Define("schema.required_one_of", "wajib diisi, salah satu dari: %s", "is required, one of: %s")
	msgUnknownOneOf  = locale.Define("schema.unknown_one_of", "%s '%s' tidak dikenal; pilih salah satu dari: %s", "unknown %s '%s'; use one of: %s")

	// The names of the lists oneOf picks from.
	msgChannel        = locale.Define("schema.name.channel", "saluran", "channel")
	msgCategory       = locale.Define("schema.name.category", "kategori", "category")
	msgClassification = locale.Define("schema.name.classification", "klasifikasi", "classification")
	msgAction         = locale.Define("schema.name.action", "tindakan", "action")
	msgReason         = locale.Define("schema.name.reason", "alasan", "reason")

	msgUnknownStatus = locale.Define("schema.unknown_status", "status pengaduan tidak dikenal: %s", "unknown complaint status: %s")
	msgNotAllowed    = locale.Define("schema.not_allowed", "tindakan '%s' tidak dapat dilakukan pada pengaduan berstatus '%s'",
		"action '%s' is not allowed for a complaint that is '%s'")
	msgNotAllowedHeld = locale.Define("schema.not_allowed_held", "tindakan '%s' tidak dapat dilakukan pada pengaduan yang ditunda dari status '%s'",
		"action '%s' is not allowed for a complaint put on hold while '%s'")
)

// The name of each status ("status.<status>") and action
// ("action.<action>"): in Indonesian as an officer says it, in English the
// code itself.
func init() {
	locale.DefineAll(map[string][2]string{
		"status.received": {"diterima", "received"}, "status.verified": {"diverifikasi", "verified"},
		"status.forwarded": {"diteruskan", "forwarded"}, "status.in_progress": {"ditindaklanjuti", "in_progress"},
		"status.resolved": {"selesai", "resolved"}, "status.on_hold": {"ditunda", "on_hold"},
		"status.rejected": {"ditolak", "rejected"}, "status.reopened": {"dibuka kembali", "reopened"},
		"status.archived": {"diarsipkan", "archived"},

		"action.verify": {"verifikasi", "verify"}, "action.forward": {"teruskan", "forward"},
		"action.hold": {"tunda", "hold"}, "action.respond": {"tanggapi", "respond"},
		"action.resolve": {"selesaikan", "resolve"}, "action.reject": {"tolak", "reject"},
		"action.reopen": {"buka kembali", "reopen"}, "action.archive": {"arsipkan", "archive"},
	})
}

// statusText names s in both languages, or says it as sent when it is not
// a status.
func statusText(s Status) locale.Text {
	if t, ok := locale.Lookup("status." + string(s)); ok {
		return t
	}
	return locale.Text{ID: clip(string(s)), EN: clip(string(s))}
}

// actionText names a in both languages, or says it as sent when it is not
// an action.
func actionText(a Action) locale.Text {
	if t, ok := locale.Lookup("action." + string(a)); ok {
		return t
	}
	return locale.Text{ID: clip(string(a)), EN: string(a)}
}
