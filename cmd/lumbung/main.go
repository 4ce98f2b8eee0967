// Command lumbung runs and operates a Lumbung node: init writes a data
// directory, serve runs the node it holds, complaint, monografi, sync,
// cluster, catalogue and stats are clients of a node's HTTP API, regions,
// backup and restore work on a stopped node's data directory, demo runs a
// whole kabupaten on this machine (demo desa: one sample desa), bench
// measures this machine, and version says what the binary is (release,
// commit, sync protocol range, store format).
//
// Every flag can also be given as an environment variable LUMBUNG_<FLAG>
// (LUMBUNG_DATA, LUMBUNG_NODE, LUMBUNG_LANG, ...). What an officer reads
// is in Bahasa Indonesia, or in English with --lang en. Flags may follow
// positional arguments: `lumbung complaint act ID --action verify`.
//
// Each command lives in a file of its own and only maps flags onto the
// library packages (node, client, demo, bench) and prints their results in
// the officer's words. Its words go into the one catalogue of package
// locale: the common ones in messages.go, a command's own in its file.
package main

import (
	"fmt"
	"os"

	"github.com/lumbung/lumbung/locale"
	"github.com/urfave/cli/v2"
)

func main() {
	lang := chooseLang(os.Args, os.Getenv)
	app := newApp(lang)
	if err := app.Run(interspersed(app, os.Args)); err != nil {
		fmt.Fprintln(os.Stderr, "lumbung:", err)
		os.Exit(1)
	}
}

// newApp wires the commands, with help texts in lang. It never exits the
// process: Run returns every error to its caller.
func newApp(lang locale.Lang) *cli.App {
	app := &cli.App{
		Name:                      "lumbung",
		Usage:                     "cmd.lumbung",
		HideVersion:               true,
		DisableSliceFlagSeparator: true,
		ExitErrHandler:            func(*cli.Context, error) {},
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "lang", Value: "id", Usage: "flag.lang"},
		},
		Commands: []*cli.Command{
			initCommand(), serveCommand(), clusterCommand(), syncCommand(), enrollCommand(), demoCommand(),
			complaintCommand(), monografiCommand(), catalogueCommand(),
			regionsCommand(), backupCommand(), restoreCommand(),
			statsCommand(), benchCommand(), versionCommand(), loginCommand(), logoutCommand(), officerCommand(), auditCommand(),
			identityCommand(),
			doctorCommand(),
			serviceCommand(),
			setupCommand(),
			upgradeCommand(),
		},
	}
	localize(app, lang)
	explainAPIErrors(app.Commands)
	return app
}
