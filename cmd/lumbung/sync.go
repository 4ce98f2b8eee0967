package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/node"

	"github.com/lumbung/lumbung/schema"
	"github.com/urfave/cli/v2"
)

func syncCommand() *cli.Command {
	return &cli.Command{
		Name:  "sync",
		Usage: "cmd.sync",
		Subcommands: []*cli.Command{
			{Name: "status", Usage: "cmd.sync_status", Flags: []cli.Flag{nodeFlag(), outputFlag()}, Action: runSyncStatus},
			{Name: "now", Usage: "cmd.sync_now", Flags: []cli.Flag{nodeFlag()}, Action: runSyncNow},
			{Name: "token", Usage: "cmd.sync_token", Flags: []cli.Flag{dataFlag(),
				&cli.StringFlag{Name: "set", Usage: "flag.sync_token_set"},
				&cli.StringFlag{Name: "upstream", Usage: "flag.sync_token_upstream"}}, Action: runSyncToken},
		},
	}
}

// runSyncToken gives the stopped node in --data a new sync token (a
// restored desa: its old token is bound to its old origin).
func runSyncToken(c *cli.Context) error {
	if err := need(c, "data", "set"); err != nil {
		return err
	}
	dir := c.String("data")
	cfg, err := loadConfig(c, dir)
	if err != nil {
		return err
	}
	cfg.Token = strings.TrimSpace(c.String("set"))
	if up := c.String("upstream"); up != "" {
		cfg.Upstream = up
	}
	if err := node.SaveConfig(dir, cfg); err != nil {
		return err
	}
	say(c, "sync.token_set", dir)
	return nil
}

func runSyncStatus(c *cli.Context) error {
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	st, err := cl.SyncStatus(c.Context)
	if err != nil {
		return err
	}
	if ok, err := cl.printedJSON(c); ok {
		return err
	}
	lang := langOf(c)
	say(c, "sync.node", st.Origin, st.LogPosition)
	if up := st.Uplink; up != nil {
		say(c, "sync.uplink", up.URL, up.Pending, when(lang, up.LastSuccess), up.Exchanges,
			kb(up.BytesSent), kb(up.BytesReceived), up.ChangesSent, up.ChangesRecv,
			time.Duration(up.SkewMs)*time.Millisecond, up.RateBps*8/1000)
		if up.LastError != "" {
			msg := up.LastError
			if lang == locale.EN {
				msg = up.LastErrorEN
			}
			say(c, "sync.last_error", msg, up.Failures)
		} else if up.PastError != "" {
			msg := up.PastError
			if lang == locale.EN {
				msg = up.PastErrorEN
			}
			say(c, "sync.past_error", when(lang, up.PastErrorAt), msg)
		}
	} else {
		say(c, "sync.no_upstream", st.Pending)
	}
	for _, l := range st.Below {
		say(c, "sync.below", l.Region, l.Token, orNever(lang, l.LastSuccess), l.Exchanges, l.ChangesApplied,
			l.ChangesDuplicate, kb(int64(l.BytesReceived)), kb(int64(l.BytesSent)))
	}
	for _, w := range st.Warnings {
		msg := w.Message
		if lang == locale.EN {
			msg = w.MessageEN
		}
		say(c, "sync.warning", msg)
	}
	return nil
}

func when(lang locale.Lang, t *time.Time) string {
	if t == nil {
		return tr(lang, "sync.never")
	}
	return t.Local().Format("2006-01-02 15:04:05")
}

func orNever(lang locale.Lang, s *string) string {
	if s == nil {
		return tr(lang, "sync.never")
	}
	return *s
}

func kb(n int64) string { return fmt.Sprintf("%.1f KB", float64(n)/1000) }

func runSyncNow(c *cli.Context) error {
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	if err := cl.SyncNow(c.Context); err != nil {
		return err
	}
	say(c, "sync.started")
	return nil
}

func enrollCommand() *cli.Command {
	return &cli.Command{
		Name:  "enroll",
		Usage: "cmd.enroll",
		Flags: []cli.Flag{nodeFlag(), &cli.StringFlag{Name: "region", Usage: "flag.enroll_region"},
			&cli.BoolFlag{Name: "revoke", Usage: "flag.revoke"}, &cli.BoolFlag{Name: "list", Usage: "flag.list_tokens"},
			&cli.StringFlag{Name: "file", Usage: "flag.enroll_file"}, &cli.StringFlag{Name: "address", Usage: "flag.enroll_address"}},
		Action: runEnroll,
	}
}

func runEnroll(c *cli.Context) error {
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	if c.Bool("list") {
		tokens, err := cl.Tokens(c.Context)
		if err != nil {
			return err
		}
		for _, t := range tokens {
			state := tr(langOf(c), "enroll.active")
			switch {
			case t.Revoked:
				state = tr(langOf(c), "enroll.revoked")
			case t.Expires != 0 && time.Now().UnixMilli() >= t.Expires:
				state = tr(langOf(c), "enroll.expired")
			case t.Successor != "":
				state = tr(langOf(c), "enroll.rotating")
			}
			expires := "-"
			if t.Expires != 0 {
				expires = time.UnixMilli(t.Expires).Format("2006-01-02")
			}
			fmt.Fprintf(c.App.Writer, "%s  %-14s %s  %s  %s\n", t.ID, t.Region, time.UnixMilli(t.Issued).Format("2006-01-02"), expires, state)
		}
		return nil
	}
	if err := need(c, "region"); err != nil {
		return err
	}
	if c.Bool("revoke") {
		if err := cl.Revoke(c.Context, schema.Code(c.String("region"))); err != nil {
			return err
		}
		say(c, "enroll.revoked_region", c.String("region"))
		return nil
	}
	out, err := cl.Enroll(c.Context, schema.Code(c.String("region")))
	if err != nil {
		return err
	}
	if path := c.String("file"); path != "" {
		return writeHandover(c, path, out.Region, out.Token)
	}
	say(c, "enroll.issued", out.Region, out.ID)
	fmt.Fprintln(c.App.Writer, out.Token)
	return nil
}

