// Package sheet reads and writes the monografi as a kecamatan monograph
// table, in CSV or XLSX, with Indonesian labels: a row per indicator under
// its group, a column per region (the desa of a kecamatan, or one desa),
// and the region's total. A desa that keeps its figures in a spreadsheet
// fills its column of the same layout and imports it.
//
// Layout (Grid) and reading back (Values) are pure and deterministic; the
// file formats (Write, Read) are the only I/O. XLSX goes through
// github.com/xuri/excelize/v2, wrapped here once: numbers are written as
// numbers, read back as raw values (never as the formatted text Excel
// shows), and a file is bounded in size before it is opened.
//
// The layout, from the top:
//
//	MONOGRAFI KECAMATAN <NAMA>                      (title)
//	Kode wilayah: 32.14.02   Periode: 2026-S1
//	(blank)
//	No | Kode | Uraian | Satuan | <Desa> (32.14.02.2001) | … | Jumlah
//	   |      | Status |        | disetujui              | … | 2 dari 4 desa
//	A  |      | WILAYAH                                           (group)
//	1  | wilayah.luas_km2 | Luas wilayah | km² | 7.85 | … | 15.2
//	…
//	* dihitung dari angka lain; tidak diisi, tidak diimpor.
//
// Reading finds the header row by its "Kode" cell and a region's column
// by the code in its header, so rows and columns may be moved, and rows
// added by the officer (notes, blank lines) are skipped.
package sheet
