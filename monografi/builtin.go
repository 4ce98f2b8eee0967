package monografi

// BuiltinVersion is the version of the catalogue compiled into the binary.
const BuiltinVersion = 1

// Builtin returns catalogue version 1, compiled in: the indicators of the
// desa/kelurahan profile of Permendagri 12/2007 and 13/2012 that a desa
// office can count. Each call returns a fresh copy the caller may keep.
func Builtin() *Catalogue {
	inds := make([]Indicator, len(builtinRows))
	for i, r := range builtinRows {
		inds[i] = Indicator{Code: r.code, LabelID: r.id, LabelEN: r.en, Unit: r.unit, Type: r.typ, Agg: r.agg}
	}
	c, err := NewCatalogue(BuiltinVersion, cloneGroups(), inds, cloneIdentities(), cloneFormulas())
	if err != nil {
		panic(err) // the table below is wrong; the catalogue tests catch it
	}
	return c
}

type row struct {
	code, id, en, unit string
	typ                Type
	agg                Agg
}

var builtinGroups = []Group{
	{"wilayah", "Wilayah", "Territory"},
	{"penduduk", "Kependudukan", "Population"},
	{"ekonomi", "Ekonomi", "Economy"},
	{"pendidikan", "Pendidikan", "Education"},
	{"kesehatan", "Kesehatan", "Health"},
	{"sarana_prasarana", "Sarana dan prasarana", "Facilities and infrastructure"},
	{"pemerintahan", "Pemerintahan", "Government"},
	{"kelembagaan", "Kelembagaan", "Community institutions"},
}

