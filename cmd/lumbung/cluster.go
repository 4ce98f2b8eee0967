package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/node"
	"github.com/urfave/cli/v2"
)

func clusterCommand() *cli.Command {
	return &cli.Command{
		Name:  "cluster",
		Usage: "cmd.cluster",
		Subcommands: []*cli.Command{
			{Name: "status", Usage: "cmd.cluster_status", Flags: []cli.Flag{nodeFlag(), outputFlag()}, Action: runClusterStatus},
			{Name: "join", Usage: "cmd.cluster_join", Flags: []cli.Flag{nodeFlag(), dataFlag(), memberKeyFlag()}, Action: runClusterJoin},
			{Name: "remove", Usage: "cmd.cluster_remove",
				Flags: []cli.Flag{nodeFlag(), &cli.StringFlag{Name: "member", Usage: "flag.member"}}, Action: runClusterRemove},
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

// runClusterJoin adds the member whose data directory is --data to the
// cluster of --node (any member). It also records --node in the
// member's configuration, so its first serve joins instead of starting a
// cluster of its own.
func runClusterJoin(c *cli.Context) error {
	if err := need(c, "data", "node"); err != nil {
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
	via := strings.TrimRight(c.String("node"), "/")
	if cfg.Join != via {
		cfg.Join = via
		if err := node.SaveConfig(dir, cfg); err != nil {
			return err
		}
	}
	if k := c.String("member-key"); k != "" {
		if err := node.SaveMemberKey(dir, k); err != nil {
			return err
		}
	}
	key, err := node.LoadMemberKey(dir)
	if err != nil {
		return fmt.Errorf("%s: %w", tr(langOf(c), "err.join", via), node.ErrNoMemberKey)
	}
	ctx, cancel := context.WithTimeout(c.Context, 30*time.Second)
	defer cancel()
	if err := node.JoinCluster(ctx, via, key, cfg.AdvertiseURL(), cfg.RaftAddr); err != nil {
		return fmt.Errorf("%s: %w", tr(langOf(c), "err.join", via), err)
	}
	say(c, "cluster.joined", cfg.AdvertiseURL(), via)
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

// memberKeyFlag gives a member that joins a cluster the cluster's key.
func memberKeyFlag() cli.Flag {
	return &cli.StringFlag{Name: "member-key", Usage: "flag.member_key"}
}

// runMemberKey prints the member key of the stopped or running member in
// --data, for the admin to give a member that joins; with --set, it
// gives this member the cluster's key.
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
		"cmd.cluster_join":   {"menambahkan anggota (direktori --data) ke klaster lewat anggota mana pun (--node)", "add a member (its --data directory) to the cluster through any member (--node)"},
		"cmd.cluster_member_key": {"mencetak kunci anggota klaster (rahasia) untuk anggota baru; --set memberikannya ke anggota ini",
			"print the cluster's member key (a secret) for a new member; --set gives it to this member"},
		"flag.member_key":     {"kunci anggota klaster yang diikuti (lumbung cluster member-key di anggotanya)", "the member key of the cluster to join (lumbung cluster member-key on one of its members)"},
		"flag.member_key_set": {"memberikan kunci anggota ini ke anggota ini", "give this member this member key"},
		"cluster.key_set":     {"Kunci anggota disimpan di %s.", "Member key saved in %s."},
		"cmd.cluster_remove":  {"mengeluarkan anggota (--member URL) dari klaster", "remove a member (--member URL) from the cluster"},
		"flag.raft_timeout":   {"batas waktu heartbeat dan pemilihan raft; 2s untuk jaringan kantor, 300ms bila semua anggota di satu mesin", "raft heartbeat and election timeout; 2s for an office network, 300ms when all members are on one machine"},
		"flag.member":         {"URL API anggota yang dikeluarkan (ID anggotanya)", "API URL of the member to remove (its member ID)"},
		"flag.advertise":      {"URL API node ini yang dipakai anggota lain (ID anggota); bawaan http://ALAMAT-HTTP", "this node's API URL as other members reach it (its member ID); default http://HTTP-ADDRESS"},
		"flag.join":           {"URL anggota klaster yang akan diikuti; kosong: memulai klaster baru", "URL of a member of the cluster to join; empty: start a new cluster"},
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
