package main

import (
	"strings"

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
			{Name: "subject", Usage: "cmd.identity_subject", Flags: []cli.Flag{nodeFlag()}, Action: runIdentitySubject},
			{Name: "erase", Usage: "cmd.identity_erase", ArgsUsage: "NOMOR-PENGADUAN", Flags: []cli.Flag{nodeFlag()},
				Action: runIdentityErase},
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

// runIdentitySubject answers a subject-access request: the NIK read from
// stdin (kept out of the shell's history), the complaints this node
// holds for it printed, never the identity.
func runIdentitySubject(c *cli.Context) error {
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	nik, err := readLine(c, tr(langOf(c), "identity.ask_nik"))
	if err != nil {
		return err
	}
	ans, err := cl.Subject(c.Context, strings.TrimSpace(nik))
	if err != nil {
		return err
	}
	say(c, "identity.subject", ans.Tier, ans.Region, len(ans.Complaints))
	for _, h := range ans.Complaints {
		say(c, "identity.subject_row", h.ID, h.Region, h.CreatedAt, h.Status, h.Anonymous)
	}
	if ans.Locked > 0 {
		say(c, "identity.subject_locked", ans.Locked)
	}
	return nil
}

// runIdentityErase erases the identity of a complaint's reporter, on the
// reporter's request (UU 27/2022).
func runIdentityErase(c *cli.Context) error {
	id, err := oneArg(c, "args.id")
	if err != nil {
		return err
	}
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	erased, err := cl.EraseIdentity(c.Context, id)
	if err != nil {
		return err
	}
	if erased {
		say(c, "identity.erased", id)
	} else {
		say(c, "identity.erased_already", id)
	}
	return nil
}

func init() {
	locale.DefineAll(map[string][2]string{
		"cmd.identity_erase": {"menghapus identitas pelapor sebuah pengaduan atas permintaannya (UU PDP); pengaduannya tetap, penghapusan menyebar ke semua tingkat",
			"erase the identity of a complaint's reporter on request (UU PDP); the complaint stays, and the erasure reaches every tier"},
		"identity.erased": {"Identitas pelapor %s dihapus di node ini; penghapusan ikut tersinkron ke tingkat lain.",
			"The reporter's identity of %s is erased at this node; the erasure syncs to the other tiers."},
		"identity.erased_already": {"Identitas pelapor %s sudah dihapus sebelumnya.", "The reporter's identity of %s was erased already."},
		"cmd.identity":            {"kunci identitas pelapor kantor ini (admin)", "this office's key to its reporters' identities (admin)"},
		"cmd.identity_status":     {"apakah kantor punya kunci dan apakah sudah terbuka", "whether the office has its key and whether it is unlocked"},
		"cmd.identity_key": {"membuat kunci untuk kantor yang dibuat sebelum ada kunci; kunci pemulihan dicetak sekali",
			"make the key of an office made before keys; the recovery key is printed once"},
		"cmd.identity_unlock": {"membuka kunci dengan kunci pemulihan (bila semua petugas lupa kata sandi)",
			"unlock the key with the recovery key (when every officer forgot their password)"},
		"identity.no_key": {"Kantor ini belum punya kunci identitas pelapor: identitas pelapor anonim tersimpan tanpa segel. Buat: lumbung identity key.",
			"This office has no reporters' identity key: anonymous reporters are kept unsealed. Make one: lumbung identity key."},
		"identity.unlocked": {"Kunci identitas pelapor terbuka (kunci publik %s).", "The reporters' identity key is unlocked (public key %s)."},
		"identity.locked": {"Kunci identitas pelapor masih terkunci sejak node dinyalakan (kunci publik %s): terbuka saat petugas masuk dengan kata sandinya.",
			"The reporters' identity key is locked since the node started (public key %s): it opens when an officer logs in with their password."},
		"cmd.identity_subject": {"permintaan akses subjek (UU PDP): pengaduan mana di node ini yang memuat NIK tertentu; NIK dibaca dari masukan",
			"a subject-access request (UU PDP): which complaints at this node hold a NIK; the NIK is read from stdin"},
		"identity.ask_nik":     {"NIK: ", "NIK: "},
		"identity.subject":     {"%s %s: %d pengaduan memuat NIK ini.", "%s %s: %d complaints hold this NIK."},
		"identity.subject_row": {"  %s  wilayah %s  dicatat %s  status %s  anonim %v", "  %s  region %s  taken %s  status %s  anonymous %v"},
		"identity.subject_locked": {"%d pelapor anonim tidak dapat diperiksa: kunci identitas masih terkunci (petugas perlu masuk dulu).",
			"%d anonymous reporters could not be searched: the identity key is locked (an officer must log in first)."},
		"identity.ask_recovery": {"Kunci pemulihan (dari kertas): ", "Recovery key (from the paper): "},
		"identity.unlocked_now": {"Kunci identitas pelapor terbuka. Atur ulang kata sandi petugas (lumbung officer reset-password) agar mereka dapat membukanya lagi.",
			"The reporters' identity key is unlocked. Reset the officers' passwords (lumbung officer reset-password) so that they open it again."},
	})
}
