package main

import (
	"reflect"
	"strings"

	"github.com/lumbung/lumbung/locale"
	"github.com/urfave/cli/v2"
)

// localize gives every flag of app its environment variable LUMBUNG_<FLAG>
// (unless it names its own) and turns the message keys used as usage texts
// into lang. Texts that are not keys (a command written elsewhere) stay.
func localize(app *cli.App, lang locale.Lang) {
	app.Usage = tr(lang, app.Usage)
	localizeFlags(app.Flags, lang)
	var walk func([]*cli.Command)
	walk = func(cmds []*cli.Command) {
		for _, c := range cmds {
			c.Usage = tr(lang, c.Usage)
			c.ArgsUsage = tr(lang, c.ArgsUsage)
			localizeFlags(c.Flags, lang)
			walk(c.Subcommands)
		}
	}
	walk(app.Commands)
}

// localizeFlags sets Usage and EnvVars, fields every urfave/cli flag type
// has, through reflection so that any flag type is covered.
func localizeFlags(flags []cli.Flag, lang locale.Lang) {
	for _, f := range flags {
		v := reflect.ValueOf(f)
		if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
			continue
		}
		v = v.Elem()
		if u := v.FieldByName("Usage"); u.IsValid() && u.Kind() == reflect.String && u.CanSet() {
			u.SetString(tr(lang, u.String()))
		}
		env := v.FieldByName("EnvVars")
		if env.IsValid() && env.CanSet() && env.Len() == 0 {
			name := strings.ToUpper(strings.ReplaceAll(f.Names()[0], "-", "_"))
			env.Set(reflect.ValueOf([]string{"LUMBUNG_" + name}))
		}
	}
}

// chooseLang picks the language of help texts before the flags are
// parsed: --lang on the command line, else LUMBUNG_LANG, else Indonesian.
func chooseLang(args []string, getenv func(string) string) locale.Lang {
	lang := getenv("LUMBUNG_LANG")
	for i, a := range args {
		switch {
		case a == "--":
			return locale.Parse(lang)
		case (a == "--lang" || a == "-lang") && i+1 < len(args):
			lang = args[i+1]
		case strings.HasPrefix(a, "--lang=") || strings.HasPrefix(a, "-lang="):
			lang = a[strings.IndexByte(a, '=')+1:]
		}
	}
	return locale.Parse(lang)
}

// interspersed lets flags follow positional arguments. urfave/cli/v2
// stops reading a command's flags at its first argument, but an officer
// types `lumbung complaint act ID --action verify`. Each flag (and its
// value) is moved to right after the name of the command, on the path
// typed, that defines it; any other flag goes to the last command typed,
// whose parser then takes it or reports it. Everything after "--" stays
// as typed.
func interspersed(app *cli.App, args []string) []string {
	if len(args) < 2 {
		return args
	}
	type level struct {
		name  string
		flags []cli.Flag
		cmds  []*cli.Command
		typed []string
	}
	levels := []*level{{name: args[0], flags: app.Flags, cmds: app.Commands}}
	var positional, pending []string
	rest := args[1:]
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		if a == "--" {
			positional = append(positional, rest[i:]...)
			break
		}
		if len(a) > 1 && a[0] == '-' {
			name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
			flag, at := cli.Flag(nil), &pending
			for j := len(levels) - 1; j >= 0 && flag == nil; j-- {
				if flag = findFlag(levels[j].flags, name); flag != nil {
					at = &levels[j].typed
				}
			}
			if flag == nil {
				flag = findFlagBelow(levels[len(levels)-1].cmds, name)
			}
			*at = append(*at, a)
			if !hasValue && takesValue(flag) && i+1 < len(rest) {
				i++
				*at = append(*at, rest[i])
			}
			continue
		}
		last := levels[len(levels)-1]
		if c := findCommand(last.cmds, a); c != nil && len(positional) == 0 {
			levels = append(levels, &level{name: a, flags: c.Flags, cmds: c.Subcommands})
			continue
		}
		positional = append(positional, a)
	}
	last := levels[len(levels)-1]
	last.typed = append(last.typed, pending...)
	var out []string
	for _, l := range levels {
		out = append(out, l.name)
		out = append(out, l.typed...)
	}
	return append(out, positional...)
}

func findCommand(cmds []*cli.Command, name string) *cli.Command {
	for _, c := range cmds {
		if c.HasName(name) {
			return c
		}
	}
	return nil
}

func findFlag(flags []cli.Flag, name string) cli.Flag {
	for _, f := range flags {
		for _, n := range f.Names() {
			if n == name {
				return f
			}
		}
	}
	return nil
}

// findFlagBelow looks for a flag in the commands below, to know whether a
// flag typed too early takes a value.
func findFlagBelow(cmds []*cli.Command, name string) cli.Flag {
	for _, c := range cmds {
		if f := findFlag(c.Flags, name); f != nil {
			return f
		}
		if f := findFlagBelow(c.Subcommands, name); f != nil {
			return f
		}
	}
	return nil
}

func takesValue(f cli.Flag) bool {
	tv, ok := f.(interface{ TakesValue() bool })
	return ok && tv.TakesValue()
}
