package sheet

import "github.com/lumbung/lumbung/locale"

// The words this package tells an officer about a sheet being read.
var (
	msgRow         = locale.Define("sheet.row", "baris %d (%s): %s", "row %d (%s): %s")
	msgNoHeader    = locale.Define("sheet.no_header", "baris judul dengan kolom \"Kode\" tidak ditemukan; gunakan tata letak dari lumbung monografi export", "no header row with a \"Kode\" column; use the layout lumbung monografi export writes")
	msgNoColumn    = locale.Define("sheet.no_column", "tidak ada kolom untuk desa %s di baris judul", "no column for desa %s in the header row")
	msgNoFigures   = locale.Define("sheet.no_figures", "kolom desa %s tidak berisi angka", "the column of desa %s holds no figures")
	msgUnknownCode = locale.Define("sheet.unknown_code", "indikator tidak dikenal di katalog node ini", "not an indicator of this node's catalogue")
	msgTwice       = locale.Define("sheet.twice", "indikator ini muncul dua kali", "this indicator appears twice")
	msgNotNumber   = locale.Define("sheet.not_number", "'%s' bukan angka", "'%s' is not a number")
)
