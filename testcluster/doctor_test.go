package testcluster

import (
	"strings"
	"testing"
	"time"

	"github.com/lumbung/lumbung/client"
	"github.com/lumbung/lumbung/doctor"
	"github.com/lumbung/lumbung/httpapi"
	"github.com/lumbung/lumbung/officer"
)

// TestDoctor asks a real desa's doctor (GET /api/v1/doctor, what
// `lumbung doctor` prints) as each trouble is made real: healthy; its
// clock three days ahead; its kecamatan unreachable; its token revoked.
// Each is named at its check, in words, with the fix. (A full disk is
// shown by the doctor package's own test, from the facts a node reads.)
func TestDoctor(t *testing.T) {
	k := NewKabupaten(t, Topology{Kecamatan: 1, DesaPerKecamatan: 1, Members: 1})
	kec, desa := k.Kecamatan[0], k.Kecamatan[0].Desa[0]
	ask := func() httpapi.DoctorReport {
		var rep httpapi.DoctorReport
		decode(t, mustDo(t, officer.Admin, "GET", desa.URL+"/api/v1/doctor", nil, 200), &rep)
		return rep
	}
	find := func(rep httpapi.DoctorReport, check string) doctor.Finding {
		for _, f := range rep.Findings {
			if f.Check == check {
				return f
			}
		}
		t.Fatalf("no %s finding in %+v", check, rep)
		return doctor.Finding{}
	}
	takeComplaint(t, desa.URL, desa.Code)
	Eventually(t, time.Minute, "the desa synced", func() bool { return desa.PendingUp() == 0 })
	rep := ask()
	for _, f := range rep.Findings {
		if f.Level != doctor.OK {
			t.Errorf("a healthy desa: %s %s %q", f.Check, f.Level, f.Says.ID)
		}
	}
	if l := find(rep, "link"); !strings.Contains(l.Says.ID, "pulang-pergi") {
		t.Errorf("the healthy link: %q", l.Says.ID)
	}

	// The laptop's clock three days ahead.
	desa.Clock.Skew(72 * time.Hour)
	takeComplaint(t, desa.URL, desa.Code)
	Eventually(t, time.Minute, "the skew measured", func() bool {
		up := desa.Node().SyncStatus().Uplink
		return up != nil && up.SkewMs > 48*3600*1000
	})
	if c := find(ask(), "clock"); c.Level != doctor.Problem || !strings.Contains(c.Says.ID, "3 hari lebih cepat") ||
		!strings.Contains(c.Fix.ID, "Atur waktu otomatis") {
		t.Errorf("a clock three days ahead: %+v", c)
	}
	desa.Clock.Skew(0)

	// The kecamatan unreachable.
	for _, l := range desa.Up {
		l.SetDown(true)
	}
	rep = ask()
	if l := find(rep, "link"); l.Level != doctor.Problem || !strings.Contains(l.Says.ID, "tidak dapat dihubungi") ||
		!strings.Contains(l.Fix.ID, "modem") || rep.Worst != doctor.Problem {
		t.Errorf("an unreachable kecamatan: %+v", l)
	}
	for _, l := range desa.Up {
		l.SetDown(false)
	}

	// The token revoked at the kecamatan.
	admin, err := client.New(kec.Members[0].URL, client.Options{HTTP: as(officer.Admin)})
	if err != nil {
		t.Fatal(err)
	}
	if err := admin.Revoke(t.Context(), desa.Code); err != nil {
		t.Fatal(err)
	}
	takeComplaint(t, desa.URL, desa.Code)
	Eventually(t, time.Minute, "the refusal", func() bool {
		up := desa.Node().SyncStatus().Uplink
		return up != nil && up.LastErrorCode == "bad_token"
	})
	if tk := find(ask(), "token"); tk.Level != doctor.Problem || !strings.Contains(tk.Says.ID, "dicabut") ||
		!strings.Contains(tk.Fix.ID, "lumbung sync token") || tk.Says.EN == "" {
		t.Errorf("a revoked token: %+v", tk)
	}
}
