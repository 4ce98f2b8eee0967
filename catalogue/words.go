package catalogue

import "github.com/lumbung/lumbung/locale"

// The words of an extension or a region list refused, on the field at
// fault.
var (
	msgItems            = locale.Define("catalogue.items", "berisi %d butir; harus 1 sampai %d", "holds %d items; want 1 to %d")
	msgTooMany          = locale.Define("catalogue.too_many", "paling banyak %d kelompok, %d indikator dan %d kategori per wilayah", "at most %d groups, %d indicators and %d categories per region")
	msgGroupCode        = locale.Define("catalogue.group_code", "kode kelompok harus satu kata huruf kecil", "a group code is one lower-case word")
	msgBuiltinGroup     = locale.Define("catalogue.builtin_group", "kelompok bawaan tidak dapat diubah", "a built-in group cannot be changed")
	msgIndicatorCode    = locale.Define("catalogue.indicator_code", "kode indikator harus huruf kecil bertitik, misalnya ekonomi.bumdes_omzet", "an indicator code is dotted lower case, such as ekonomi.bumdes_omzet")
	msgBuiltinIndicator = locale.Define("catalogue.builtin_indicator", "indikator bawaan tidak dapat diubah", "a built-in indicator cannot be changed")
	msgUnknownGroup     = locale.Define("catalogue.unknown_group", "kelompok %s tidak dikenal; tambahkan kelompoknya juga", "unknown group %s; add the group too")
	msgType             = locale.Define("catalogue.type", "jenis harus integer, decimal atau percent", "type must be integer, decimal or percent")
	msgAgg              = locale.Define("catalogue.agg", "aturan agregasi harus sum, max, min, last atau none", "the aggregation rule must be sum, max, min, last or none")
	msgUnit             = locale.Define("catalogue.unit", "satuan wajib diisi, paling banyak %d huruf", "needs a unit of at most %d letters")
	msgCategoryCode     = locale.Define("catalogue.category_code", "kode kategori harus huruf kecil dengan garis bawah, 2 sampai 40 huruf", "a category code is lower case with underscores, 2 to 40 letters")
	msgBuiltinCategory  = locale.Define("catalogue.builtin_category", "kategori bawaan tidak dapat diubah", "a built-in category cannot be changed")
	msgLabels           = locale.Define("catalogue.labels", "perlu label Indonesia dan Inggris, 1 sampai %d huruf dalam satu baris", "needs an Indonesian and an English label of 1 to %d letters on one line")

	msgRegions    = locale.Define("catalogue.regions", "berisi %d wilayah; harus 1 sampai %d per kiriman", "holds %d regions; want 1 to %d per change")
	msgRegionCode = locale.Define("catalogue.region_code", "kode wilayah harus sah dan berada di wilayah %s", "a region code must be valid and within %s")
	msgRegionName = locale.Define("catalogue.region_name", "nama wajib diisi, satu baris, paling banyak %d huruf", "needs a name of one line, at most %d letters")
)
