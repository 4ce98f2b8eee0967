package node

import (
	"context"
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/cockroachdb/pebble/v2"
	"github.com/lumbung/lumbung/catalogue"
	"github.com/lumbung/lumbung/schema"
)

// SampleRegions is a small built-in excerpt of the Kemendagri region list
// (Jawa Barat, Kabupaten Purwakarta and three of its kecamatan with their
// desa and kelurahan), for tests and the demo. Source: Kepmendagri
// 300.2.2-2138/2025 as converted by cahyadsn/wilayah (MIT licence).
//
//go:embed regions_sample.csv
var SampleRegions string

// Region is one entry of the region list.
type Region struct {
	Code schema.Code `json:"code"`
	Name string      `json:"name"`
}

// ParseRegions reads a Kemendagri list as CSV "kode,nama" (dotted codes,
// an optional header line). It reads all or nothing.
func ParseRegions(r io.Reader) ([]Region, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	var out []Region
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrRegionList, err)
		}
		if line == 1 && len(rec) > 0 && strings.EqualFold(strings.TrimSpace(rec[0]), "kode") {
			continue
		}
		if len(rec) != 2 {
			return nil, fmt.Errorf("%w: line %d: want 2 fields (kode,nama), got %d", ErrRegionList, line, len(rec))
		}
		code, err := schema.ParseCode(strings.TrimSpace(rec[0]))
		if err != nil {
			return nil, fmt.Errorf("%w: line %d: %w", ErrRegionList, line, err)
		}
		out = append(out, Region{Code: code, Name: strings.TrimSpace(rec[1])})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: no regions in the file", ErrRegionList)
	}
	return out, nil
}

// regionsWrite is a regions.set or regions.import command.
type regionsWrite struct {
	Officer string   `json:"officer,omitempty"`
	Regions []Region `json:"regions,omitempty"`
}

// kindRegionsImport adds regions to the node's own list: local reference
// data, not a change (see kindRegionsSet for publishing it below).
var kindRegionsImport = register(&Kind[regionsWrite, struct{}]{
	Name: "regions.import", Version: 1, Entity: entityNone, Result: resultNone,
	Check: func(in *regionsWrite) error {
		for _, r := range in.Regions {
			if !r.Code.Valid() {
				return fmt.Errorf("%w: region code %q", schema.ErrInvalid, r.Code)
			}
		}
		return nil
	},
	Run: func(tx *Tx, in *regionsWrite) (struct{}, error) {
		for _, r := range in.Regions {
			tx.Set(regionListKey(r.Code), []byte(r.Name))
		}
		tx.wrote = true
		if err := bumpVersion(tx.b, keyRegionsVer); err != nil {
			return struct{}{}, fmt.Errorf("node: import regions: %w", err)
		}
		if len(in.Regions) > 0 {
			tx.s.regions.CompareAndSwap(0, int64(len(in.Regions))) // a list exists now; counted exactly below
		}
		return struct{}{}, tx.err
	},
})

// ImportRegions adds regions to the node's list (through raft on a
// cluster member) and returns how many the list holds after, as this
// member sees it.
func (n *Node) ImportRegions(ctx context.Context, regions []Region) (int64, error) {
	if _, err := exec(ctx, n, kindRegionsImport, regionsWrite{Regions: regions}); err != nil {
		return 0, err
	}
	if err := n.store.countRegions(); err != nil {
		return 0, err
	}
	return n.store.regions.Load(), nil
}

// ImportRegions adds regions to the list of a stopped desa node, in one
// durable batch, and returns how many the list holds after. A cluster
// member's store refuses it (its list comes through raft).
func (s *Store) ImportRegions(regions []Region) (int64, error) {
	if _, err := runLocal(context.Background(), s, kindRegionsImport, regionsWrite{Regions: regions}); err != nil {
		return 0, err
	}
	if err := s.countRegions(); err != nil {
		return 0, err
	}
	return s.regions.Load(), nil
}

func (s *Store) countRegions() error {
	codes, err := regionCodes(s.db)
	if err != nil {
		return err
	}
	s.regions.Store(int64(len(codes)))
	s.aggGen.Add(1)
	return nil
}

