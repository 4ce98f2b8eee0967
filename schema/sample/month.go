package sample

import (
	"fmt"
	"sort"

	"github.com/lumbung/lumbung/schema"
)

// A month of work at the office of Desa Campaka (Kecamatan Campaka,
// Kabupaten Purwakarta): hand-written complaints of every category and
// channel, anonymous and confidential ones among them, and what the
// office did with each, from verification to resolution. The one-node
// demo (lumbung demo desa) writes it through a node's store as an
// officer would have entered it, with Monografi as the desa's 2026-S1
// figures.

// MonthEvent is one thing that happened at the office: a complaint taken
// (Action nil, Complaint its input) or an action on a complaint taken
// earlier.
type MonthEvent struct {
	// DaysAgo is when it happened, in days before now.
	DaysAgo float64
	// Index names the complaint among the month's, in the order taken.
	Index int
	// Complaint is the complaint taken, without its region.
	Complaint *schema.ComplaintInput
	// Untouched marks a taken complaint no action follows.
	Untouched bool
	// Action is the action taken on complaint Index.
	Action *schema.ActionInput
}

// Month returns every taking and every action of the month, oldest
// first.
func Month() []MonthEvent {
	var evs []MonthEvent
	for i := range monthComplaints {
		mc := &monthComplaints[i]
		in := mc.in
		evs = append(evs, MonthEvent{DaysAgo: mc.daysAgo, Index: i, Complaint: &in, Untouched: len(mc.actions) == 0})
		for j := range mc.actions {
			a := mc.actions[j].in
			evs = append(evs, MonthEvent{DaysAgo: mc.daysAgo - mc.actions[j].after, Index: i, Action: &a})
		}
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].DaysAgo > evs[j].DaysAgo })
	return evs
}

type monthComplaint struct {
	daysAgo float64
	in      schema.ComplaintInput
	actions []monthAction
}

type monthAction struct {
	after float64 // days after the complaint was taken
	in    schema.ActionInput
}

// nik builds a plausible NIK of Kecamatan Campaka: 321402, the birth date
// (day plus 40 for a woman) and a serial number.
func nik(day, month, year int, woman bool, serial int) string {
	if woman {
		day += 40
	}
	return fmt.Sprintf("321402%02d%02d%02d%04d", day, month, year%100, serial)
}

func person(name, nik, phone string) schema.Reporter {
	return schema.Reporter{Name: name, NIK: nik, Phone: phone}
}

func place(address, rt, rw string) schema.Location {
	return schema.Location{Address: address, RT: rt, RW: rw}
}

func verify(after float64, officer string) monthAction {
	return monthAction{after, schema.ActionInput{Action: schema.ActVerify, Officer: officer,
		Note: "Sudah dicek ke lokasi dan sesuai laporan."}}
}

func forward(after float64, unit, officer string) monthAction {
	return monthAction{after, schema.ActionInput{Action: schema.ActForward, Unit: unit, Officer: officer,
		Note: "Diteruskan sesuai kewenangan."}}
}

func respond(after float64, note, officer string) monthAction {
	return monthAction{after, schema.ActionInput{Action: schema.ActRespond, Note: note, Officer: officer}}
}

func act(after float64, a schema.Action, note, reason, officer string) monthAction {
	return monthAction{after, schema.ActionInput{Action: a, Note: note, Reason: reason, Officer: officer}}
}

const (
	kasi   = "Rina Marlina"
	sekdes = "Hendra Gunawan"
	kades  = "H. Dedi Mulyadi"
	pupr   = "Dinas PUPR Kabupaten Purwakarta"
)

