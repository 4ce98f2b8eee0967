package localcluster

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/replication/cluster"
	"github.com/lumbung/lumbung/replication/exchange"
	"github.com/lumbung/lumbung/schema"
)

// Topology is the shape of a kabupaten built on this machine.
type Topology struct {
	// Kabupaten is the regency's code (default 32.14).
	Kabupaten schema.Code
	// Kecamatan and DesaPerKecamatan size a made-up kabupaten: kecamatan
	// <kab>.01, .02, …, each with desa .2001, .2002, … (defaults 2 and 2).
	Kecamatan, DesaPerKecamatan int
	// Regions, when set, is the kabupaten instead: each kecamatan's code
	// with its desa codes (from an imported region list).
	Regions []KecamatanRegions
	// Members is the size of every regional cluster, kecamatan and
	// kabupaten alike (default 3).
	Members int
	// Shape is every link between a desa and its kecamatan (default:
	// unshaped); KecamatanShape, if set, every link between a kecamatan
	// and the kabupaten (default: Shape).
	Shape          Shape
	KecamatanShape *Shape
	// Seed seeds the links' jitter.
	Seed uint64
	// Logger receives every node's log (default: discarded; the
	// testcluster harness logs to t.Log).
	Logger *slog.Logger
	// Uplink adjusts every uplink's settings (default FastUplink).
	Uplink func(*exchange.UplinkConfig)
	// Store tunes every node's store (the demo makes them small).
	Store node.StoreConfig
	// WaitLimit bounds every wait for a condition (default 60 s).
	WaitLimit time.Duration
	// Raft, if set, is every cluster's raft settings (default
	// LoopbackSettings).
	Raft *cluster.Settings
}

// KecamatanRegions is one kecamatan of a Topology and its desa.
type KecamatanRegions struct {
	Code schema.Code
	Desa []schema.Code
}

// Kabupaten is a whole regency running in this process: its cluster, its
// kecamatan clusters and their desa, every link between tiers a Link.
type Kabupaten struct {
	Code      schema.Code
	Cluster   *Cluster
	Kecamatan []*Kecamatan
	topo      Topology
}

// Kecamatan is one kecamatan cluster with its uplink and its desa.
type Kecamatan struct {
	Code schema.Code
	*Cluster
	// Up holds the kecamatan's links to the kabupaten, one per member of
	// the kabupaten cluster; every kecamatan member dials through them.
	Up   []*Link
	Desa []*Desa
}

// Desa is one desa node with its links to its kecamatan and its clock.
type Desa struct {
	Code schema.Code
	*Member
	// Up holds the desa's links, one per member of its kecamatan.
	Up []*Link
	// Clock is the laptop's clock, which can be set wrong.
	Clock *Clock
}

// Clock is a laptop's clock: the real time, off by a skew that can be
// changed while the node runs.
type Clock struct{ skew atomic.Int64 }

// Now is the real time plus the skew.
func (c *Clock) Now() time.Time { return time.Now().Add(time.Duration(c.skew.Load())) }

// Skew sets the clock off by d (0 sets it right).
func (c *Clock) Skew(d time.Duration) { c.skew.Store(int64(d)) }

// Layout returns the kecamatan and desa codes the topology describes.
func (t *Topology) Layout() []KecamatanRegions {
	if len(t.Regions) > 0 {
		return t.Regions
	}
	out := make([]KecamatanRegions, t.Kecamatan)
	for i := range out {
		k := schema.Code(fmt.Sprintf("%s.%02d", t.Kabupaten, i+1))
		out[i].Code = k
		for j := 0; j < t.DesaPerKecamatan; j++ {
			out[i].Desa = append(out[i].Desa, schema.Code(fmt.Sprintf("%s.%04d", k, 2001+j)))
		}
	}
	return out
}

