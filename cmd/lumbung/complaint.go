package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/schema"
	"github.com/urfave/cli/v2"
)

func complaintCommand() *cli.Command {
	return &cli.Command{
		Name:  "complaint",
		Usage: "cmd.complaint",
		Subcommands: []*cli.Command{
			{Name: "add", Usage: "cmd.complaint_add", Action: complaintAdd, Flags: []cli.Flag{
				nodeFlag(), outputFlag(),
				&cli.StringFlag{Name: "region", Usage: "flag.complaint_region"},
				&cli.StringFlag{Name: "channel", Value: "walk_in", Usage: "flag.channel"},
				&cli.StringFlag{Name: "category", Usage: "flag.category"},
				&cli.StringFlag{Name: "classification", Usage: "flag.classification"},
				&cli.StringFlag{Name: "title", Usage: "flag.title"},
				&cli.StringFlag{Name: "description", Usage: "flag.description"},
				&cli.StringFlag{Name: "address", Usage: "flag.address"},
				&cli.StringFlag{Name: "rt", Usage: "flag.rt"},
				&cli.StringFlag{Name: "rw", Usage: "flag.rw"},
				&cli.StringFlag{Name: "name", Usage: "flag.name"},
				&cli.StringFlag{Name: "nik", Usage: "flag.nik"},
				&cli.StringFlag{Name: "phone", Usage: "flag.phone"},
				&cli.BoolFlag{Name: "anonymous", Usage: "flag.anonymous"},
				&cli.BoolFlag{Name: "confidential", Usage: "flag.confidential"},
				&cli.StringFlag{Name: "officer", Usage: "flag.officer"},
				&cli.StringFlag{Name: "json", Usage: "flag.complaint_json"},
			}},
			{Name: "list", Usage: "cmd.complaint_list", Action: complaintList, Flags: []cli.Flag{
				nodeFlag(), outputFlag(),
				&cli.StringFlag{Name: "status", Usage: "flag.status"},
				&cli.StringFlag{Name: "category", Usage: "flag.category"},
				&cli.StringFlag{Name: "region", Usage: "flag.list_region"},
				&cli.StringFlag{Name: "q", Usage: "flag.q"},
				&cli.IntFlag{Name: "limit", Usage: "flag.limit"},
				&cli.StringFlag{Name: "cursor", Usage: "flag.cursor"},
			}},
			{Name: "show", Usage: "cmd.complaint_show", ArgsUsage: "args.id", Action: complaintShow,
				Flags: []cli.Flag{nodeFlag(), outputFlag()}},
			{Name: "act", Usage: "cmd.complaint_act", ArgsUsage: "args.id", Action: complaintAct, Flags: []cli.Flag{
				nodeFlag(), outputFlag(),
				&cli.StringFlag{Name: "action", Usage: "flag.action"},
				&cli.StringFlag{Name: "note", Usage: "flag.action_note"},
				&cli.StringFlag{Name: "unit", Usage: "flag.unit"},
				&cli.StringFlag{Name: "reason", Usage: "flag.reason"},
				&cli.StringFlag{Name: "officer", Usage: "flag.officer"},
			}},
		},
	}
}

func complaintAdd(c *cli.Context) error {
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	body, err := complaintBody(c, cl)
	if err != nil {
		return err
	}
	out, err := cl.CreateComplaintJSON(c.Context, body)
	if err != nil {
		return err
	}
	if ok, err := cl.printedJSON(c); ok {
		return err
	}
	say(c, "complaint.added", out.ID, statusLabel(cl.lang, out.Status))
	return nil
}

// complaintBody is the --json file as it is, or the input built from the
// flags; the region defaults to the node's own.
func complaintBody(c *cli.Context, cl *apiClient) ([]byte, error) {
	if name := c.String("json"); name != "" {
		return readInput(c, name)
	}
	in := schema.ComplaintInput{
		Region: schema.Code(c.String("region")), Channel: schema.Channel(c.String("channel")),
		Category: schema.Category(c.String("category")), Title: c.String("title"),
		Classification: schema.Classification(c.String("classification")),
		Description:    c.String("description"), Officer: c.String("officer"),
		Location: schema.Location{Address: c.String("address"), RT: c.String("rt"), RW: c.String("rw")},
		Reporter: schema.Reporter{Name: c.String("name"), NIK: c.String("nik"), Phone: c.String("phone"),
			Anonymous: c.Bool("anonymous"), Confidential: c.Bool("confidential")},
	}
	if in.Region == "" {
		info, err := cl.Node(c.Context)
		if err != nil {
			return nil, err
		}
		in.Region = schema.Code(info.Region)
	}
	return json.Marshal(in)
}

func complaintList(c *cli.Context) error {
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	q := url.Values{}
	for _, f := range []string{"status", "category", "region", "q", "cursor"} {
		if v := c.String(f); v != "" {
			q.Set(f, v)
		}
	}
	if c.Int("limit") != 0 {
		q.Set("limit", strconv.Itoa(c.Int("limit")))
	}
	page, err := cl.Complaints(c.Context, q)
	if err != nil {
		return err
	}
	if ok, err := cl.printedJSON(c); ok {
		return err
	}
	printComplaintTable(c, cl.lang, page)
	return nil
}