var monthComplaints = []monthComplaint{
	{29.8, schema.ComplaintInput{Channel: "walk_in", Category: "infrastruktur",
		Title: "Jalan desa berlubang di Kp. Cibeber", Description: "Jalan utama Kp. Cibeber berlubang besar sejak musim hujan. Sudah dua pengendara motor jatuh minggu lalu.",
		Location: place("Jl. Raya Campaka, Kp. Cibeber", "03", "01"), Reporter: person("Asep Saepudin", nik(12, 3, 1978, false, 1), "0812-2345-6789")},
		[]monthAction{verify(0.9, kasi), forward(1.8, pupr, sekdes), respond(6.5, "Perbaikan dijadwalkan dalam pemeliharaan rutin bulan depan.", sekdes)}},
	{28.6, schema.ComplaintInput{Channel: "whatsapp", Category: "kesehatan",
		Title: "Posyandu Melati kekurangan timbangan bayi", Description: "Timbangan bayi di Posyandu Melati RW 04 rusak, kader meminjam dari RW lain setiap bulan.",
		Location: place("Posyandu Melati, Kp. Sukamaju", "02", "04"), Reporter: person("Euis Komariah", nik(5, 7, 1985, true, 2), "0813-1122-3344")},
		[]monthAction{verify(0.4, kasi), forward(1.1, "Puskesmas Campaka", sekdes), respond(3.2, "Puskesmas mengirim satu timbangan dacin baru minggu ini.", sekdes), act(5, schema.ActResolve, "Timbangan sudah diterima kader.", "", kasi)}},
	{27.9, schema.ComplaintInput{Channel: "walk_in", Category: "administrasi_kependudukan",
		Title: "KTP-el belum jadi setelah tiga bulan", Description: "Saya merekam KTP-el tiga bulan lalu di kecamatan tetapi sampai sekarang belum dicetak.",
		Location: place("Kp. Pasirmunjul", "01", "02"), Reporter: person("Dede Supriatna", nik(23, 11, 2004, false, 3), "0857-2211-4455")},
		[]monthAction{verify(0.2, kasi), forward(0.9, "Disdukcapil Kabupaten Purwakarta", sekdes), respond(4.1, "Blangko sudah tersedia; KTP-el dapat diambil di kantor kecamatan.", sekdes)}},
	{26.5, schema.ComplaintInput{Channel: "sms", Category: "bantuan_sosial", Classification: "information_request",
		Title: "Syarat pendaftaran PKH", Description: "Mohon informasi syarat dan cara mendaftar Program Keluarga Harapan untuk keluarga kami.",
		Reporter: person("Cucu Sumiati", nik(14, 2, 1990, true, 4), "0878-3344-5566")},
		append([]monthAction{verify(0.5, kasi)}, respondViaForward(1.0, "Dinas Sosial Kabupaten Purwakarta")...)},
	{25.2, schema.ComplaintInput{Channel: "walk_in", Category: "lingkungan",
		Title: "Sampah menumpuk di pinggir Sungai Cilalawi", Description: "Warga membuang sampah di pinggir sungai dekat jembatan, baunya sampai ke rumah dan menyumbat saluran.",
		Location: place("Jembatan Cilalawi, Kp. Babakan", "05", "03"), Reporter: schema.Reporter{Anonymous: true}},
		[]monthAction{verify(1.2, kasi), forward(2.0, "DLH Kabupaten Purwakarta", sekdes)}},
	{24.0, schema.ComplaintInput{Channel: "phone", Category: "keamanan_ketertiban",
		Title: "Balap liar tiap malam Minggu", Description: "Ada balap motor liar di jalan desa setiap malam Minggu sampai dini hari, warga resah dan takut keluar rumah.",
		Location: place("Jl. Raya Campaka dekat SDN 2", "", "02"), Reporter: schema.Reporter{Name: "Yayan Sopyan", Phone: "0812-9988-7766", Anonymous: true}},
		[]monthAction{verify(0.3, kasi), forward(0.6, "Polsek Campaka", kades), respond(2.5, "Polsek menambah patroli malam Minggu bersama linmas desa.", sekdes)}},
	{22.7, schema.ComplaintInput{Channel: "letter", Category: "pendidikan", Classification: "aspiration",
		Title: "Usulan ruang kelas tambahan SDN Campaka 1", Description: "Komite sekolah mengusulkan satu ruang kelas tambahan karena kelas 1 dan 2 masih bergantian memakai satu ruang.",
		Location: place("SDN Campaka 1", "04", "01"), Reporter: person("Entin Kartini", nik(30, 6, 1976, true, 5), "0813-5566-7788")},
		[]monthAction{verify(1.5, kasi), forward(3.0, "Dinas Pendidikan Kabupaten Purwakarta", kades)}},
	{21.3, schema.ComplaintInput{Channel: "walk_in", Category: "infrastruktur",
		Title: "Lampu penerangan jalan mati", Description: "Tiga lampu penerangan jalan di depan masjid Al-Ikhlas mati sejak dua minggu, jalan gelap saat pulang pengajian.",
		Location: place("Masjid Al-Ikhlas, Kp. Cibeber", "02", "01"), Reporter: person("Ujang Rohman", nik(8, 8, 1969, false, 6), "0852-1234-5678")},
		[]monthAction{verify(0.3, kasi), forward(0.8, "PLN ULP Purwakarta", sekdes), respond(2.0, "Lampu sudah diganti petugas PLN.", kasi), act(4.0, schema.ActResolve, "Warga mengonfirmasi lampu menyala.", "", kasi)}},
	{20.1, schema.ComplaintInput{Channel: "web", Category: "pelayanan_publik",
		Title: "Pelayanan surat pengantar lambat", Description: "Mengurus surat pengantar SKCK harus datang dua kali karena petugas tidak ada di kantor desa pada jam kerja.",
		Reporter: person("Aan Setiawan", nik(17, 1, 1995, false, 7), "0896-4455-6677")},
		[]monthAction{verify(0.5, kasi), act(1.0, schema.ActHold, "Mohon pelapor menyebutkan tanggal dan jam kedatangan.", "", kasi)}},
	{19.4, schema.ComplaintInput{Channel: "lapor", Category: "bantuan_sosial",
		Title: "BLT Dana Desa tidak tepat sasaran", Description: "Ada penerima BLT Dana Desa di RT 06 yang memiliki mobil dan toko, sementara janda lansia tetangganya tidak menerima.",
		Location: place("Kp. Sukamaju", "06", "04"), Reporter: schema.Reporter{Anonymous: true, Confidential: true}},
		[]monthAction{verify(2.0, sekdes), forward(3.0, "Inspektorat Kabupaten Purwakarta", kades)}},
	{18.2, schema.ComplaintInput{Channel: "walk_in", Category: "ekonomi", Classification: "aspiration",
		Title: "Usulan pelatihan pengolahan gula aren", Description: "Kelompok perajin gula aren di Kp. Pasirmunjul meminta pelatihan pengemasan dan perizinan PIRT agar bisa dijual ke toko.",
		Location: place("Kp. Pasirmunjul", "02", "02"), Reporter: person("Tati Rohaeti", nik(2, 4, 1981, true, 8), "0821-6677-8899")},
		[]monthAction{verify(1.0, kasi), forward(2.5, "Dinas Koperasi dan UKM Kabupaten Purwakarta", sekdes), respond(8.0, "Pelatihan PIRT dijadwalkan bersama kecamatan pada bulan depan.", sekdes)}},
	{17.0, schema.ComplaintInput{Channel: "whatsapp", Category: "infrastruktur",
		Title: "Saluran irigasi jebol di blok sawah Cikaso", Description: "Tanggul saluran irigasi di blok sawah Cikaso jebol sepanjang kira-kira lima meter, air tidak sampai ke sawah hilir.",
		Location: place("Blok sawah Cikaso", "", "03"), Reporter: person("Ikin Sodikin", nik(19, 9, 1972, false, 9), "0813-2233-4455")},
		[]monthAction{verify(0.2, kasi), forward(0.5, pupr, kades), respond(1.5, "Petugas pengamat pengairan sudah meninjau; perbaikan darurat dengan karung pasir.", sekdes)}},
	{15.6, schema.ComplaintInput{Channel: "walk_in", Category: "administrasi_kependudukan",
		Title: "Nama salah ketik di Kartu Keluarga", Description: "Nama anak saya di Kartu Keluarga tertulis Muhamad, seharusnya Muhammad, sehingga tidak cocok dengan akta kelahiran.",
		Location: place("Kp. Babakan", "01", "03"), Reporter: person("Lilis Suryani", nik(11, 12, 1988, true, 10), "0857-8899-0011")},
		[]monthAction{verify(0.1, kasi), forward(0.4, "Disdukcapil Kabupaten Purwakarta", kasi)}},
	{14.3, schema.ComplaintInput{Channel: "sms", Category: "kesehatan",
		Title: "Fogging demam berdarah", Description: "Dua warga RT 02 dirawat karena demam berdarah minggu ini. Mohon dilakukan fogging dan pemeriksaan jentik.",
		Location: place("Kp. Cibeber", "02", "01"), Reporter: person("Wawan Gunawan", nik(25, 5, 1983, false, 11), "0812-7788-9900")},
		[]monthAction{verify(0.2, kasi), forward(0.3, "Puskesmas Campaka", sekdes), respond(1.2, "Puskesmas melakukan penyelidikan epidemiologi dan fogging fokus.", sekdes), act(3.0, schema.ActResolve, "Fogging selesai, PSN digiatkan tiap Jumat.", "", kasi)}},
	{12.8, schema.ComplaintInput{Channel: "walk_in", Category: "infrastruktur",
		Title: "Jalan berlubang Kp. Cibeber (laporan ulang)", Description: "Melaporkan lagi jalan berlubang di Jl. Raya Campaka Kp. Cibeber yang belum juga diperbaiki.",
		Location: place("Jl. Raya Campaka, Kp. Cibeber", "03", "01"), Reporter: person("Oman Abdurahman", nik(3, 10, 1965, false, 12), "")},
		[]monthAction{act(0.2, schema.ActReject, "Sama dengan laporan Bapak Asep Saepudin yang sedang ditindaklanjuti.", "duplicate", kasi)}},
	{11.5, schema.ComplaintInput{Channel: "phone", Category: "lingkungan",
		Title: "Bau limbah peternakan ayam", Description: "Bau dari kandang ayam di perbatasan Kp. Sukamaju tercium sampai permukiman, terutama sore hari, dan banyak lalat.",
		Location: place("Perbatasan Kp. Sukamaju", "07", "04"), Reporter: person("Siti Maryam", nik(9, 3, 1992, true, 13), "0813-9900-1122")},
		[]monthAction{verify(0.8, kasi)}},
	{10.2, schema.ComplaintInput{Channel: "walk_in", Category: "pendidikan", Classification: "information_request",
		Title: "Jadwal pendaftaran PAUD", Description: "Kapan pendaftaran PAUD Tunas Harapan untuk tahun ajaran baru dan apa saja syaratnya?",
		Reporter: person("Ai Nurlela", nik(28, 7, 1996, true, 14), "0878-1122-3344")},
		[]monthAction{verify(0.1, kasi), forward(0.2, "PAUD Tunas Harapan", kasi), respond(0.9, "Pendaftaran dibuka 1–30 Juni; membawa fotokopi KK dan akta kelahiran.", kasi)}},
	{8.9, schema.ComplaintInput{Channel: "whatsapp", Category: "keamanan_ketertiban",
		Title: "Pencurian ternak kambing", Description: "Dua ekor kambing warga RT 03 hilang dari kandang pada malam hari. Mohon ronda malam diaktifkan lagi.",
		Location: place("Kp. Pasirmunjul", "03", "02"), Reporter: person("Endang Kusnadi", nik(15, 6, 1970, false, 15), "0852-3344-5566")},
		[]monthAction{verify(0.3, kasi), forward(0.5, "Polsek Campaka", kades)}},
	{7.6, schema.ComplaintInput{Channel: "walk_in", Category: "bantuan_sosial",
		Title: "Rumah tidak layak huni belum dibantu", Description: "Rumah ibu saya dindingnya bilik bambu dan atapnya bocor. Sudah didata dua tahun lalu tetapi belum mendapat bantuan rutilahu.",
		Location: place("Kp. Babakan", "04", "03"), Reporter: person("Rohmat Hidayat", nik(21, 1, 1987, false, 16), "0821-5566-7788")},
		[]monthAction{verify(1.0, sekdes)}},
	{6.3, schema.ComplaintInput{Channel: "letter", Category: "pelayanan_publik", Classification: "aspiration",
		Title: "Usulan layanan kantor desa hari Sabtu", Description: "Warga yang bekerja di pabrik meminta kantor desa buka Sabtu pagi untuk pelayanan surat-menyurat.",
		Reporter: person("Encep Hidayat", nik(6, 2, 1984, false, 17), "0896-7788-9900")},
		nil},
	{5.1, schema.ComplaintInput{Channel: "web", Category: "lainnya",
		Title: "Anjing liar di sekitar sekolah", Description: "Beberapa anjing liar berkeliaran di sekitar SDN Campaka 2 dan mengejar anak-anak saat pulang sekolah.",
		Location: place("SDN Campaka 2", "", "02"), Reporter: schema.Reporter{Anonymous: true}},
		nil},
	{3.9, schema.ComplaintInput{Channel: "walk_in", Category: "infrastruktur",
		Title: "Jembatan gantung Kp. Babakan goyang", Description: "Papan lantai jembatan gantung ke Kp. Babakan banyak yang lapuk dan tali baja kendur, anak sekolah melintas tiap hari.",
		Location: place("Jembatan gantung Kp. Babakan", "", "03"), Reporter: person("Nining Kurniasih", nik(13, 8, 1979, true, 18), "0813-4455-6677")},
		[]monthAction{verify(0.1, kasi)}},
	{2.6, schema.ComplaintInput{Channel: "sms", Category: "kesehatan",
		Title: "Ambulans desa sulit dihubungi", Description: "Nomor ambulans desa tidak aktif saat tetangga saya akan melahirkan tengah malam.",
		Reporter: schema.Reporter{Name: "Neng Rina", Phone: "0857-6677-8899", Anonymous: true}},
		nil},
	{1.4, schema.ComplaintInput{Channel: "walk_in", Category: "ekonomi",
		Title: "Harga pupuk bersubsidi di kios melebihi HET", Description: "Kios pupuk di Kp. Sukamaju menjual urea bersubsidi di atas harga eceran tertinggi dan meminta petani membeli pupuk nonsubsidi juga.",
		Location: place("Kios tani Kp. Sukamaju", "01", "04"), Reporter: person("Dadang Hermawan", nik(27, 4, 1975, false, 19), "0812-5566-7788")},
		nil},
	{0.3, schema.ComplaintInput{Channel: "phone", Category: "lingkungan",
		Title: "Pohon tumbang menutup jalan", Description: "Pohon albasia tumbang setelah hujan angin dan menutup jalan ke Kp. Pasirmunjul, motor tidak bisa lewat.",
		Location: place("Jalan ke Kp. Pasirmunjul", "", "02"), Reporter: person("Ade Suherman", nik(4, 11, 1980, false, 20), "0821-9900-1122")},
		nil},
}

// respondViaForward is an information request forwarded to the unit that
// knows, which answers it.
func respondViaForward(after float64, unit string) []monthAction {
	return []monthAction{forward(after, unit, kasi),
		respond(after+1.5, "Pendaftaran PKH melalui musyawarah desa dan DTKS; formulir tersedia di kantor desa.", kasi)}
}
