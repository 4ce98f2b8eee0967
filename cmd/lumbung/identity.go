package main

import (
	"github.com/lumbung/lumbung/locale"
	"github.com/urfave/cli/v2"
)

// identityCommand: lumbung identity status|key|unlock, the office's key
// to its reporters' identities (seal/DESIGN.md), for an admin.
func identityCommand() *cli.Command {
	return &cli.Command{
		Name: "identity", Usage: "cmd.identity",
		Subcommands: []*cli.Command{
			{Name: "status", Usage: "cmd.identity_status", Flags: []cli.Flag{nodeFlag()}, Action: runIdentityStatus},
			{Name: "key", Usage: "cmd.identity_key", Flags: []cli.Flag{nodeFlag()}, Action: runIdentityKey},
			{Name: "unlock", Usage: "cmd.identity_unlock", Flags: []cli.Flag{nodeFlag()}, Action: runIdentityUnlock},
		},
	}
}

func runIdentityStatus(c *cli.Context) error {
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	st, err := cl.Identity(c.Context)
	if err != nil {
		return err
	}
	switch {
	case !st.HasKey:
		say(c, "identity.no_key")
	case st.Unlocked:
		say(c, "identity.unlocked", st.PublicKey)
	default:
		say(c, "identity.locked", st.PublicKey)
	}
	return nil
}

func runIdentityKey(c *cli.Context) error {
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	ans, err := cl.MakeOfficeKey(c.Context)
	if err != nil {
		return err
	}
	say(c, "init.recovery", ans.RecoveryKey)
	return nil
}

// runIdentityUnlock reads the recovery key from stdin (typed, not shown,
// or piped), never from a flag that would stay in the shell's history.
func runIdentityUnlock(c *cli.Context) error {
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	rk, err := readLine(c, tr(langOf(c), "identity.ask_recovery"))
	if err != nil {
		return err
	}
	if err := cl.UnlockIdentities(c.Context, rk); err != nil {
		return err
	}
	say(c, "identity.unlocked_now")
	return nil
}

func init() {
	locale.DefineAll(map[string][2]string{
		"cmd.identity":        {"kunci identitas pelapor kantor ini (admin)", "this office's key to its reporters' identities (admin)"},
		"cmd.identity_status": {"apakah kantor punya kunci dan apakah sudah terbuka", "whether the office has its key and whether it is unlocked"},
		"cmd.identity_key": {"membuat kunci untuk kantor yang dibuat sebelum ada kunci; kunci pemulihan dicetak sekali",
			"make the key of an office made before keys; the recovery key is printed once"},
		"cmd.identity_unlock": {"membuka kunci dengan kunci pemulihan (bila semua petugas lupa kata sandi)",
			"unlock the key with the recovery key (when every officer forgot their password)"},
		"identity.no_key": {"Kantor ini belum punya kunci identitas pelapor: identitas pelapor anonim tersimpan tanpa segel. Buat: lumbung identity key.",
			"This office has no reporters' identity key: anonymous reporters are kept unsealed. Make one: lumbung identity key."},
		"identity.unlocked": {"Kunci identitas pelapor terbuka (kunci publik %s).", "The reporters' identity key is unlocked (public key %s)."},
		"identity.locked": {"Kunci identitas pelapor masih terkunci sejak node dinyalakan (kunci publik %s): terbuka saat petugas masuk dengan kata sandinya.",
			"The reporters' identity key is locked since the node started (public key %s): it opens when an officer logs in with their password."},
		"identity.ask_recovery": {"Kunci pemulihan (dari kertas): ", "Recovery key (from the paper): "},
		"identity.unlocked_now": {"Kunci identitas pelapor terbuka. Atur ulang kata sandi petugas (lumbung officer reset-password) agar mereka dapat membukanya lagi.",
			"The reporters' identity key is unlocked. Reset the officers' passwords (lumbung officer reset-password) so that they open it again."},
	})
}
