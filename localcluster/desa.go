package localcluster

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/lumbung/lumbung/internal/staff"
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
	// NoOfficers leaves the desa without officers, and so without an
	// identity key: it keeps its reporters in clear, as before identity
	// keys (a baseline for the benchmarks).
	NoOfficers bool
}

// StartDesa starts an in-process desa node for region with its data under
// base/<region>. Stop and Start it as a Member.
func StartDesa(base string, region schema.Code, o DesaOptions) (*Member, error) {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	m, err := startFresh(func() (*Member, error) {
		addr, err := FreeAddr()
		if err != nil {
			return nil, err
		}
		cfg := node.DefaultConfig(node.TierDesa, region)
		cfg.HTTPAddr, cfg.Upstream, cfg.Token = addr, o.Upstream, o.Token
		return &Member{Data: filepath.Join(base, string(region)), URL: "http://" + addr, cfg: cfg,
			log: o.Logger.With("desa", region), uplink: o.Uplink, now: o.Now, store: o.Store}, nil
	})
	if err != nil || o.NoOfficers {
		return m, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := staff.Add(ctx, m.node)
	if err != nil {
		return m, fmt.Errorf("localcluster: %w", err)
	}
	m.staffed(s)
	return m, nil
}
