package testcluster

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/replication/exchange"
	"github.com/lumbung/lumbung/schema"
)

// DesaOptions shape StartDesa.
type DesaOptions struct {
	// Upstream and Token connect the desa to its kecamatan.
	Upstream, Token string
	// Uplink adjusts the uplink's settings (node.Options.Uplink).
	Uplink func(*exchange.UplinkConfig)
	// Logger receives the node's log (default: discarded).
	Logger *slog.Logger
	// Now is the laptop's clock (default: time.Now).
	Now func() time.Time
	// Store tunes the node's store (node.Options.Store).
	Store node.StoreConfig
}

// StartDesa starts an in-process desa node for region with its data under
// base/<region>. Stop and Start it as a Member.
func StartDesa(base string, region schema.Code, o DesaOptions) (*Member, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	cfg := node.DefaultConfig(node.TierDesa, region)
	cfg.HTTPAddr, cfg.Upstream, cfg.Token = addr, o.Upstream, o.Token
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	m := &Member{Data: filepath.Join(base, string(region)), URL: "http://" + addr, cfg: cfg,
		log: o.Logger.With("desa", region), uplink: o.Uplink, now: o.Now, store: o.Store}
	if err := os.MkdirAll(m.Data, 0o700); err != nil {
		return nil, fmt.Errorf("testcluster: %w", err)
	}
	return m, m.Start()
}
