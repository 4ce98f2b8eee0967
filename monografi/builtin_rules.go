package monografi

// hectaresPerKm2 converts wilayah.luas_km2 into the hectares land use is
// counted in.
const hectaresPerKm2 = 100

// builtinIdentities are the sums that must agree in catalogue version 1.
var builtinIdentities = []Identity{
	// Population by sex and by age group add up to the total.
	{Parts: []string{"penduduk.laki_laki", "penduduk.perempuan"}, Rel: RelEqual, Total: "penduduk.jumlah"},
	{Parts: []string{"penduduk.umur_0_14", "penduduk.umur_15_64", "penduduk.umur_65_plus"}, Rel: RelEqual, Total: "penduduk.jumlah"},
	{Parts: []string{
		"penduduk.agama_islam", "penduduk.agama_kristen", "penduduk.agama_katolik", "penduduk.agama_hindu",
		"penduduk.agama_buddha", "penduduk.agama_khonghucu", "penduduk.agama_kepercayaan",
	}, Rel: RelEqual, Total: "penduduk.jumlah"},
	{Parts: []string{
		"penduduk.pendidikan_tidak_sekolah", "penduduk.pendidikan_sd", "penduduk.pendidikan_smp",
		"penduduk.pendidikan_sma", "penduduk.pendidikan_diploma", "penduduk.pendidikan_sarjana",
	}, Rel: RelAtMost, Total: "penduduk.jumlah"},
	{Parts: []string{
		"penduduk.pekerjaan_petani", "penduduk.pekerjaan_buruh_tani", "penduduk.pekerjaan_pedagang",
		"penduduk.pekerjaan_pns_tni_polri", "penduduk.pekerjaan_karyawan_swasta",
		"penduduk.pekerjaan_wiraswasta", "penduduk.pekerjaan_lainnya",
	}, Rel: RelAtMost, Total: "penduduk.jumlah"},
	{Parts: []string{"pemerintahan.pemilih_terdaftar"}, Rel: RelAtMost, Total: "penduduk.jumlah"},

	// Households: every household has at least one member, and is headed
	// by a man or a woman.
	{Parts: []string{"penduduk.kk"}, Rel: RelAtMost, Total: "penduduk.jumlah"},
	{Parts: []string{"penduduk.kk_laki_laki", "penduduk.kk_perempuan"}, Rel: RelEqual, Total: "penduduk.kk"},
	{Parts: []string{
		"ekonomi.keluarga_prasejahtera", "ekonomi.keluarga_sejahtera_1", "ekonomi.keluarga_sejahtera_2",
		"ekonomi.keluarga_sejahtera_3", "ekonomi.keluarga_sejahtera_3_plus",
	}, Rel: RelAtMost, Total: "penduduk.kk"},
	{Parts: []string{"ekonomi.keluarga_penerima_bansos"}, Rel: RelAtMost, Total: "penduduk.kk"},
	{Parts: []string{"sarana_prasarana.keluarga_listrik_pln"}, Rel: RelAtMost, Total: "penduduk.kk"},
	{Parts: []string{"sarana_prasarana.keluarga_air_bersih"}, Rel: RelAtMost, Total: "penduduk.kk"},
	{Parts: []string{"kesehatan.keluarga_jamban_sehat"}, Rel: RelAtMost, Total: "penduduk.kk"},

	// Land: the parts fit in the area (in hectares), the lowest point is
	// not above the highest.
	{Parts: []string{
		"wilayah.sawah_ha", "wilayah.tegalan_ha", "wilayah.perkebunan_ha", "wilayah.permukiman_ha",
		"wilayah.hutan_ha", "wilayah.fasilitas_umum_ha", "wilayah.lahan_lain_ha",
	}, Rel: RelAtMost, Total: "wilayah.luas_km2", Factor: hectaresPerKm2},
	{Parts: []string{"wilayah.ketinggian_min_mdpl"}, Rel: RelAtMost, Total: "wilayah.ketinggian_maks_mdpl"},

	// Children under five are children, and counted once each.
	{Parts: []string{"kesehatan.balita"}, Rel: RelAtMost, Total: "penduduk.umur_0_14"},
	{Parts: []string{"kesehatan.balita_gizi_buruk"}, Rel: RelAtMost, Total: "kesehatan.balita"},
	{Parts: []string{"kesehatan.balita_stunting"}, Rel: RelAtMost, Total: "kesehatan.balita"},

	// Roads by surface and houses by build add up to their totals.
	{Parts: []string{
		"sarana_prasarana.jalan_aspal_km", "sarana_prasarana.jalan_diperkeras_km", "sarana_prasarana.jalan_tanah_km",
	}, Rel: RelEqual, Total: "sarana_prasarana.jalan_km"},
	{Parts: []string{
		"sarana_prasarana.rumah_permanen", "sarana_prasarana.rumah_semi_permanen", "sarana_prasarana.rumah_tidak_permanen",
	}, Rel: RelEqual, Total: "sarana_prasarana.rumah"},
}

// builtinFormulas compute the derived indicators of catalogue version 1.
var builtinFormulas = []Formula{
	{Code: "penduduk.kepadatan", Num: []string{"penduduk.jumlah"}, Den: []string{"wilayah.luas_km2"}, Scale: 1},
	{Code: "penduduk.rasio_jenis_kelamin", Num: []string{"penduduk.laki_laki"}, Den: []string{"penduduk.perempuan"}, Scale: 100},
	{
		Code: "penduduk.rasio_ketergantungan", Num: []string{"penduduk.umur_0_14", "penduduk.umur_65_plus"},
		Den: []string{"penduduk.umur_15_64"}, Scale: 100,
	},
	{Code: "penduduk.rata_rata_anggota_kk", Num: []string{"penduduk.jumlah"}, Den: []string{"penduduk.kk"}, Scale: 1},
	{Code: "ekonomi.persen_prasejahtera", Num: []string{"ekonomi.keluarga_prasejahtera"}, Den: []string{"penduduk.kk"}, Scale: 100},
	{Code: "pendidikan.rasio_murid_guru_sd", Num: []string{"pendidikan.murid_sd"}, Den: []string{"pendidikan.guru_sd"}, Scale: 1},
	{Code: "kesehatan.persen_stunting", Num: []string{"kesehatan.balita_stunting"}, Den: []string{"kesehatan.balita"}, Scale: 100},
}

func cloneGroups() []Group { return append([]Group(nil), builtinGroups...) }

func cloneIdentities() []Identity {
	out := make([]Identity, len(builtinIdentities))
	for i, id := range builtinIdentities {
		out[i] = id
		out[i].Parts = append([]string(nil), id.Parts...)
	}
	return out
}

func cloneFormulas() []Formula {
	out := make([]Formula, len(builtinFormulas))
	for i, f := range builtinFormulas {
		out[i] = f
		out[i].Num = append([]string(nil), f.Num...)
		out[i].Den = append([]string(nil), f.Den...)
	}
	return out
}
