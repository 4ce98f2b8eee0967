package sheet

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/schema/sample"
)

func kecTable() *Table {
	cat := monografi.Builtin()
	var cols []Column
	total := map[string]float64{}
	for i, r := range []schema.Code{"32.14.02.2001", "32.14.02.2002"} {
		v := sample.MonografiFor(i)
		v["wilayah.luas_km2"] = 7.85 + float64(i)
		cols = append(cols, Column{Region: r, Name: "Desa " + string(r[len(r)-1]), Status: "disetujui",
			Values: v, Derived: monografi.Derived(cat, v)})
		for k, x := range v {
			total[k] += x
		}
	}
	return &Table{Region: "32.14.02", Name: "Babakancikao", Period: "2026-S1", Columns: cols,
		Total: &Column{Region: "32.14.02", Status: "2 dari 4 desa", Values: total, Derived: monografi.Derived(cat, total)}}
}

// TestRoundTrip: a kecamatan table written as CSV and as XLSX reads back,
// per desa, to exactly the figures entered (derived ratios are shown, not
// read).
func TestRoundTrip(t *testing.T) {
	cat := monografi.Builtin()
	tab := kecTable()
	for _, format := range []string{CSV, XLSX} {
		var buf bytes.Buffer
		if err := Write(&buf, format, Grid(cat, tab)); err != nil {
			t.Fatal(err)
		}
		rows, err := Read(bytes.NewReader(buf.Bytes()), format)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		var all string
		for _, r := range rows[:4] {
			all += strings.Join(r, "|") + "\n"
		}
		for _, w := range []string{"MONOGRAFI KECAMATAN BABAKANCIKAO", "Periode: 2026-S1", "Desa 1 (32.14.02.2001)", "Jumlah kecamatan"} {
			if !strings.Contains(all, w) {
				t.Fatalf("%s: layout lacks %q:\n%s", format, w, all)
			}
		}
		for _, col := range tab.Columns {
			got, err := Values(cat, rows, col.Region)
			if err != nil {
				t.Fatalf("%s %s: %v", format, col.Region, err)
			}
			if len(got) != len(col.Values) {
				t.Fatalf("%s %s: %d figures read, %d written", format, col.Region, len(got), len(col.Values))
			}
			for k, x := range col.Values {
				if got[k] != x {
					t.Fatalf("%s %s: %s = %v, wrote %v", format, col.Region, k, got[k], x)
				}
			}
		}
	}
}

// TestValuesFromAnOfficersSheet: a sheet typed by hand, semicolon CSV with
// Indonesian numbers, a moved column, a note row and a desa column titled
// by name only, reads as meant; its mistakes are all reported by row.
func TestValuesFromAnOfficersSheet(t *testing.T) {
	cat := monografi.Builtin()
	sheet := "\ufeffMonografi Desa Sukamaju;;;;\n" +
		";Kode;Uraian;Satuan;Sukamaju\n" +
		"catatan: diisi oleh sekdes;;;;\n" +
		"1;penduduk.jumlah;Jumlah penduduk;jiwa;7.412\n" +
		"2;wilayah.luas_km2;Luas wilayah;km²;7,85\n" +
		"3;penduduk.rasio_jenis_kelamin;Rasio jenis kelamin *;;102,3\n" +
		"4;pemerintahan.apbdes_pendapatan;PADes;juta;1.250,5\n" +
		"5;penduduk.kk;KK;KK;\n"
	rows, err := Read(strings.NewReader(sheet), CSV)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Values(cat, rows, "32.14.02.2001")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"penduduk.jumlah": 7412, "wilayah.luas_km2": 7.85, "pemerintahan.apbdes_pendapatan": 1250.5}
	if len(got) != len(want) {
		t.Fatalf("read %v, want %v", got, want)
	}
	for k, x := range want {
		if got[k] != x {
			t.Fatalf("%s = %v, want %v", k, got[k], x)
		}
	}

	bad := ";Kode;Uraian;Satuan;Sukamaju (32.14.02.2001);Mekarsari (32.14.02.2002)\n" +
		"1;penduduk.jumlah;;;tujuh ribu\n" +
		"2;penduduk.tidak_ada;;;5\n" +
		"3;wilayah.luas_km2;;;7.85\n" +
		"4;wilayah.luas_km2;;;7.9\n" +
		"5;penduduk.kk;;;NaN\n"
	rows, _ = Read(strings.NewReader(bad), CSV)
	_, err = Values(cat, rows, "32.14.02.2001")
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != 4 {
		t.Fatalf("want 4 problems, got %v", err)
	}
	text := errs.In("id")
	for _, w := range []string{"baris 2 (penduduk.jumlah): 'tujuh ribu' bukan angka", "baris 3 (penduduk.tidak_ada): indikator tidak dikenal",
		"baris 5 (wilayah.luas_km2): indikator ini muncul dua kali", "baris 6 (penduduk.kk): 'NaN' bukan angka"} {
		if !strings.Contains(text, w) {
			t.Fatalf("problems %q lack %q", text, w)
		}
	}
	if _, err := Values(cat, rows, "32.14.02.2003"); err == nil || !strings.Contains(err.(Errors).In("id"), "tidak ada kolom untuk desa 32.14.02.2003") {
		t.Fatalf("missing column: %v", err)
	}
	if _, err := Read(strings.NewReader("PK\x03\x04garbage"), XLSX); !errors.Is(err, ErrFormat) {
		t.Fatalf("garbage xlsx: %v", err)
	}
}

// FuzzRead: any file, read as CSV or XLSX and then for a desa, gives
// figures or errors, never a panic, and figures only of known indicators.
func FuzzRead(f *testing.F) {
	var buf bytes.Buffer
	_ = Write(&buf, CSV, Grid(monografi.Builtin(), kecTable()))
	f.Add(buf.Bytes(), false)
	f.Add([]byte(";Kode;Uraian;Satuan;X\n1;penduduk.jumlah;;;1.000\n"), false)
	f.Add([]byte("PK\x03\x04"), true)
	cat := monografi.Builtin()
	f.Fuzz(func(t *testing.T, raw []byte, xlsx bool) {
		format := CSV
		if xlsx {
			format = XLSX
		}
		rows, err := Read(bytes.NewReader(raw), format)
		if err != nil {
			return
		}
		values, err := Values(cat, rows, "32.14.02.2001")
		for k, x := range values {
			if _, ok := cat.Lookup(k); !ok || err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				t.Fatalf("read %q = %v (err %v)", k, x, err)
			}
		}
	})
}