var builtinRows = []row{
	// Wilayah: area, land use, elevation, distances, administrative units.
	{"wilayah.luas_km2", "Luas wilayah", "Area", "km²", TypeDecimal, AggSum},
	{"wilayah.sawah_ha", "Luas sawah", "Rice fields", "ha", TypeDecimal, AggSum},
	{"wilayah.tegalan_ha", "Luas tegalan/ladang", "Dry fields", "ha", TypeDecimal, AggSum},
	{"wilayah.perkebunan_ha", "Luas perkebunan", "Plantations", "ha", TypeDecimal, AggSum},
	{"wilayah.permukiman_ha", "Luas permukiman", "Settlements", "ha", TypeDecimal, AggSum},
	{"wilayah.hutan_ha", "Luas hutan", "Forest", "ha", TypeDecimal, AggSum},
	{"wilayah.fasilitas_umum_ha", "Luas fasilitas umum", "Public facilities land", "ha", TypeDecimal, AggSum},
	{"wilayah.lahan_lain_ha", "Luas lahan lainnya", "Other land", "ha", TypeDecimal, AggSum},
	{"wilayah.ketinggian_maks_mdpl", "Ketinggian tertinggi", "Highest elevation", "m dpl", TypeDecimal, AggMax},
	{"wilayah.ketinggian_min_mdpl", "Ketinggian terendah", "Lowest elevation", "m dpl", TypeDecimal, AggMin},
	{"wilayah.jarak_kecamatan_km", "Jarak ke kantor kecamatan", "Distance to the kecamatan office", "km", TypeDecimal, AggNone},
	{"wilayah.jarak_kabupaten_km", "Jarak ke ibu kota kabupaten", "Distance to the regency capital", "km", TypeDecimal, AggNone},
	{"wilayah.jumlah_dusun", "Jumlah dusun/lingkungan", "Hamlets", "unit", TypeInteger, AggSum},
	{"wilayah.jumlah_rw", "Jumlah RW", "Community units (RW)", "unit", TypeInteger, AggSum},
	{"wilayah.jumlah_rt", "Jumlah RT", "Neighbourhood units (RT)", "unit", TypeInteger, AggSum},

	// Kependudukan: totals, sex, age, households, religion, education,
	// occupation, vital events, and the derived ratios.
	{"penduduk.jumlah", "Jumlah penduduk", "Total population", "jiwa", TypeInteger, AggSum},
	{"penduduk.laki_laki", "Penduduk laki-laki", "Male population", "jiwa", TypeInteger, AggSum},
	{"penduduk.perempuan", "Penduduk perempuan", "Female population", "jiwa", TypeInteger, AggSum},
	{"penduduk.kk", "Jumlah kepala keluarga", "Households", "KK", TypeInteger, AggSum},
	{"penduduk.kk_laki_laki", "Kepala keluarga laki-laki", "Male-headed households", "KK", TypeInteger, AggSum},
	{"penduduk.kk_perempuan", "Kepala keluarga perempuan", "Female-headed households", "KK", TypeInteger, AggSum},
	{"penduduk.umur_0_14", "Penduduk umur 0–14 tahun", "Population aged 0–14", "jiwa", TypeInteger, AggSum},
	{"penduduk.umur_15_64", "Penduduk umur 15–64 tahun", "Population aged 15–64", "jiwa", TypeInteger, AggSum},
	{"penduduk.umur_65_plus", "Penduduk umur 65 tahun ke atas", "Population aged 65 and over", "jiwa", TypeInteger, AggSum},
	{"penduduk.agama_islam", "Pemeluk Islam", "Muslims", "jiwa", TypeInteger, AggSum},
	{"penduduk.agama_kristen", "Pemeluk Kristen", "Protestants", "jiwa", TypeInteger, AggSum},
	{"penduduk.agama_katolik", "Pemeluk Katolik", "Catholics", "jiwa", TypeInteger, AggSum},
	{"penduduk.agama_hindu", "Pemeluk Hindu", "Hindus", "jiwa", TypeInteger, AggSum},
	{"penduduk.agama_buddha", "Pemeluk Buddha", "Buddhists", "jiwa", TypeInteger, AggSum},
	{"penduduk.agama_khonghucu", "Pemeluk Khonghucu", "Confucians", "jiwa", TypeInteger, AggSum},
	{"penduduk.agama_kepercayaan", "Penghayat kepercayaan", "Followers of indigenous beliefs", "jiwa", TypeInteger, AggSum},
	{"penduduk.pendidikan_tidak_sekolah", "Tidak/belum sekolah", "No schooling yet", "jiwa", TypeInteger, AggSum},
	{"penduduk.pendidikan_sd", "Tamat SD/sederajat", "Completed primary school", "jiwa", TypeInteger, AggSum},
	{"penduduk.pendidikan_smp", "Tamat SMP/sederajat", "Completed junior secondary school", "jiwa", TypeInteger, AggSum},
	{"penduduk.pendidikan_sma", "Tamat SMA/sederajat", "Completed senior secondary school", "jiwa", TypeInteger, AggSum},
	{"penduduk.pendidikan_diploma", "Tamat diploma (D1–D4)", "Diploma graduates", "jiwa", TypeInteger, AggSum},
	{"penduduk.pendidikan_sarjana", "Tamat sarjana (S1–S3)", "University graduates", "jiwa", TypeInteger, AggSum},
	{"penduduk.pekerjaan_petani", "Petani", "Farmers", "orang", TypeInteger, AggSum},
	{"penduduk.pekerjaan_buruh_tani", "Buruh tani", "Farm labourers", "orang", TypeInteger, AggSum},
	{"penduduk.pekerjaan_pedagang", "Pedagang", "Traders", "orang", TypeInteger, AggSum},
	{"penduduk.pekerjaan_pns_tni_polri", "PNS/TNI/Polri", "Civil servants, military and police", "orang", TypeInteger, AggSum},
	{"penduduk.pekerjaan_karyawan_swasta", "Karyawan swasta", "Private-sector employees", "orang", TypeInteger, AggSum},
	{"penduduk.pekerjaan_wiraswasta", "Wiraswasta", "Self-employed", "orang", TypeInteger, AggSum},
	{"penduduk.pekerjaan_lainnya", "Pekerjaan lainnya", "Other occupations", "orang", TypeInteger, AggSum},
	{"penduduk.lahir", "Kelahiran dalam periode", "Births in the period", "jiwa", TypeInteger, AggSum},
	{"penduduk.mati", "Kematian dalam periode", "Deaths in the period", "jiwa", TypeInteger, AggSum},
	{"penduduk.datang", "Penduduk datang dalam periode", "In-migrants in the period", "jiwa", TypeInteger, AggSum},
	{"penduduk.pindah", "Penduduk pindah dalam periode", "Out-migrants in the period", "jiwa", TypeInteger, AggSum},
	{"penduduk.kepadatan", "Kepadatan penduduk", "Population density", "jiwa/km²", TypeRatio, AggDerived},
	{"penduduk.rasio_jenis_kelamin", "Rasio jenis kelamin", "Sex ratio", "laki-laki per 100 perempuan", TypeRatio, AggDerived},
	{"penduduk.rasio_ketergantungan", "Rasio ketergantungan", "Dependency ratio", "per 100 penduduk usia produktif", TypeRatio, AggDerived},
	{"penduduk.rata_rata_anggota_kk", "Rata-rata anggota keluarga", "Average household size", "jiwa/KK", TypeRatio, AggDerived},

	// Ekonomi: family welfare stages (BKKBN), enterprises, production.
	{"ekonomi.keluarga_prasejahtera", "Keluarga prasejahtera", "Pre-prosperous families", "KK", TypeInteger, AggSum},
	{"ekonomi.keluarga_sejahtera_1", "Keluarga sejahtera I", "Prosperous families, stage I", "KK", TypeInteger, AggSum},
	{"ekonomi.keluarga_sejahtera_2", "Keluarga sejahtera II", "Prosperous families, stage II", "KK", TypeInteger, AggSum},
	{"ekonomi.keluarga_sejahtera_3", "Keluarga sejahtera III", "Prosperous families, stage III", "KK", TypeInteger, AggSum},
	{"ekonomi.keluarga_sejahtera_3_plus", "Keluarga sejahtera III plus", "Prosperous families, stage III plus", "KK", TypeInteger, AggSum},
	{"ekonomi.keluarga_penerima_bansos", "Keluarga penerima bantuan sosial", "Families receiving social assistance", "KK", TypeInteger, AggSum},
	{"ekonomi.persen_prasejahtera", "Persentase keluarga prasejahtera", "Share of pre-prosperous families", "%", TypeRatio, AggDerived},
	{"ekonomi.pasar", "Pasar", "Markets", "unit", TypeInteger, AggSum},
	{"ekonomi.toko_warung", "Toko/warung", "Shops and stalls", "unit", TypeInteger, AggSum},
	{"ekonomi.umkm", "Usaha mikro, kecil dan menengah", "Micro, small and medium enterprises", "unit", TypeInteger, AggSum},
	{"ekonomi.industri_rumah_tangga", "Industri rumah tangga", "Home industries", "unit", TypeInteger, AggSum},
	{"ekonomi.produksi_padi_ton", "Produksi padi", "Rice production", "ton", TypeDecimal, AggSum},
	{"ekonomi.ternak_sapi", "Ternak sapi/kerbau", "Cattle and buffalo", "ekor", TypeInteger, AggSum},
	{"ekonomi.ternak_kambing", "Ternak kambing/domba", "Goats and sheep", "ekor", TypeInteger, AggSum},

	// Pendidikan: schools, pupils, teachers.
	{"pendidikan.paud", "PAUD/TK/RA", "Early childhood and kindergartens", "unit", TypeInteger, AggSum},
	{"pendidikan.sd", "SD/MI", "Primary schools", "unit", TypeInteger, AggSum},
	{"pendidikan.smp", "SMP/MTs", "Junior secondary schools", "unit", TypeInteger, AggSum},
	{"pendidikan.sma", "SMA/SMK/MA", "Senior secondary schools", "unit", TypeInteger, AggSum},
	{"pendidikan.pesantren", "Pondok pesantren", "Islamic boarding schools", "unit", TypeInteger, AggSum},
	{"pendidikan.murid_sd", "Murid SD/MI", "Primary pupils", "orang", TypeInteger, AggSum},
	{"pendidikan.guru_sd", "Guru SD/MI", "Primary teachers", "orang", TypeInteger, AggSum},
	{"pendidikan.rasio_murid_guru_sd", "Rasio murid terhadap guru SD/MI", "Primary pupil–teacher ratio", "murid per guru", TypeRatio, AggDerived},
	{"pendidikan.putus_sekolah", "Anak putus sekolah", "School dropouts", "orang", TypeInteger, AggSum},
	{"pendidikan.buta_aksara", "Penduduk buta aksara 15 tahun ke atas", "Illiterate people aged 15 and over", "orang", TypeInteger, AggSum},

	// Kesehatan: facilities, workers, children, coverage.
	{"kesehatan.puskesmas", "Puskesmas/pustu", "Health centres", "unit", TypeInteger, AggSum},
	{"kesehatan.poskesdes", "Poskesdes/polindes", "Village health posts", "unit", TypeInteger, AggSum},
	{"kesehatan.posyandu", "Posyandu", "Integrated community health posts", "unit", TypeInteger, AggSum},
	{"kesehatan.dokter", "Dokter", "Doctors", "orang", TypeInteger, AggSum},
	{"kesehatan.bidan", "Bidan", "Midwives", "orang", TypeInteger, AggSum},
	{"kesehatan.perawat", "Perawat", "Nurses", "orang", TypeInteger, AggSum},
	{"kesehatan.balita", "Balita", "Children under five", "jiwa", TypeInteger, AggSum},
	{"kesehatan.balita_gizi_buruk", "Balita gizi buruk", "Severely malnourished children under five", "jiwa", TypeInteger, AggSum},
	{"kesehatan.balita_stunting", "Balita stunting", "Stunted children under five", "jiwa", TypeInteger, AggSum},
	{"kesehatan.persen_stunting", "Prevalensi stunting balita", "Stunting prevalence under five", "%", TypeRatio, AggDerived},
	{"kesehatan.kematian_ibu", "Kematian ibu melahirkan", "Maternal deaths", "jiwa", TypeInteger, AggSum},
	{"kesehatan.kematian_bayi", "Kematian bayi", "Infant deaths", "jiwa", TypeInteger, AggSum},
	{"kesehatan.cakupan_imunisasi_dasar", "Cakupan imunisasi dasar lengkap", "Complete basic immunisation coverage", "%", TypePercent, AggNone},
	{"kesehatan.keluarga_jamban_sehat", "Keluarga dengan jamban sehat", "Households with a healthy latrine", "KK", TypeInteger, AggSum},

	// Sarana dan prasarana: roads, housing, utilities, worship, sport.
	{"sarana_prasarana.jalan_km", "Panjang jalan desa", "Village road length", "km", TypeDecimal, AggSum},
	{"sarana_prasarana.jalan_aspal_km", "Jalan aspal/beton", "Asphalt or concrete roads", "km", TypeDecimal, AggSum},
	{"sarana_prasarana.jalan_diperkeras_km", "Jalan diperkeras (batu/kerikil)", "Gravel roads", "km", TypeDecimal, AggSum},
	{"sarana_prasarana.jalan_tanah_km", "Jalan tanah", "Earth roads", "km", TypeDecimal, AggSum},
	{"sarana_prasarana.jembatan", "Jembatan", "Bridges", "unit", TypeInteger, AggSum},
	{"sarana_prasarana.rumah", "Jumlah rumah", "Houses", "unit", TypeInteger, AggSum},
	{"sarana_prasarana.rumah_permanen", "Rumah permanen", "Permanent houses", "unit", TypeInteger, AggSum},
	{"sarana_prasarana.rumah_semi_permanen", "Rumah semi permanen", "Semi-permanent houses", "unit", TypeInteger, AggSum},
	{"sarana_prasarana.rumah_tidak_permanen", "Rumah tidak permanen", "Non-permanent houses", "unit", TypeInteger, AggSum},
	{"sarana_prasarana.keluarga_listrik_pln", "Keluarga pengguna listrik PLN", "Households on PLN electricity", "KK", TypeInteger, AggSum},
	{"sarana_prasarana.keluarga_air_bersih", "Keluarga dengan akses air bersih", "Households with clean water", "KK", TypeInteger, AggSum},
	{"sarana_prasarana.masjid_musala", "Masjid/musala", "Mosques and prayer rooms", "unit", TypeInteger, AggSum},
	{"sarana_prasarana.gereja", "Gereja", "Churches", "unit", TypeInteger, AggSum},
	{"sarana_prasarana.pura_vihara", "Pura/vihara/kelenteng", "Temples", "unit", TypeInteger, AggSum},
	{"sarana_prasarana.lapangan_olahraga", "Lapangan olahraga", "Sports fields", "unit", TypeInteger, AggSum},

	// Pemerintahan: officials, the BPD, regulations, the village budget.
	{"pemerintahan.perangkat_desa", "Perangkat desa", "Village officials", "orang", TypeInteger, AggSum},
	{"pemerintahan.anggota_bpd", "Anggota BPD", "Village consultative body members", "orang", TypeInteger, AggSum},
	{"pemerintahan.peraturan_desa", "Peraturan desa yang ditetapkan", "Village regulations enacted", "unit", TypeInteger, AggSum},
	{"pemerintahan.pemilih_terdaftar", "Pemilih terdaftar", "Registered voters", "orang", TypeInteger, AggSum},
	{"pemerintahan.apbdes_pendapatan", "Pendapatan APBDes", "Village budget revenue", "juta Rp", TypeDecimal, AggSum},
	{"pemerintahan.apbdes_belanja", "Belanja APBDes", "Village budget spending", "juta Rp", TypeDecimal, AggSum},
	{"pemerintahan.dana_desa", "Dana desa diterima", "Village fund received", "juta Rp", TypeDecimal, AggSum},

	// Kelembagaan: community institutions and their members.
	{"kelembagaan.lpm", "Lembaga pemberdayaan masyarakat", "Community empowerment bodies", "unit", TypeInteger, AggSum},
	{"kelembagaan.anggota_pkk", "Anggota PKK", "Family welfare movement (PKK) members", "orang", TypeInteger, AggSum},
	{"kelembagaan.karang_taruna", "Karang taruna", "Youth organisations", "unit", TypeInteger, AggSum},
	{"kelembagaan.anggota_linmas", "Anggota linmas", "Community protection members", "orang", TypeInteger, AggSum},
	{"kelembagaan.kelompok_tani", "Kelompok tani", "Farmer groups", "unit", TypeInteger, AggSum},
	{"kelembagaan.koperasi", "Koperasi", "Cooperatives", "unit", TypeInteger, AggSum},
	{"kelembagaan.bumdes", "Badan usaha milik desa", "Village-owned enterprises", "unit", TypeInteger, AggSum},
	{"kelembagaan.majelis_taklim", "Majelis taklim/kelompok keagamaan", "Religious study groups", "unit", TypeInteger, AggSum},
}
