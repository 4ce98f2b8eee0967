package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"filippo.io/age"
	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/lumbung/lumbung/internal/atomicfile"
	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/node"
	"github.com/urfave/cli/v2"
)

// minPassphrase is the shortest passphrase a backup is sealed with.
const minPassphrase = 12

func backupCommand() *cli.Command {
	return &cli.Command{
		Name:  "backup",
		Usage: "cmd.backup",
		Flags: []cli.Flag{
			dataFlag(),
			&cli.StringFlag{Name: "out", Usage: "flag.out"},
			&cli.StringSliceFlag{Name: "recipient", Usage: "flag.recipient"},
			&cli.BoolFlag{Name: "passphrase", Usage: "flag.passphrase"},
		},
		Action: runBackup,
		Subcommands: []*cli.Command{{Name: "key", Usage: "cmd.backup_key", Action: runBackupKey,
			Flags: []cli.Flag{&cli.StringFlag{Name: "out", Usage: "flag.key_out"}}}},
	}
}

// runBackup writes a backup of a stopped node's data directory, sealed
// with age to the recipients' keys or a passphrase (read from stdin); the
// file appears, synced, only once it is complete.
func runBackup(c *cli.Context) error {
	if err := need(c, "data", "out"); err != nil {
		return err
	}
	lang := langOf(c)
	var to []age.Recipient
	for _, s := range c.StringSlice("recipient") {
		r, err := age.ParseX25519Recipient(strings.TrimSpace(s))
		if err != nil {
			return errors.New(tr(lang, "backup.bad_recipient", s))
		}
		to = append(to, r)
	}
	if c.Bool("passphrase") {
		pass, err := readLine(c, tr(lang, "backup.passphrase"))
		if err != nil {
			return err
		}
		if len([]rune(pass)) < minPassphrase {
			return errors.New(tr(lang, "backup.short_passphrase", minPassphrase))
		}
		r, err := age.NewScryptRecipient(pass)
		if err != nil {
			return err
		}
		to = append(to, r)
	}
	if len(to) == 0 {
		return errors.New(tr(lang, "backup.needs_seal"))
	}
	cfg, st, err := openOffline(c, c.String("data"))
	if err != nil {
		return err
	}
	var m node.Manifest
	size, err := atomicfile.Write(vfs.Default, c.String("out"), func(w io.Writer) error {
		var err error
		m, err = st.SealedBackup(w, cfg, to...)
		return err
	})
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", tr(lang, "err.backup", c.String("out")), err)
	}
	say(c, "backup.done", c.String("out"), size, m.Region, m.Origin, m.LogPosition)
	return nil
}

// runBackupKey writes a new age identity for sealing backups to a file
// only its owner reads, and prints its public key, the recipient to give
// lumbung backup --recipient.
func runBackupKey(c *cli.Context) error {
	if err := need(c, "out"); err != nil {
		return err
	}
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return err
	}
	out := c.String("out")
	f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("%s: %w", tr(langOf(c), "backup.key_exists", out), err)
	}
	_, err = fmt.Fprintf(f, "# %s\n# public key: %s\n%s\n", tr(locale.ID, "backup.key_comment"), id.Recipient(), id)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	say(c, "backup.key_done", out, id.Recipient())
	return nil
}

// backupIdentities reads what opens a sealed backup: the age identity
// files given, and the passphrase when asked for (read from stdin).
func backupIdentities(c *cli.Context) ([]age.Identity, error) {
	lang := langOf(c)
	var ids []age.Identity
	for _, file := range c.StringSlice("identity") {
		f, err := os.Open(file)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", tr(lang, "err.read", file), err)
		}
		got, err := age.ParseIdentities(f)
		f.Close()
		if err != nil {
			return nil, errors.New(tr(lang, "backup.bad_identity", file))
		}
		ids = append(ids, got...)
	}
	if c.Bool("passphrase") {
		pass, err := readLine(c, tr(lang, "backup.passphrase"))
		if err != nil {
			return nil, err
		}
		id, err := age.NewScryptIdentity(pass)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func init() {
	locale.DefineAll(map[string][2]string{
		"cmd.backup_key": {"membuat kunci untuk menyegel cadangan (simpan filenya di tempat aman, terpisah dari cadangan)",
			"make a key to seal backups with (keep its file safe, apart from the backups)"},
		"flag.recipient": {"kunci publik age (age1…) penerima cadangan; boleh lebih dari satu", "an age public key (age1…) to seal the backup to; may repeat"},
		"flag.passphrase": {"segel atau buka cadangan dengan frasa sandi (dibaca dari masukan)",
			"seal or open the backup with a passphrase (read from stdin)"},
		"flag.identity":           {"file kunci age yang membuka cadangan (dari lumbung backup key)", "an age key file that opens the backup (from lumbung backup key)"},
		"flag.key_out":            {"file kunci yang ditulis (hanya dapat dibaca pemiliknya)", "key file to write (readable by its owner only)"},
		"backup.passphrase":       {"Frasa sandi cadangan: ", "Backup passphrase: "},
		"backup.short_passphrase": {"frasa sandi cadangan paling sedikit %d karakter", "a backup passphrase has at least %d characters"},
		"backup.needs_seal": {"cadangan berisi data pelapor dan harus disegel: beri --passphrase (frasa sandi) atau --recipient age1… (dari lumbung backup key)",
			"a backup holds reporters' data and must be sealed: give --passphrase or --recipient age1… (from lumbung backup key)"},
		"backup.bad_recipient": {"%q bukan kunci publik age (age1…)", "%q is not an age public key (age1…)"},
		"backup.bad_identity":  {"%s bukan file kunci age", "%s is not an age key file"},
		"backup.key_exists":    {"file kunci %s tidak dapat dibuat (sudah ada?)", "cannot make key file %s (does it exist already?)"},
		"backup.key_comment":   {"kunci Lumbung untuk membuka cadangan; jangan disimpan bersama cadangannya", "Lumbung key to open backups; do not keep it with the backups"},
		"backup.key_done": {"Kunci ditulis ke %s. Simpan di tempat aman, terpisah dari cadangan.\nKunci publik (untuk lumbung backup --recipient): %s",
			"Key written to %s. Keep it safe, apart from the backups.\nPublic key (for lumbung backup --recipient): %s"},
		"restore.sealed": {"cadangan ini tersegel: beri --passphrase atau --identity FILE-KUNCI", "this backup is sealed: give --passphrase or --identity KEY-FILE"},
	})
}
