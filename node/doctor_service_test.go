package node

import (
	"context"
	"testing"

	"github.com/lumbung/lumbung/doctor"
	"github.com/lumbung/lumbung/service"
)

// TestDoctorService: the doctor asks the service manager through
// Options.Service (service.Query in lumbung serve) and says what it
// answers: a service installed but stopped is a problem with the fix,
// one that runs and starts at boot is well; without a service manager
// the check is left out.
func TestDoctorService(t *testing.T) {
	for _, c := range []struct {
		name  string
		state *service.State
		want  doctor.Level // "" : no service finding
	}{
		{"no service manager", nil, ""},
		{"not installed", &service.State{Known: true}, doctor.Warn},
		{"stopped", &service.State{Known: true, Installed: true, AtBoot: true}, doctor.Problem},
		{"running", &service.State{Known: true, Installed: true, Running: true, AtBoot: true}, doctor.OK},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := DefaultConfig(TierDesa, testDesa)
			opts := Options{Logger: testLogger(t), PasswordCost: cheapPasswords}
			if c.state != nil {
				st := *c.state
				opts.Service = func(context.Context) service.State { return st }
			}
			n, err := Open(dir, cfg, opts)
			if err != nil {
				t.Fatal(err)
			}
			defer n.Close()
			var got doctor.Level
			for _, f := range n.Doctor(context.Background()) {
				if f.Check == "service" {
					got = f.Level
					if f.Level != doctor.OK && f.Fix.ID == "" {
						t.Errorf("no fix for %+v", f)
					}
				}
			}
			if got != c.want {
				t.Errorf("service finding %q, want %q", got, c.want)
			}
		})
	}
}
