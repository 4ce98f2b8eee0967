package httpapi

import (
	"net/http"

	"github.com/lumbung/lumbung/doctor"
	"github.com/lumbung/lumbung/locale"
)

// DoctorReport is what `lumbung doctor` prints and the screens show:
// each check's finding, in both languages, with what to do about it.
type DoctorReport struct {
	Region   string           `json:"region"`
	Tier     string           `json:"tier"`
	Worst    doctor.Level     `json:"worst"`
	Findings []doctor.Finding `json:"findings"`
}

// doctorReport examines the node (package doctor), for every officer:
// the one at the desa reads it to whoever helps on the phone. It reads
// only; it may take seconds (the store is checked whole, the upstream
// asked).
func (a *api) doctorReport(w http.ResponseWriter, r *http.Request) {
	locale.WriteJSON(w, http.StatusOK, a.examine(r))
}

func (a *api) examine(r *http.Request) DoctorReport {
	fs := a.n.Doctor(r.Context())
	return DoctorReport{Region: string(a.cfg.Region), Tier: string(a.cfg.Tier), Worst: doctor.Worst(fs), Findings: fs}
}

// doctorPage is the same report as a screen.
func (a *api) doctorPage(w http.ResponseWriter, r *http.Request) {
	p := a.page(w, r, "ui.doctor")
	p.Data = a.examine(r)
	a.pages.Render(w, r, http.StatusOK, "doctor", p)
}
