// Package sample makes realistic complaints as a desa office takes them:
// Indonesian titles and descriptions per category, names, NIKs, phone
// numbers, addresses with RT/RW, channels in plausible proportions, and
// the actions a kecamatan takes on them. It is deterministic for a seed,
// so tests, benchmarks, the demo and the training of the sync dictionary
// all see the same records for the same seed. Month is a hand-written
// month of one desa office's work, for the one-node demo.
package sample

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/lumbung/lumbung/schema"
)

// Gen makes complaints from a seeded source. It is not safe for
// concurrent use.
type Gen struct {
	r *rand.Rand
}

// New returns a generator for seed.
func New(seed uint64) *Gen { return &Gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))} }

type topic struct {
	category schema.Category
	titles   []string
	details  []string
}

var topics = []topic{
	{"infrastruktur", []string{"Jalan desa rusak berlubang", "Jembatan penghubung dusun retak",
		"Lampu penerangan jalan mati", "Saluran irigasi tersumbat", "Drainase meluap saat hujan"},
		[]string{"Jalan sepanjang kurang lebih %d meter rusak dan berlubang sehingga membahayakan pengendara motor, terutama anak sekolah pada pagi hari.",
			"Sudah %d minggu kondisi ini dibiarkan. Warga meminta perbaikan segera sebelum musim hujan karena air menggenang dan jalan licin.",
			"Kerusakan terjadi setelah truk pengangkut material melintas. Mohon ditindaklanjuti oleh dinas terkait dan dipasang rambu peringatan."}},
	{"kesehatan", []string{"Posyandu kekurangan timbangan bayi", "Obat di puskesmas pembantu habis",
		"Jadwal bidan desa tidak menentu", "Kasus demam berdarah di RT kami"},
		[]string{"Ibu-ibu peserta posyandu menunggu lebih dari %d jam karena alat hanya satu dan sering rusak.",
			"Warga sudah %d kali datang ke pustu tetapi obat untuk hipertensi dan diabetes tidak tersedia.",
			"Mohon dilakukan fogging dan pemeriksaan jentik karena sudah ada beberapa warga yang dirawat di rumah sakit."}},
	{"pendidikan", []string{"Atap ruang kelas SD bocor", "Bantuan PIP belum cair", "Guru honorer belum menerima insentif"},
		[]string{"Saat hujan murid kelas %d terpaksa belajar di teras karena air masuk ke ruang kelas.",
			"Orang tua siswa sudah menyerahkan berkas sejak %d bulan lalu tetapi dana belum diterima.",
			"Kami mohon kejelasan jadwal pencairan dan persyaratan yang masih kurang."}},
	{"administrasi_kependudukan", []string{"KTP elektronik belum jadi", "Kartu keluarga salah data", "Akta kelahiran anak tertunda"},
		[]string{"Perekaman sudah dilakukan %d bulan lalu di kantor kecamatan tetapi blanko belum tersedia.",
			"Nama dan tanggal lahir anggota keluarga tertulis salah sehingga tidak bisa mendaftar BPJS Kesehatan.",
			"Mohon informasi kapan dokumen dapat diambil dan apakah bisa diurus secara daring."}},
	{"bantuan_sosial", []string{"Penerima BLT tidak tepat sasaran", "Bantuan pangan non tunai terlambat", "Warga miskin belum terdata DTKS"},
		[]string{"Ada %d keluarga yang mampu menerima bantuan sementara janda lansia di RT kami tidak terdaftar.",
			"Penyaluran bulan ini terlambat dan warga tidak mendapat pemberitahuan dari pendamping.",
			"Mohon dilakukan verifikasi ulang data penerima bersama ketua RT dan RW."}},
	{"lingkungan", []string{"Sampah menumpuk di pinggir sungai", "Limbah pabrik mencemari sawah", "Pohon tumbang menutup jalan"},
		[]string{"Tumpukan sampah sudah %d hari tidak diangkut dan menimbulkan bau serta lalat.",
			"Air sungai berubah warna dan berbau sehingga padi petani menguning dan ikan mati.",
			"Warga sudah bergotong royong tetapi membutuhkan alat berat untuk membersihkan."}},
	{"keamanan_ketertiban", []string{"Balap liar setiap malam minggu", "Pencurian ternak di dusun", "Pos ronda tidak aktif"},
		[]string{"Kegiatan ini berlangsung sampai pukul %d dini hari dan mengganggu istirahat warga.",
			"Dalam sebulan terakhir sudah ada beberapa kejadian dan warga merasa tidak aman.",
			"Mohon patroli rutin dari Bhabinkamtibmas dan Babinsa."}},
	{"pelayanan_publik", []string{"Pelayanan kantor desa tutup saat jam kerja", "Pungutan saat mengurus surat pengantar", "Antrean panjang di loket"},
		[]string{"Warga datang pukul %d pagi tetapi tidak ada petugas yang melayani.",
			"Petugas meminta sejumlah uang tanpa kuitansi untuk surat keterangan domisili.",
			"Mohon ada papan informasi jam layanan dan biaya resmi."}},
	{"ekonomi", []string{"Harga pupuk bersubsidi di atas HET", "Pasar desa sepi karena akses sulit", "Modal usaha BUMDes tidak jelas"},
		[]string{"Petani membeli pupuk seharga Rp%d.000 per karung di kios resmi.",
			"Pedagang mengeluh pendapatan turun sejak jalan menuju pasar rusak.",
			"Warga meminta laporan penggunaan dana BUMDes dibacakan dalam musyawarah desa."}},
	{"lainnya", []string{"Permohonan informasi dana desa", "Usulan kegiatan karang taruna", "Pertanyaan jadwal musrenbang"},
		[]string{"Kami ingin mengetahui rincian penggunaan dana desa tahun %d.",
			"Pemuda desa mengusulkan pelatihan keterampilan dan lapangan olahraga.",
			"Mohon diumumkan melalui grup WhatsApp RW agar warga dapat hadir."}},
}