// writeHandover writes the file a kecamatan hands a desa with its laptop:
// what the installer (lumbung setup --answers) asks for but the officer.
// It holds a token, so it is private to its owner.
func writeHandover(c *cli.Context, path string, region schema.Code, token string) error {
	addr := strings.TrimRight(c.String("address"), "/")
	if addr == "" {
		addr = strings.TrimRight(c.String("node"), "/")
	}
	text := fmt.Sprintf("# %s\ndesa=%s\nkecamatan=%s\ntoken=%s\n", tr(langOf(c), "enroll.file_head", region), region, addr, token)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		return err
	}
	say(c, "enroll.file_written", region, path)
	return nil
}

func init() {
	locale.DefineAll(map[string][2]string{
		"cmd.sync":           {"sinkronisasi dengan server atas: status dan kirim sekarang", "sync with the upstream: status and send now"},
		"cmd.sync_status":    {"menampilkan antrean, keberhasilan dan kesalahan terakhir, byte dan selisih jam per tautan", "show pending changes, last success and error, bytes and clock skew per link"},
		"cmd.sync_now":       {"meminta node menyinkronkan sekarang", "ask the node to sync now"},
		"cmd.enroll":         {"membuat token untuk wilayah di bawah node ini (init --token di node bawah)", "issue the token a region below this node starts with (init --token)"},
		"flag.enroll_region": {"kode wilayah tepat di bawah node ini", "code of a region directly below this node"},
		"flag.revoke":        {"mencabut token wilayah --region", "revoke the tokens of --region"},
		"flag.list_tokens":   {"menampilkan semua token (tanpa isinya)", "list every token (without the token itself)"},
		"sync.node":          {"Node %s, posisi log %d", "Node %s, log position %d"},
		"sync.uplink": {"Server atas %s\n  menunggu dikirim: %d perubahan\n  terakhir berhasil: %s (%d pertukaran)\n  terkirim %s, diterima %s (%d perubahan naik, %d turun)\n  selisih jam: %s, kecepatan tautan %.0f kbit/s",
			"Upstream %s\n  pending: %d changes\n  last success: %s (%d exchanges)\n  sent %s, received %s (%d changes up, %d down)\n  clock skew: %s, link rate %.0f kbit/s"},
		"sync.last_error":       {"  kesalahan terakhir: %s (%d kali berturut-turut)", "  last error: %s (%d in a row)"},
		"sync.past_error":       {"  sudah pulih dari kesalahan pada %s: %s", "  recovered from an error at %s: %s"},
		"sync.no_upstream":      {"Tanpa server atas; %d perubahan tersimpan di node ini.", "No upstream; %d changes held on this node."},
		"sync.below":            {"Tautan bawah %s (token %s): terakhir %s, %d pertukaran, %d perubahan baru, %d sudah ada, terima %s, kirim %s", "Link below %s (token %s): last %s, %d exchanges, %d new changes, %d already held, received %s, sent %s"},
		"sync.warning":          {"PERINGATAN: %s", "WARNING: %s"},
		"sync.never":            {"belum pernah", "never"},
		"sync.started":          {"Sinkronisasi dimulai; lihat `lumbung sync status`.", "Sync started; see `lumbung sync status`."},
		"enroll.issued":         {"Token untuk %s (id %s). Berikan ke node tersebut: lumbung init … --upstream URL --token TOKEN (token memuat sidik kunci sertifikat node ini, jadi node bawah tersambung lewat HTTPS tanpa langkah lain)", "Token for %s (id %s). Give it to that node: lumbung init … --upstream URL --token TOKEN (the token carries this node's certificate pin, so the node below connects over HTTPS with no other step)"},
		"enroll.revoked_region": {"Token untuk %s dicabut.", "Tokens for %s revoked."},
		"enroll.active":         {"aktif", "active"},
		"flag.enroll_file":      {"menulis berkas pendaftaran untuk pemasang desa (lumbung-setup.exe) alih-alih mencetak token", "write the enrolment file for the desa's installer (lumbung-setup.exe) instead of printing the token"},
		"flag.enroll_address":   {"alamat node ini seperti dilihat dari desa (bawaan: --node)", "this node's address as the desa sees it (default: --node)"},
		"enroll.file_head":      {"Berkas pendaftaran Lumbung untuk desa %s. Rahasia: berikan hanya kepada petugas desa itu.", "Lumbung enrolment file for desa %s. Secret: give it only to that desa's officer."},
		"enroll.file_written":   {"Berkas pendaftaran desa %s ditulis ke %s; pemasang desa membacanya.", "The enrolment file of desa %s is written to %s; the desa's installer reads it."},
		"enroll.revoked":        {"dicabut", "revoked"},
		"enroll.expired":        {"kedaluwarsa", "expired"},
		"enroll.rotating":       {"aktif, penggantinya sudah diberikan", "active, its successor given"},
	})
}
