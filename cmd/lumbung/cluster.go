package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/replication/trust"
	"github.com/urfave/cli/v2"
)

func clusterCommand() *cli.Command {
	return &cli.Command{
		Name:  "cluster",
		Usage: "cmd.cluster",
		Subcommands: []*cli.Command{
			{Name: "status", Usage: "cmd.cluster_status", Flags: []cli.Flag{nodeFlag(), outputFlag()}, Action: runClusterStatus},
			{Name: "join", Usage: "cmd.cluster_join", Flags: []cli.Flag{dataFlag(), joinFlag(), joinTokenFlag()}, Action: runClusterJoin},
			{Name: "join-token", Usage: "cmd.cluster_join_token", Flags: []cli.Flag{nodeFlag(), outputFlag(),
				&cli.StringFlag{Name: "ttl", Usage: "flag.join_ttl"}}, Action: runJoinToken},
			{Name: "recover", Usage: "cmd.cluster_recover", Flags: []cli.Flag{dataFlag(),
				&cli.BoolFlag{Name: "yes", Usage: "flag.recover_yes"}}, Action: runClusterRecover},
			{Name: "remove", Usage: "cmd.cluster_remove",
				Flags: []cli.Flag{nodeFlag(), &cli.StringFlag{Name: "member", Usage: "flag.member"}}, Action: runClusterRemove},
			{Name: "ca", Usage: "cmd.cluster_ca", Flags: []cli.Flag{dataFlag()}, Action: runClusterCA},
			{Name: "member-key", Usage: "cmd.cluster_member_key",
				Flags: []cli.Flag{dataFlag(), &cli.StringFlag{Name: "set", Usage: "flag.member_key_set"}}, Action: runMemberKey},
		},
	}
}

func runClusterStatus(c *cli.Context) error {
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	st, err := cl.ClusterStatus(c.Context)
	if err != nil {
		return err
	}
	if ok, err := cl.printedJSON(c); ok {
		return err
	}
	say(c, "cluster.status", st.ID, st.State, orNone(c, st.Leader), st.Term, st.CommitIndex, st.AppliedIndex,
		st.SnapshotIndex)
	for _, m := range st.Members {
		role := tr(langOf(c), "cluster.follower")
		if m.Leader {
			role = tr(langOf(c), "cluster.leader")
		}
		if !m.Voter {
			role += ", " + tr(langOf(c), "cluster.nonvoter")
		}
		fmt.Fprintf(c.App.Writer, "  %-28s raft %-21s %s\n", m.ID, m.RaftAddr, role)
	}
	return nil
}

func orNone(c *cli.Context, s string) string {
	if s == "" {
		return tr(langOf(c), "cluster.no_leader")
	}
	return s
}

// runClusterJoin enrols the member whose data directory is --data (made
// by init, stopped) into the cluster of the member whose raft listens at
// --join, with a join token, and records --join in its configuration, so
// its next serve joins instead of starting a cluster of its own.
func runClusterJoin(c *cli.Context) error {
	if err := need(c, "data", "join", "join-token"); err != nil {
		return err
	}
	dir := c.String("data")
	cfg, err := loadConfig(c, dir)
	if err != nil {
		return err
	}
	if cfg.Tier == node.TierDesa {
		return fmt.Errorf("%s", tr(langOf(c), "err.desa_cluster"))
	}
	cfg.Join = c.String("join")
	if err := enrollMember(c, dir, cfg); err != nil {
		return err
	}
	if err := node.SaveConfig(dir, cfg); err != nil {
		return err
	}
	say(c, "cluster.enrolled", cfg.AdvertiseURL(), cfg.Join)
	return nil
}

// enrollMember enrols the member-to-be in dir with --join-token through
// cfg.Join, and saves the cluster's key the cluster sends.
func enrollMember(c *cli.Context, dir string, cfg node.Config) error {
	ctx, cancel := context.WithTimeout(c.Context, 30*time.Second)
	defer cancel()
	if err := node.EnrollMember(ctx, dir, cfg, cfg.Join, c.String("join-token")); err != nil {
		return fmt.Errorf("%s: %w", tr(langOf(c), "err.join", cfg.Join), err)
	}
	return nil
}

// runJoinToken prints a join token for one new member of --node's
// cluster, and the command that uses it.
func runJoinToken(c *cli.Context) error {
	if err := need(c, "node"); err != nil {
		return err
	}
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	jt, err := cl.JoinToken(c.Context, c.String("ttl"))
	if err != nil {
		return err
	}
	if ok, err := cl.printedJSON(c); ok {
		return err
	}
	via := "HOST:PORT"
	if len(jt.Join) > 0 {
		via = jt.Join[0]
	}
	say(c, "cluster.join_token", jt.Expires.Local().Format("2006-01-02 15:04 MST"), jt.Token, jt.Fingerprint, jt.Tier, jt.Region,
		via, jt.Token)
	return nil
}