var (
	firstNames = []string{"Asep", "Dedi", "Siti", "Nur", "Ujang", "Euis", "Agus", "Rina", "Budi", "Lilis",
		"Iwan", "Yanti", "Dadang", "Neneng", "Wawan", "Imas", "Cecep", "Tati", "Rahmat", "Ai"}
	lastNames = []string{"Suryana", "Hidayat", "Rohmah", "Saputra", "Permana", "Nurhayati", "Setiawan",
		"Kurniawan", "Maulana", "Sopiah", "Ramdani", "Fitriani", ""}
	streets = []string{"Kp. Cibening", "Jl. Raya Sadang", "Kp. Babakan", "Dusun Sukamulya", "Kp. Cigelam",
		"Jl. Veteran", "Kp. Pasirmunjul", "Dusun Cilalawi"}
	channels = []schema.Channel{"walk_in", "walk_in", "walk_in", "whatsapp", "whatsapp", "phone", "sms", "letter", "web", "lapor"}
	officers = []string{"operator-desa", "kasi-pelayanan", "sekdes"}
)

// Complaint returns a new complaint for a desa. About one in eight is
// anonymous and one in twenty confidential.
func (g *Gen) Complaint(region schema.Code) *schema.ComplaintInput {
	t := topics[g.r.IntN(len(topics))]
	name := g.pick(firstNames)
	if last := g.pick(lastNames); last != "" {
		name += " " + last
	}
	desc := g.detail(t)
	if g.r.IntN(2) == 0 {
		desc += " " + g.detail(t)
	}
	return &schema.ComplaintInput{
		Region: region, Channel: g.pickChannel(), Category: t.category,
		Classification: schema.Classifications[g.r.IntN(10)/8],
		Title:          g.pick(t.titles), Description: desc,
		Location: schema.Location{Address: g.pick(streets), RT: fmt.Sprintf("%03d", 1+g.r.IntN(12)),
			RW: fmt.Sprintf("%02d", 1+g.r.IntN(6))},
		Reporter: schema.Reporter{Name: name, NIK: g.nik(region), Phone: g.phone(),
			Anonymous: g.r.IntN(8) == 0, Confidential: g.r.IntN(20) == 0},
		Officer: g.pick(officers),
	}
}

// Action returns a plausible next action by a kecamatan officer for a
// complaint in status s, or false when s has none worth taking.
func (g *Gen) Action(s schema.Status) (*schema.ActionInput, bool) {
	switch s {
	case "received":
		return &schema.ActionInput{Action: "verify", Note: "Laporan sudah diverifikasi dan lengkap.", Officer: "kasi-pemerintahan"}, true
	case "verified":
		return &schema.ActionInput{Action: "forward", Unit: g.pick([]string{"Dinas PUPR", "Dinas Kesehatan", "Dinas Sosial", "Disdukcapil"}),
			Note: "Diteruskan ke OPD terkait untuk ditindaklanjuti.", Officer: "sekcam"}, true
	case "forwarded", "in_progress":
		return &schema.ActionInput{Action: "respond", Note: "Tim sudah meninjau lokasi; perbaikan dijadwalkan minggu depan.", Officer: "admin-opd"}, true
	}
	return nil, false
}

