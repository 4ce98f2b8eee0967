package monografi

import "github.com/lumbung/lumbung/locale"

// The words of the value checks and the approval, as an officer reads
// them on the field at fault.
var (
	msgNoValuesGiven    = locale.Define("monografi.no_values_given", "belum ada angka yang diisi", "no values were given")
	msgNoValuesEntered  = locale.Define("monografi.no_values_entered", "belum ada angka yang diisi", "no values have been entered")
	msgAlreadySubmitted = locale.Define("monografi.already_submitted", "sudah diajukan", "has already been submitted")
	msgApprovedLocked   = locale.Define("monografi.approved_locked", "sudah disetujui dan terkunci", "is approved and locked")
	msgUnknownIndicator = locale.Define("monografi.unknown_indicator", "indikator tidak dikenal dalam katalog monografi versi %d",
		"is not an indicator of monografi catalogue version %d")
	msgDerived = locale.Define("monografi.derived", "dihitung otomatis dari indikator lain, tidak dapat diisi",
		"is computed from other indicators and cannot be set")
	msgNotANumber = locale.Define("monografi.not_a_number", "bukan angka yang sah", "is not a valid number")
	msgNegative   = locale.Define("monografi.negative", "tidak boleh negatif, bukan %s", "must not be negative, not %s")
	msgTooLarge   = locale.Define("monografi.too_large", "terlalu besar: paling banyak %s", "is too large: at most %s")
	msgNotWhole   = locale.Define("monografi.not_whole", "harus bilangan bulat, bukan %s", "must be a whole number, not %s")
	msgNotPercent = locale.Define("monografi.not_percent", "harus antara 0 dan 100, bukan %s", "must be between 0 and 100, not %s")

	// How an identity's sum disagrees with its total (identityMsg).
	msgNotEqual = locale.Define("monografi.not_equal", "tidak sama dengan", "not equal to")
	msgMoreThan = locale.Define("monografi.more_than", "lebih dari", "more than")
)

// skipWords say why a history entry had no effect. The document keeps
// the reason in English (HistoryEntry.Skipped), so every replica folds
// the same bytes; SkipText gives an officer the words.
var skipWords = map[string]locale.Key{
	skipMalformed:   locale.Define("monografi.skip.malformed", "isi perubahan rusak", "malformed body"),
	skipBadCode:     locale.Define("monografi.skip.bad_code", "kode indikator rusak", "malformed indicator code"),
	skipNoValues:    locale.Define("monografi.skip.no_values", "tidak ada angka", "no values"),
	skipNotOp:       locale.Define("monografi.skip.not_op", "bukan perubahan monografi", "not a monografi operation"),
	skipNewer:       locale.Define("monografi.skip.newer", "dibuat versi Lumbung yang lebih baru; disimpan, belum dipahami versi ini", "not understood by this version"),
	skipEmpty:       locale.Define("monografi.skip.empty", "tidak ada yang diajukan", "nothing to submit"),
	skipAgain:       locale.Define("monografi.skip.again", "sudah diajukan", "already submitted"),
	skipLocked:      locale.Define("monografi.skip.locked", "sudah disetujui dan terkunci", "approved and locked"),
	skipNotApprover: locale.Define("monografi.skip.not_approver", "hanya kecamatan desa ini yang menyetujui, mengembalikan dan membatalkan persetujuan", "only the kecamatan of this desa approves, returns and un-approves"),
	skipNotAcceptor: locale.Define("monografi.skip.not_acceptor", "hanya kabupaten desa ini yang menerima dan membatalkan penerimaan", "only the kabupaten of this desa accepts and un-accepts"),
	skipNotSubmit:   locale.Define("monografi.skip.not_submitted", "belum diajukan", "not submitted"),
	skipStale:       locale.Define("monografi.skip.stale", "angkanya berubah setelah pemeriksa melihatnya", "the figures changed after the approver saw them"),
	skipNotApproved: locale.Define("monografi.skip.not_approved", "belum disetujui", "not approved"),
	skipNotAccepted: locale.Define("monografi.skip.not_accepted", "belum diterima", "not accepted"),
	skipAccepted:    locale.Define("monografi.skip.accepted", "sudah diterima kabupaten: batalkan penerimaan dulu", "accepted by the kabupaten: un-accept first"),
	skipLongNote:    locale.Define("monografi.skip.long_note", "catatan terlalu panjang", "note too long"),
}

// SkipText is why a history entry had no effect (HistoryEntry.Skipped),
// in the officer's words. A reason this version does not know (written
// by another version's fold) is given as it is.
func SkipText(reason string) locale.Text {
	if k, ok := skipWords[reason]; ok {
		return k.Text()
	}
	return locale.Text{ID: reason, EN: reason}
}
