package demo

import (
	"fmt"
	"time"

	"github.com/lumbung/lumbung/localcluster"
	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/schema"
)

// Kecamatan is one kecamatan of the demo's kabupaten, with its desa.
type Kecamatan struct {
	node.Region
	Desa []node.Region
}

// MadeUp is a kabupaten of kecamatan <kab>.01, .02, … each with desa
// .2001, .2002, …, named "Kecamatan Contoh i" and "Desa Contoh i-j".
func MadeUp(kab schema.Code, kecamatan, desa int) []Kecamatan {
	var out []Kecamatan
	for i := 0; i < kecamatan; i++ {
		k := schema.Code(fmt.Sprintf("%s.%02d", kab, i+1))
		kec := Kecamatan{Region: node.Region{Code: k, Name: fmt.Sprintf("Kecamatan Contoh %d", i+1)}}
		for j := 0; j < desa; j++ {
			kec.Desa = append(kec.Desa, node.Region{Code: schema.Code(fmt.Sprintf("%s.%04d", k, 2001+j)),
				Name: fmt.Sprintf("Desa Contoh %d-%d", i+1, j+1)})
		}
		out = append(out, kec)
	}
	return out
}

// FromList is the kecamatan of kab in a Kemendagri region list, each with
// its desa; none when the list holds no kecamatan of kab.
func FromList(kab schema.Code, all []node.Region) []Kecamatan {
	var out []Kecamatan
	for _, r := range all {
		if r.Code.Level() == schema.LevelKecamatan && kab.Contains(r.Code) {
			out = append(out, Kecamatan{Region: r})
		}
	}
	byKec := map[schema.Code]*Kecamatan{}
	for i := range out {
		byKec[out[i].Code] = &out[i]
	}
	for _, r := range all {
		if k := byKec[r.Code.Parent()]; r.Code.Level() == schema.LevelDesa && k != nil {
			k.Desa = append(k.Desa, r)
		}
	}
	return out
}

// Flat is the region list the demo publishes at the kabupaten, so that
// completeness counts against it.
func Flat(ks []Kecamatan) []node.Region {
	var out []node.Region
	for _, k := range ks {
		out = append(out, k.Region)
		out = append(out, k.Desa...)
	}
	return out
}

// Profile3G is a kecamatan office's uplink: 384 kbit/s, 150 ms each way.
var Profile3G = localcluster.Shape{Rate: 48000, Latency: 150 * time.Millisecond, Jitter: 50 * time.Millisecond}

// Topology is the demo's kabupaten kab of the kecamatan ks, each cluster
// of members: desa links shaped like a 2G link and kecamatan links like
// 3G, the demo's uplink settings, and small caches and memtables, since
// dozens of nodes share this machine.
func Topology(kab schema.Code, ks []Kecamatan, members int, seed uint64) localcluster.Topology {
	topo := localcluster.Topology{Kabupaten: kab, Kecamatan: len(ks), Members: members, Seed: seed, Uplink: Uplink,
		Shape: localcluster.Profile2G, KecamatanShape: &Profile3G, WaitLimit: 2 * time.Minute,
		Store: node.StoreConfig{CacheBytes: 1 << 20, MemTableBytes: 2 << 20}}
	for _, k := range ks {
		kr := localcluster.KecamatanRegions{Code: k.Code}
		for _, d := range k.Desa {
			kr.Desa = append(kr.Desa, d.Code)
		}
		topo.Regions = append(topo.Regions, kr)
	}
	return topo
}

// CurrentPeriod is the semester now falls in.
func CurrentPeriod(now time.Time) monografi.Period {
	s := 1
	if now.Month() > time.June {
		s = 2
	}
	return monografi.Period(fmt.Sprintf("%d-S%d", now.Year(), s))
}
