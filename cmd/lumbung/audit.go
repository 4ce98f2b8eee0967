package main

import (
	"net/url"
	"strconv"
	"time"

	"github.com/lumbung/lumbung/locale"
	"github.com/urfave/cli/v2"
)

func auditCommand() *cli.Command {
	return &cli.Command{
		Name: "audit", Usage: "cmd.audit",
		Flags: []cli.Flag{nodeFlag(), outputFlag(),
			&cli.StringFlag{Name: "officer", Usage: "flag.audit_officer"},
			&cli.StringFlag{Name: "action", Usage: "flag.audit_action"},
			&cli.StringFlag{Name: "from", Usage: "flag.audit_from"},
			&cli.StringFlag{Name: "to", Usage: "flag.audit_to"},
			&cli.IntFlag{Name: "limit", Value: 50, Usage: "flag.limit"},
			&cli.StringFlag{Name: "cursor", Usage: "flag.cursor"},
		},
		Action: runAudit,
	}
}

// runAudit prints the node's audit trail, newest first (an admin's).
func runAudit(c *cli.Context) error {
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	q := url.Values{"limit": {strconv.Itoa(c.Int("limit"))}}
	for _, f := range []string{"officer", "action", "from", "to", "cursor"} {
		if v := c.String(f); v != "" {
			q.Set(f, v)
		}
	}
	page, err := cl.Audit(c.Context, q)
	if err != nil {
		return err
	}
	if ok, err := cl.printedJSON(c); ok {
		return err
	}
	if len(page.Entries) == 0 {
		say(c, "audit.none")
		return nil
	}
	for _, e := range page.Entries {
		who := e.Officer
		if who == "" {
			who = "-"
		}
		say(c, "audit.line", time.UnixMilli(e.At).Local().Format("2006-01-02 15:04:05"), who, e.Role, e.Addr,
			e.Action, e.Target, e.Status)
	}
	if page.Next != "" {
		say(c, "audit.more", page.Next)
	}
	return nil
}

func init() {
	locale.DefineAll(map[string][2]string{
		"cmd.audit":          {"jejak audit node ini, terbaru dulu (admin)", "this node's audit trail, newest first (admin)"},
		"flag.audit_officer": {"hanya petugas ini (nama login)", "only this officer (login name)"},
		"flag.audit_action":  {"hanya tindakan ini, mis. login atau \"POST /api/v1/officers*\"", "only this action, e.g. login or \"POST /api/v1/officers*\""},
		"flag.audit_from":    {"sejak tanggal TTTT-BB-HH", "from the date YYYY-MM-DD"},
		"flag.audit_to":      {"sampai tanggal TTTT-BB-HH (termasuk)", "up to the date YYYY-MM-DD (included)"},
		"audit.none":         {"Tidak ada catatan audit yang cocok.", "No audit entries match."},
		"audit.line":         {"%s  %-16s %-11s %-15s %-40s %s  %d", "%s  %-16s %-11s %-15s %-40s %s  %d"},
		"audit.more":         {"Lanjutan: --cursor %s", "More: --cursor %s"},
	})
}