// detail returns one sentence of a topic, with a number where it has one.
func (g *Gen) detail(t topic) string {
	d := g.pick(t.details)
	if strings.Contains(d, "%d") {
		return fmt.Sprintf(d, 2+g.r.IntN(40))
	}
	return d
}

func (g *Gen) pick(s []string) string { return s[g.r.IntN(len(s))] }

func (g *Gen) pickChannel() schema.Channel { return channels[g.r.IntN(len(channels))] }

// nik makes a 16-digit NIK: the region's first six digits, a birth date
// (plus 40 on the day for a woman) and a serial.
func (g *Gen) nik(region schema.Code) string {
	c := region.Compact()
	for len(c) < 6 {
		c += "0"
	}
	day := 1 + g.r.IntN(28)
	if g.r.IntN(2) == 0 {
		day += 40
	}
	return fmt.Sprintf("%s%02d%02d%02d%04d", c[:6], day, 1+g.r.IntN(12), 50+g.r.IntN(50), 1+g.r.IntN(9999))
}

func (g *Gen) phone() string { return fmt.Sprintf("08%d%08d", 11+g.r.IntN(88), g.r.IntN(100000000)) }

// Monografi returns a desa's monografi for one semester: every figure of
// the built-in catalogue that is entered rather than derived, consistent
// (the sexes and age groups add up to the population, the land uses to
// the area). Codes a catalogue does not hold are for the caller to drop.
func Monografi() map[string]float64 {
	return map[string]float64{
		"wilayah.luas_km2": 7.85, "wilayah.sawah_ha": 312.5, "wilayah.tegalan_ha": 96.4,
		"wilayah.perkebunan_ha": 148.2, "wilayah.permukiman_ha": 121.7, "wilayah.hutan_ha": 54.3,
		"wilayah.fasilitas_umum_ha": 18.6, "wilayah.lahan_lain_ha": 33,
		"wilayah.ketinggian_maks_mdpl": 420, "wilayah.ketinggian_min_mdpl": 180,
		"wilayah.jarak_kecamatan_km": 2.5, "wilayah.jarak_kabupaten_km": 18,
		"wilayah.jumlah_dusun": 4, "wilayah.jumlah_rw": 9, "wilayah.jumlah_rt": 36,

		"penduduk.jumlah": 7412, "penduduk.laki_laki": 3748, "penduduk.perempuan": 3664,
		"penduduk.kk": 2286, "penduduk.kk_laki_laki": 1998, "penduduk.kk_perempuan": 288,
		"penduduk.umur_0_14": 1823, "penduduk.umur_15_64": 5062, "penduduk.umur_65_plus": 527,
		"penduduk.agama_islam": 7388, "penduduk.agama_kristen": 14, "penduduk.agama_katolik": 6,
		"penduduk.agama_hindu": 0, "penduduk.agama_buddha": 4, "penduduk.agama_khonghucu": 0,
		"penduduk.agama_kepercayaan": 0, "penduduk.lahir": 61, "penduduk.mati": 27, "penduduk.datang": 38, "penduduk.pindah": 45,
		"penduduk.pendidikan_tidak_sekolah": 1402, "penduduk.pendidikan_sd": 2611, "penduduk.pendidikan_smp": 1433,
		"penduduk.pendidikan_sma": 1198, "penduduk.pendidikan_diploma": 142, "penduduk.pendidikan_sarjana": 211,
		"penduduk.pekerjaan_petani": 912, "penduduk.pekerjaan_buruh_tani": 684, "penduduk.pekerjaan_pedagang": 355,
		"penduduk.pekerjaan_pns_tni_polri": 78, "penduduk.pekerjaan_karyawan_swasta": 1046,
		"penduduk.pekerjaan_wiraswasta": 402, "penduduk.pekerjaan_lainnya": 611,

		"ekonomi.keluarga_prasejahtera": 312, "ekonomi.keluarga_sejahtera_1": 498,
		"ekonomi.keluarga_sejahtera_2": 734, "ekonomi.keluarga_sejahtera_3": 561,
		"ekonomi.keluarga_sejahtera_3_plus": 143, "ekonomi.keluarga_penerima_bansos": 426,
		"ekonomi.pasar": 1, "ekonomi.toko_warung": 87, "ekonomi.umkm": 164, "ekonomi.industri_rumah_tangga": 29,
		"ekonomi.produksi_padi_ton": 1812.5, "ekonomi.ternak_sapi": 146, "ekonomi.ternak_kambing": 1038,

		"pendidikan.paud": 5, "pendidikan.sd": 4, "pendidikan.smp": 1, "pendidikan.sma": 1,
		"pendidikan.pesantren": 2, "pendidikan.murid_sd": 742, "pendidikan.guru_sd": 38,
		"pendidikan.putus_sekolah": 9, "pendidikan.buta_aksara": 64,

		"kesehatan.puskesmas": 1, "kesehatan.poskesdes": 1, "kesehatan.posyandu": 9,
		"kesehatan.dokter": 2, "kesehatan.bidan": 3, "kesehatan.perawat": 4,
		"kesehatan.balita": 586, "kesehatan.balita_gizi_buruk": 3, "kesehatan.balita_stunting": 71,
		"kesehatan.kematian_ibu": 0, "kesehatan.kematian_bayi": 2, "kesehatan.cakupan_imunisasi_dasar": 91.4,
		"kesehatan.keluarga_jamban_sehat": 1942,

		"sarana_prasarana.jalan_km": 24.6, "sarana_prasarana.jalan_aspal_km": 13.2,
		"sarana_prasarana.jalan_diperkeras_km": 7.1, "sarana_prasarana.jalan_tanah_km": 4.3,
		"sarana_prasarana.jembatan": 6, "sarana_prasarana.rumah": 2194,
		"sarana_prasarana.rumah_permanen": 1702, "sarana_prasarana.rumah_semi_permanen": 398,
		"sarana_prasarana.rumah_tidak_permanen": 94, "sarana_prasarana.keluarga_listrik_pln": 2251,
		"sarana_prasarana.keluarga_air_bersih": 1876, "sarana_prasarana.masjid_musala": 41,
		"sarana_prasarana.gereja": 0, "sarana_prasarana.pura_vihara": 0, "sarana_prasarana.lapangan_olahraga": 3,

		"pemerintahan.perangkat_desa": 14, "pemerintahan.anggota_bpd": 9, "pemerintahan.peraturan_desa": 4,
		"pemerintahan.pemilih_terdaftar": 5381, "pemerintahan.apbdes_pendapatan": 2486.7,
		"pemerintahan.apbdes_belanja": 2431.2, "pemerintahan.dana_desa": 1012.4,

		"kelembagaan.lpm": 1, "kelembagaan.anggota_pkk": 48, "kelembagaan.karang_taruna": 1,
		"kelembagaan.anggota_linmas": 32, "kelembagaan.kelompok_tani": 12, "kelembagaan.koperasi": 1,
		"kelembagaan.bumdes": 1, "kelembagaan.majelis_taklim": 18,
	}
}