func printComplaintTable(c *cli.Context, lang locale.Lang, page *node.ComplaintPage) {
	if len(page.Complaints) == 0 {
		say(c, "complaint.none")
		return
	}
	tw := tabwriter.NewWriter(c.App.Writer, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, tr(lang, "complaint.columns"))
	for _, x := range page.Complaints {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", x.ID, statusLabel(lang, x.Status), x.Category,
			localTime(x.CreatedAt), clipText(x.Title, 60))
	}
	_ = tw.Flush()
	if page.Next != "" {
		say(c, "complaint.more", page.Next)
	}
}

func complaintShow(c *cli.Context) error {
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	id, err := oneArg(c, "args.id")
	if err != nil {
		return err
	}
	x, err := cl.Complaint(c.Context, id)
	if err != nil {
		return err
	}
	if ok, err := cl.printedJSON(c); ok {
		return err
	}
	printComplaint(c, cl.lang, x)
	return nil
}

func printComplaint(c *cli.Context, lang locale.Lang, x *schema.Complaint) {
	tw := tabwriter.NewWriter(c.App.Writer, 0, 4, 2, ' ', 0)
	row := func(key, value string) {
		if value != "" {
			fmt.Fprintf(tw, "%s:\t%s\n", tr(lang, key), value)
		}
	}
	row("field.id", x.ID)
	row("field.status", statusLabel(lang, x.Status))
	row("field.region", string(x.Region))
	row("field.channel", string(x.Channel))
	row("field.category", string(x.Category))
	row("field.classification", string(x.Classification))
	row("field.title", x.Title)
	row("field.description", x.Description)
	row("field.location", location(lang, x.Location))
	row("field.reporter", reporter(lang, x.Reporter))
	row("field.created", localTime(x.CreatedAt))
	row("field.updated", localTime(x.UpdatedAt))
	row("field.next", actionList(lang, schema.Allowed(x.Status)))
	_ = tw.Flush()
	if len(x.Actions) == 0 {
		return
	}
	say(c, "complaint.history")
	for _, a := range x.Actions {
		if a.NotUnderstood {
			say(c, "complaint.not_understood", localTime(a.At), a.Op, a.Actor)
			continue
		}
		say(c, "complaint.action", localTime(a.At), actionLabel(lang, a.Action),
			statusLabel(lang, a.From), statusLabel(lang, a.To), a.Actor)
		for _, d := range [][2]string{{"field.unit", a.Unit}, {"field.note", a.Note},
			{"field.reason", a.Reason}, {"field.superseded", a.Superseded}} {
			if d[1] != "" {
				fmt.Fprintf(c.App.Writer, "      %s: %s\n", tr(lang, d[0]), d[1])
			}
		}
	}
}

func complaintAct(c *cli.Context) error {
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	id, err := oneArg(c, "args.id")
	if err != nil {
		return err
	}
	if err := need(c, "action"); err != nil {
		return err
	}
	x, err := cl.Act(c.Context, id, &schema.ActionInput{Action: schema.Action(c.String("action")), Note: c.String("note"),
		Unit: c.String("unit"), Reason: c.String("reason"), Officer: c.String("officer")})
	if err != nil {
		return err
	}
	if ok, err := cl.printedJSON(c); ok {
		return err
	}
	say(c, "complaint.acted", actionLabel(cl.lang, schema.Action(c.String("action"))), x.ID,
		statusLabel(cl.lang, x.Status))
	return nil
}

// oneArg returns the single positional argument a command takes.
func oneArg(c *cli.Context, what string) (string, error) {
	if c.NArg() != 1 {
		return "", errors.New(tr(langOf(c), "err.one_arg", c.Command.FullName(), tr(langOf(c), what), c.NArg()))
	}
	return c.Args().First(), nil
}

func statusLabel(lang locale.Lang, s schema.Status) string {
	if l := s.Label(); l != "" && lang != locale.EN {
		return l
	}
	return strings.ReplaceAll(string(s), "_", " ")
}

func actionLabel(lang locale.Lang, a schema.Action) string {
	if l := tr(lang, "action."+string(a)); l != "action."+string(a) {
		return l
	}
	return string(a)
}

func actionList(lang locale.Lang, as []schema.Action) string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = string(a)
		if l := actionLabel(lang, a); l != string(a) {
			out[i] += " (" + l + ")"
		}
	}
	return strings.Join(out, ", ")
}

func location(lang locale.Lang, l schema.Location) string {
	parts := []string{}
	if l.Address != "" {
		parts = append(parts, l.Address)
	}
	if l.RT != "" || l.RW != "" {
		parts = append(parts, "RT "+orDash(l.RT)+" / RW "+orDash(l.RW))
	}
	if l.Lat != nil && l.Lon != nil {
		parts = append(parts, fmt.Sprintf("%.5f, %.5f", *l.Lat, *l.Lon))
	}
	return strings.Join(parts, ", ")
}

func reporter(lang locale.Lang, r schema.Reporter) string {
	parts := []string{}
	for _, s := range []string{r.Name, r.NIK, r.Phone} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if r.Anonymous {
		parts = append(parts, "["+tr(lang, "reporter.anonymous")+"]")
	}
	if r.Confidential {
		parts = append(parts, "["+tr(lang, "reporter.confidential")+"]")
	}
	return strings.Join(parts, ", ")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// localTime shows an RFC 3339 time from the node in this machine's zone.
func localTime(s string) string {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return s
	}
	return t.Local().Format("2006-01-02 15:04")
}

func clipText(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