// runClusterRecover makes the stopped member in --data its cluster's only
// voter, when the other members are lost for good. It asks for --yes:
// entries this member held but the lost ones had not confirmed count as
// committed, and the lost members must never start again on their data.
func runClusterRecover(c *cli.Context) error {
	if err := need(c, "data"); err != nil {
		return err
	}
	dir := c.String("data")
	cfg, err := loadConfig(c, dir)
	if err != nil {
		return err
	}
	if !c.Bool("yes") {
		return errors.New(tr(langOf(c), "err.recover_yes", dir))
	}
	err = node.RecoverCluster(dir, cfg, quietLogger(c))
	if isLocked(err) {
		return &plainError{tr(langOf(c), "err.running", dir), err}
	}
	if err != nil {
		return err
	}
	say(c, "cluster.recovered", cfg.AdvertiseURL(), dir)
	return nil
}

// runClusterRemove has the cluster of --node remove a member, as the
// admin logged in there.
func runClusterRemove(c *cli.Context) error {
	if err := need(c, "node", "member"); err != nil {
		return err
	}
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	member := strings.TrimRight(c.String("member"), "/")
	ctx, cancel := context.WithTimeout(c.Context, 30*time.Second)
	defer cancel()
	if err := cl.RemoveMember(ctx, member); err != nil {
		return err
	}
	say(c, "cluster.removed", member)
	return nil
}

// joinFlag names the member a new member joins through: its raft address.
func joinFlag() cli.Flag { return &cli.StringFlag{Name: "join", Usage: "flag.join"} }

// joinTokenFlag gives a new member the join token an admin issued.
func joinTokenFlag() cli.Flag { return &cli.StringFlag{Name: "join-token", Usage: "flag.join_token"} }

// memberKeyFlag gives a member that joins a cluster the cluster's key.
func memberKeyFlag() cli.Flag {
	return &cli.StringFlag{Name: "member-key", Usage: "flag.member_key"}
}

// runMemberKey prints the member key of the stopped or running member in
// --data, for the admin to give a member that joins; with --set, it
// gives this member the cluster's key.
// runClusterCA prints the cluster's HTTPS CA certificate, for an admin
// who installs it in the office's browsers, and its pin, which the tokens
// of lumbung enroll carry.
func runClusterCA(c *cli.Context) error {
	if err := need(c, "data"); err != nil {
		return err
	}
	dir := c.String("data")
	if _, err := loadConfig(c, dir); err != nil {
		return err
	}
	k, err := node.LoadMemberKey(dir)
	if err != nil {
		return err
	}
	ca, err := trust.DeriveWeb(k)
	if err != nil {
		return err
	}
	say(c, "cluster.ca", ca.Pin())
	_, err = c.App.Writer.Write(ca.CertPEM())
	return err
}

func runMemberKey(c *cli.Context) error {
	if err := need(c, "data"); err != nil {
		return err
	}
	dir := c.String("data")
	if _, err := loadConfig(c, dir); err != nil {
		return err
	}
	if k := c.String("set"); k != "" {
		if err := node.SaveMemberKey(dir, k); err != nil {
			return err
		}
		say(c, "cluster.key_set", dir)
		return nil
	}
	k, err := node.LoadMemberKey(dir)
	if err != nil {
		return err
	}
	fmt.Fprintln(c.App.Writer, k)
	return nil
}