// The size of Indonesia's region tree (Kepmendagri 2025), which Nation
// generates.
const (
	NationProvinces = 38
	NationKabupaten = 514
	NationKecamatan = 7285
	NationDesa      = 83762
)

// Nation returns a generated region tree of Indonesia's size, desa first
// then every region above: desa k lies in kecamatan k mod 7,285,
// kecamatan j in kabupaten j mod 514, kabupaten i in province i mod 38.
// The codes are valid but made up.
func Nation() []schema.Code {
	out := make([]schema.Code, 0, NationDesa+NationKecamatan+NationKabupaten+NationProvinces)
	kab := func(i int) string { return fmt.Sprintf("%d.%02d", 11+i%NationProvinces, 1+i/NationProvinces) }
	kec := func(j int) string { return fmt.Sprintf("%s.%02d", kab(j%NationKabupaten), 1+j/NationKabupaten) }
	for k := range NationDesa {
		out = append(out, schema.Code(fmt.Sprintf("%s.%04d", kec(k%NationKecamatan), 2001+k/NationKecamatan)))
	}
	for j := range NationKecamatan {
		out = append(out, schema.Code(kec(j)))
	}
	for i := range NationKabupaten {
		out = append(out, schema.Code(kab(i)))
	}
	for p := range NationProvinces {
		out = append(out, schema.Code(fmt.Sprintf("%d", 11+p)))
	}
	return out
}

// MonografiFor is Monografi varied by desa, so that aggregates are not
// multiples of one document: the counts of people are scaled by a factor
// from 0.5 to 1.5 that depends on i, and stay whole.
func MonografiFor(i int) map[string]float64 {
	m := Monografi()
	f := 0.5 + float64(i%101)/100
	for code, x := range m {
		if strings.HasPrefix(code, "penduduk.") {
			m[code] = math.Round(x * f)
		}
	}
	return m
}
