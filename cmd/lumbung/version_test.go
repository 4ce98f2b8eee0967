package main

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/lumbung/lumbung/node"
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
	url := serveTestNode(t)
	resp, err := http.Get(url + "/api/v1/node")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var info node.Info
	if err := json.NewDecoder(resp.Body).Decode(&info); err != nil {
		t.Fatal(err)
	}
	want := node.BuildInfo{Release: "dev", Commit: cli.Commit, Protocol: wire.Supported, StoreFormat: node.StoreFormat}
	if cli != want || info.Build != want {
		t.Errorf("lumbung version %+v, /api/v1/node %+v; want %+v", cli, info.Build, want)
	}
}
