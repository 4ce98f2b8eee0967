package main

import (
	"testing"

	"github.com/lumbung/lumbung/officer"
)

// TestDoctorCommand: lumbung doctor prints each check at a running desa,
// in Indonesian by default and in English on request, to any officer.
func TestDoctorCommand(t *testing.T) {
	tn := newTestNode(t)
	tn.loginAs(t, officer.Operator)
	out := mustRun(t, "doctor", "--node", tn.url)
	wantOut(t, out, "Pemeriksaan node desa "+string(testDesa), "[baik]", "disk", "jam", "data", "Data Lumbung terbuka dan utuh", "Semua baik.")
	out = mustRun(t, "--lang", "en", "doctor", "--node", tn.url)
	wantOut(t, out, "Examining the desa node", "[ok]", "Lumbung's data opens and is whole", "All is well.")
}
