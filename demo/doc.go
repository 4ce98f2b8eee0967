// Package demo is what `lumbung demo` runs. Run works a whole kabupaten
// (package localcluster) through a day: complaints taken at desa and
// kecamatan, actions on them, every desa's semester figures entered,
// submitted and approved, desa links dropping now and then; then the
// links come back, the kabupaten settles, and the result checks that its
// aggregate totals are the sums of what the desa entered. FillDesa fills
// one desa node with a month of its office's work (sample.Month), for
// `lumbung demo desa`.
//
// The command keeps the flags and the words an officer reads; the work
// is here.
package demo