// SetDefaults fills in every field left zero with its default.
func (t *Topology) SetDefaults() {
	if t.Kabupaten == "" {
		t.Kabupaten = "32.14"
	}
	if t.Kecamatan == 0 {
		t.Kecamatan = 2
	}
	if t.DesaPerKecamatan == 0 {
		t.DesaPerKecamatan = 2
	}
	if t.Members == 0 {
		t.Members = 3
	}
	if t.Logger == nil {
		t.Logger = slog.New(slog.DiscardHandler)
	}
	if t.Uplink == nil {
		t.Uplink = FastUplink
	}
	if t.WaitLimit == 0 {
		t.WaitLimit = 60 * time.Second
	}
}

// StartKabupaten builds the topology with every node's data under base:
// the kabupaten cluster, then each kecamatan cluster enrolled with it and
// reaching it through its links, then each desa enrolled with its
// kecamatan and reaching it through its own links. The caller calls Close.
func StartKabupaten(base string, topo Topology) (*Kabupaten, error) {
	topo.SetDefaults()
	k := &Kabupaten{Code: topo.Kabupaten, topo: topo}
	o := ClusterOptions{Region: topo.Kabupaten, Logger: topo.Logger.With("region", topo.Kabupaten),
		WaitLimit: topo.WaitLimit, Store: topo.Store, Settings: topo.Raft}
	var err error
	if k.Cluster, err = StartCluster(filepath.Join(base, string(topo.Kabupaten)), topo.Members, o); err != nil {
		return k, err
	}
	for i, kr := range topo.Layout() {
		kec, err := k.startKecamatan(base, kr, topo.Seed+uint64(i)*1000)
		if kec != nil {
			k.Kecamatan = append(k.Kecamatan, kec)
		}
		if err != nil {
			return k, err
		}
	}
	return k, nil
}

func (k *Kabupaten) startKecamatan(base string, kr KecamatanRegions, seed uint64) (*Kecamatan, error) {
	token, err := Enroll(k.Cluster.Members[0].URL, kr.Code)
	if err != nil {
		return nil, err
	}
	kec := &Kecamatan{Code: kr.Code}
	shape := k.topo.Shape
	if k.topo.KecamatanShape != nil {
		shape = *k.topo.KecamatanShape
	}
	up, err := linksTo(k.Cluster, shape, seed)
	kec.Up = up
	if err != nil {
		return kec, err
	}
	o := ClusterOptions{Region: kr.Code, Logger: k.topo.Logger.With("region", kr.Code), WaitLimit: k.topo.WaitLimit,
		Upstream: urls(up), Token: token, Uplink: k.topo.Uplink, Store: k.topo.Store, Settings: k.topo.Raft}
	if kec.Cluster, err = StartCluster(filepath.Join(base, string(kr.Code)), k.topo.Members, o); err != nil {
		return kec, err
	}
	for j, d := range kr.Desa {
		desa, err := k.startDesa(base, kec, d, seed+uint64(j+1))
		if desa != nil {
			kec.Desa = append(kec.Desa, desa)
		}
		if err != nil {
			return kec, err
		}
	}
	return kec, nil
}

func (k *Kabupaten) startDesa(base string, kec *Kecamatan, region schema.Code, seed uint64) (*Desa, error) {
	token, err := Enroll(kec.Members[0].URL, region)
	if err != nil {
		return nil, err
	}
	d := &Desa{Code: region, Clock: &Clock{}}
	if d.Up, err = linksTo(kec.Cluster, k.topo.Shape, seed); err != nil {
		return d, err
	}
	d.Member, err = StartDesa(filepath.Join(base, string(kec.Code)), region, DesaOptions{Upstream: urls(d.Up),
		Token: token, Uplink: k.topo.Uplink, Logger: k.topo.Logger, Now: d.Clock.Now, Store: k.topo.Store})
	return d, err
}

