package main

import (
	"fmt"

	"github.com/lumbung/lumbung/doctor"
	"github.com/lumbung/lumbung/locale"
	"github.com/urfave/cli/v2"
)

// doctorCommand: lumbung doctor, what is wrong at this office in plain
// words, each with what to do (package doctor), for the officer and for
// whoever helps them on the phone. It asks the running node (any
// officer's login), which checks its disk, clock, link, token, store and service.
func doctorCommand() *cli.Command {
	return &cli.Command{Name: "doctor", Usage: "cmd.doctor", Flags: []cli.Flag{nodeFlag()}, Action: runDoctor}
}

func runDoctor(c *cli.Context) error {
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	rep, err := cl.Doctor(c.Context)
	if err != nil {
		return err
	}
	lang := langOf(c)
	say(c, "doctor.head", rep.Tier, rep.Region)
	for _, f := range rep.Findings {
		fmt.Fprintf(c.App.Writer, "%-8s %-8s %s\n", tr(lang, "doctor.level_"+string(f.Level)), tr(lang, "doctor.check_"+f.Check),
			f.Says.In(lang))
		if f.Fix.ID != "" {
			fmt.Fprintf(c.App.Writer, "%17s → %s\n", "", f.Fix.In(lang))
		}
	}
	switch rep.Worst {
	case doctor.Problem:
		say(c, "doctor.worst_problem")
	case doctor.Warn:
		say(c, "doctor.worst_warn")
	default:
		say(c, "doctor.worst_ok")
	}
	return nil
}

func init() {
	locale.DefineAll(map[string][2]string{
		"cmd.doctor": {"apa yang salah di kantor ini, dengan kata-kata biasa dan cara membetulkannya (disk, jam, jaringan, token, data, layanan)",
			"what is wrong at this office, in plain words with the fix (disk, clock, link, token, data, service)"},
		"doctor.head": {"Pemeriksaan node %s %s:", "Examining the %s node %s:"},
	})
}