// RegionName returns a region's name. known is true when the region list
// has it; listed is false when no list was imported (every well-formed
// code is then accepted).
func (s *Store) RegionName(c schema.Code) (name string, known, listed bool, err error) {
	if s.regions.Load() == 0 {
		return "", false, false, nil
	}
	v, ok, err := s.get(regionListKey(c))
	return string(v), ok, true, err
}

// batchReaderWriter is a batch a version is read from and written to.
type batchReaderWriter interface {
	reader
	Set(key, value []byte, o *pebble.WriteOptions) error
}

// bumpVersion moves the version counter at key on, in b.
func bumpVersion(b batchReaderWriter, key []byte) error {
	raw, _, err := getFrom(b, key)
	if err != nil {
		return err
	}
	return b.Set(key, u64(getU64(raw)+1), nil)
}

// materialiseRegions folds a published region list and writes its entries
// into the node's list (an import's entries stay; a name is replaced).
func materialiseRegions(tx *Tx, u entityUpdate) (any, error) {
	region, ok := catalogue.ParseRegionsEntity(u.change.Entity)
	if !ok {
		return nil, nil // not an entity this version can fold: kept, not folded
	}
	l := catalogue.FoldRegions(region, u.all)
	for _, r := range l.Regions {
		tx.Set(regionListKey(r.Code), []byte(r.Name))
	}
	if err := bumpVersion(tx.b, keyRegionsVer); err != nil {
		return nil, fmt.Errorf("node: region list version: %w", err)
	}
	if len(l.Regions) > 0 {
		tx.s.regions.CompareAndSwap(0, int64(len(l.Regions))) // a list exists now; counted exactly at the next open or import
	}
	return l, nil
}

// PublishRegions publishes regions, all at or below the node's region, as
// reference data for every node below: in changes of at most
// catalogue.MaxRegionsPerChange entries, each applied whole. It returns
// how many it published.
//
// Every change is checked before the first is written, so a bad entry
// anywhere in the list writes nothing. Publishing again is harmless: an
// entry given twice keeps its last name.
func (n *Node) PublishRegions(ctx context.Context, officer string, regions []Region) (int, error) {
	if n.cfg.Region.Level() >= schema.LevelDesa {
		return 0, ErrNotAbove
	}
	var chunks [][]Region
	for rest := regions; len(rest) > 0 || len(chunks) == 0; {
		chunk := rest[:min(len(rest), catalogue.MaxRegionsPerChange)]
		if err := regionsBody(chunk).Check(n.cfg.Region); err != nil {
			return 0, err
		}
		chunks, rest = append(chunks, chunk), rest[len(chunk):]
	}
	for _, chunk := range chunks {
		if _, err := exec(ctx, n, kindRegionsSet, regionsWrite{Officer: officer, Regions: chunk}); err != nil {
			return 0, err
		}
	}
	return len(regions), nil
}

func regionsBody(regions []Region) *catalogue.RegionsBody {
	b := &catalogue.RegionsBody{Regions: make([]catalogue.Region, len(regions))}
	for i, r := range regions {
		b.Regions[i] = catalogue.Region{Code: r.Code, Name: r.Name}
	}
	return b
}

// kindRegionsSet publishes regions of the node's region as reference
// data for every node below.
var kindRegionsSet = register(&Kind[regionsWrite, struct{}]{
	Name: "regions.set", Version: 1, Entity: entityRegions, Result: resultNone,
	Check: func(in *regionsWrite) error { return schema.CheckOfficer(in.Officer) },
	Run: func(tx *Tx, in *regionsWrite) (struct{}, error) {
		region := tx.s.cfg.Region
		if region.Level() >= schema.LevelDesa {
			return struct{}{}, ErrNotAbove
		}
		b := regionsBody(in.Regions)
		if err := b.Check(region); err != nil {
			return struct{}{}, err
		}
		_, _, err := tx.Append(actor(in.Officer), catalogue.RegionsEntity(region), region, schema.OpRegionsSet, b, nil)
		return struct{}{}, err
	},
})