// linksTo opens one shaped link to each member of c.
func linksTo(c *Cluster, shape Shape, seed uint64) ([]*Link, error) {
	var out []*Link
	for i, m := range c.Members {
		u, err := url.Parse(m.URL)
		if err != nil {
			return out, fmt.Errorf("localcluster: %w", err)
		}
		l, err := NewLink(u.Host, shape, seed+uint64(i))
		if err != nil {
			return out, fmt.Errorf("localcluster: %w", err)
		}
		out = append(out, l)
	}
	return out, nil
}

func urls(links []*Link) string {
	var u []string
	for _, l := range links {
		u = append(u, l.URL())
	}
	return strings.Join(u, ",")
}

// Close stops every node, desa first, then every link.
func (k *Kabupaten) Close() {
	for _, kec := range k.Kecamatan {
		for _, d := range kec.Desa {
			if d.Member != nil {
				_ = d.Stop()
			}
			closeLinks(d.Up)
		}
	}
	for _, kec := range k.Kecamatan {
		if kec.Cluster != nil {
			kec.Cluster.Close()
		}
		closeLinks(kec.Up)
	}
	if k.Cluster != nil {
		k.Cluster.Close()
	}
}

func closeLinks(ls []*Link) {
	for _, l := range ls {
		l.Close()
	}
}

// Topology is the topology k was built from, defaults filled in.
func (k *Kabupaten) Topology() Topology { return k.topo }

// Desas returns every desa of the kabupaten, kecamatan by kecamatan.
func (k *Kabupaten) Desas() []*Desa {
	var out []*Desa
	for _, kec := range k.Kecamatan {
		out = append(out, kec.Desa...)
	}
	return out
}

// Clusters returns the kabupaten cluster and every kecamatan cluster.
func (k *Kabupaten) Clusters() []*Cluster {
	out := []*Cluster{k.Cluster}
	for _, kec := range k.Kecamatan {
		out = append(out, kec.Cluster)
	}
	return out
}

// KecamatanOf returns the kecamatan a desa belongs to.
func (k *Kabupaten) KecamatanOf(d schema.Code) *Kecamatan {
	for _, kec := range k.Kecamatan {
		if kec.Code.Contains(d) {
			return kec
		}
	}
	return nil
}

// SetDown cuts (true) or restores (false) every link of the desa.
func (d *Desa) SetDown(down bool) { setDown(d.Up, down) }

// SetBlackHole makes every link of the desa swallow what it carries.
func (d *Desa) SetBlackHole(on bool) {
	for _, l := range d.Up {
		l.SetBlackHole(on)
	}
}

// SetDown cuts (true) or restores (false) the kecamatan's uplink.
func (k *Kecamatan) SetDown(down bool) { setDown(k.Up, down) }

func setDown(ls []*Link, down bool) {
	for _, l := range ls {
		l.SetDown(down)
	}
}

// Heal restores everything the faults changed: every link up, carrying
// and not flapping, every clock right, every raft link restored, and
// every stopped node started again on its data directory.
func (k *Kabupaten) Heal() error {
	var errs []error
	heal := func(ls []*Link) {
		for _, l := range ls {
			l.Flap(0, 0)
			l.SetBlackHole(false)
			l.SetDown(false)
		}
	}
	for _, c := range k.Clusters() {
		errs = append(errs, c.StartAll())
		c.Heal()
		for _, m := range c.Members {
			m.Clock.Skew(0)
		}
	}
	for _, kec := range k.Kecamatan {
		heal(kec.Up)
		for _, d := range kec.Desa {
			heal(d.Up)
			d.Clock.Skew(0)
			if !d.Running() {
				errs = append(errs, d.Start())
			}
		}
	}
	return errors.Join(errs...)
}

// StartAll starts every stopped member again.
func (c *Cluster) StartAll() error {
	var errs []error
	for _, m := range c.Members {
		if !m.Running() {
			errs = append(errs, m.Start())
		}
	}
	return errors.Join(errs...)
}
