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
