package main

import (
	"encoding/json"
	"testing"

	"github.com/lumbung/lumbung/client"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/replication/wire"
)

// TestVersion: lumbung version and GET /api/v1/node say the same release,
// commit, protocol range and store format.
func TestVersion(t *testing.T) {
	wantOut(t, mustRun(t, "version"), "Lumbung dev", "Protokol sinkronisasi: 2–3", "Format penyimpanan: 2")
	wantOut(t, mustRun(t, "--lang", "en", "version"), "Sync protocol: 2–3", "Store format: 2")
	var cli node.BuildInfo
	if err := json.Unmarshal([]byte(mustRun(t, "version", "-o", "json")), &cli); err != nil {
		t.Fatal(err)
	}
	tn := newTestNode(t)
	api, err := client.New(tn.url, client.Options{Token: tn.staff.Token(officer.Viewer)})
	if err != nil {
		t.Fatal(err)
	}
	info, err := api.Node(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	want := node.BuildInfo{Release: "dev", Commit: cli.Commit, Protocol: wire.Supported, StoreFormat: node.StoreFormat}
	if cli != want || info.Build != want {
		t.Errorf("lumbung version %+v, /api/v1/node %+v; want %+v", cli, info.Build, want)
	}
}
