package main

import (
	"bytes"
	"flag"
	"strings"
	"testing"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/schema"
	"github.com/urfave/cli/v2"
)

// TestComplaintShowsNotUnderstood: an action a newer Lumbung recorded is
// shown in the history by its op, in the officer's words, as kept but not
// understood by this version.
func TestComplaintShowsNotUnderstood(t *testing.T) {
	x := &schema.Complaint{ID: "3214022001-AAAAAA-0001", Actions: []schema.ActionRecord{
		{Actor: "kasi", NotUnderstood: true, Op: "complaint.escalate"}}}
	for lang, want := range map[string]string{"id": "belum dipahami versi ini", "en": "not understood by this version"} {
		var out bytes.Buffer
		set := flag.NewFlagSet("show", flag.ContinueOnError)
		set.String("lang", lang, "")
		c := cli.NewContext(&cli.App{Writer: &out}, set, nil)
		printComplaint(c, locale.Parse(lang), x)
		if !strings.Contains(out.String(), want) || !strings.Contains(out.String(), "complaint.escalate") {
			t.Errorf("%s:\n%s", lang, out.String())
		}
	}
}