func init() {
	locale.DefineAll(map[string][2]string{
		"cmd.cluster":        {"klaster kecamatan/kabupaten: status, tambah dan keluarkan anggota", "kecamatan/kabupaten cluster: status, add and remove members"},
		"cmd.cluster_status": {"menampilkan anggota, pemimpin, term dan indeks klaster", "show the cluster's members, leader, term and indexes"},
		"cmd.cluster_join":   {"mendaftarkan anggota baru (direktori --data, belum berjalan) ke klaster lewat anggota mana pun (--join ALAMAT-RAFT) dengan token gabung", "enrol a new member (its --data directory, stopped) into the cluster through any member (--join RAFT-ADDRESS) with a join token"},
		"cmd.cluster_recover": {"memulihkan klaster yang kehilangan mayoritas anggotanya: anggota (--data, berhenti) ini menjadi satu-satunya anggota",
			"recover a cluster that lost most of its members for good: this stopped member (--data) becomes its only member"},
		"flag.recover_yes": {"ya, anggota lain sudah hilang untuk selamanya", "yes, the other members are lost for good"},
		"err.recover_yes": {"Pemulihan menjadikan %s satu-satunya anggota klaster. Lakukan hanya bila anggota lain hilang untuk selamanya, dan jangan jalankan lagi anggota lama itu dengan datanya (hapus, lalu gabungkan sebagai anggota baru). Ulangi dengan --yes.",
			"Recovery makes %s the cluster's only member. Do it only when the other members are lost for good, and never start those members again on their data (wipe them, then join them as new members). Run again with --yes."},
		"cluster.recovered": {"Klaster dipulihkan: %s kini satu-satunya anggota. Jalankan `lumbung serve --data %s`, lalu tambahkan anggota baru dengan token gabung.",
			"Cluster recovered: %s is now its only member. Run `lumbung serve --data %s`, then add new members with join tokens."},
		"cmd.cluster_join_token": {"membuat token gabung untuk satu anggota baru (admin)", "issue a join token for one new member (admin)"},
		"flag.join_token":        {"token gabung dari admin klaster (lumbung cluster join-token)", "the join token from the cluster's admin (lumbung cluster join-token)"},
		"flag.join_ttl":          {"lama berlaku token, misalnya 2h; bawaan 24h, paling lama 168h", "how long the token lasts, e.g. 2h; default 24h, at most 168h"},
		"cluster.enrolled":       {"Anggota %s terdaftar di klaster lewat %s; jalankan `lumbung serve` untuk bergabung.", "Member %s enrolled in the cluster through %s; run `lumbung serve` to join."},
		"cluster.join_token": {"Token gabung (sekali pakai, berlaku sampai %s):\n  %s\nSidik jari CA klaster: %s\nDi server anggota baru:\n  lumbung init --data DIR --tier %s --region %s --http ALAMAT:PORT --raft ALAMAT:PORT --join %s --join-token %s",
			"Join token (single use, valid until %s):\n  %s\nCluster CA fingerprint: %s\nOn the new member's server:\n  lumbung init --data DIR --tier %s --region %s --http ADDRESS:PORT --raft ADDRESS:PORT --join %s --join-token %s"},
		"cmd.cluster_member_key": {"mencetak kunci anggota klaster (rahasia) untuk anggota baru; --set memberikannya ke anggota ini",
			"print the cluster's member key (a secret) for a new member; --set gives it to this member"},
		"flag.member_key":     {"kunci anggota klaster yang diikuti (lumbung cluster member-key di anggotanya)", "the member key of the cluster to join (lumbung cluster member-key on one of its members)"},
		"flag.member_key_set": {"memberikan kunci anggota ini ke anggota ini", "give this member this member key"},
		"cluster.key_set":     {"Kunci anggota disimpan di %s.", "Member key saved in %s."},
		"cmd.cluster_remove":  {"mengeluarkan anggota (--member URL) dari klaster", "remove a member (--member URL) from the cluster"},
		"flag.raft_timeout":   {"batas waktu heartbeat dan pemilihan raft; 2s untuk jaringan kantor, 300ms bila semua anggota di satu mesin", "raft heartbeat and election timeout; 2s for an office network, 300ms when all members are on one machine"},
		"flag.member":         {"URL API anggota yang dikeluarkan (ID anggotanya)", "API URL of the member to remove (its member ID)"},
		"flag.advertise":      {"URL API node ini yang dipakai anggota lain (ID anggota); bawaan http://ALAMAT-HTTP", "this node's API URL as other members reach it (its member ID); default http://HTTP-ADDRESS"},
		"flag.join":           {"alamat raft (host:port) anggota klaster yang akan diikuti; kosong: memulai klaster baru", "raft address (host:port) of a member of the cluster to join; empty: start a new cluster"},
		"cluster.status": {"Anggota %s: %s\nPemimpin: %s\nTerm: %d, indeks commit %d, diterapkan %d, snapshot %d\nAnggota:",
			"Member %s: %s\nLeader: %s\nTerm: %d, commit index %d, applied %d, snapshot %d\nMembers:"},
		"cluster.leader":    {"pemimpin", "leader"},
		"cluster.follower":  {"pengikut", "follower"},
		"cluster.nonvoter":  {"tanpa hak suara", "non-voter"},
		"cluster.no_leader": {"(belum ada)", "(none yet)"},
		"cluster.joined":    {"Anggota %s ditambahkan ke klaster lewat %s.", "Member %s added to the cluster through %s."},
		"cluster.removed":   {"Anggota %s dikeluarkan dari klaster.", "Member %s removed from the cluster."},
		"err.desa_cluster":  {"Node desa tidak masuk klaster; hanya kecamatan dan kabupaten.", "A desa node is not a cluster member; only kecamatan and kabupaten are."},
		"err.join":          {"Tidak dapat bergabung ke klaster lewat %s", "Cannot join the cluster through %s"},
		"err.remove":        {"Tidak dapat mengeluarkan anggota %s", "Cannot remove member %s"},
	})
}
