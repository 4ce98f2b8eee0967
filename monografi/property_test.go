package monografi

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/lumbung/lumbung/schema"
)

// TestFoldConverges checks promise 4: the same changes, shuffled and
// repeated in any way, fold to the same document, byte for byte.
func TestFoldConverges(t *testing.T) {
	seeds := []uint64{1, 2, 3, 42, uint64(time.Now().UnixNano())}
	for _, seed := range seeds {
		t.Logf("seed %d", seed)
		r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
		changes := randomChanges(r, 5+r.IntN(60))
		want := schema.Digest(Fold(testRegion, testPeriod, changes))
		for range 50 {
			got := schema.Digest(Fold(testRegion, testPeriod, redeliver(r, changes)))
			if got != want {
				t.Fatalf("seed %d: digests differ after a shuffle and duplication", seed)
			}
		}
	}
}

// randomChanges writes n changes from three origins with clocks close
// enough together to tie: sets of a few indicators, submits, and the odd
// malformed body.
func randomChanges(r *rand.Rand, n int) []*schema.Change {
	origins := []schema.Origin{
		{Region: testRegion, Incarnation: "AAAAAA"},
		{Region: testRegion, Incarnation: "BBBBBB"},
		{Region: "32.14.02", Incarnation: "KEC001"},
	}
	codes := []string{"penduduk.jumlah", "penduduk.laki_laki", "penduduk.perempuan", "wilayah.luas_km2", "kesehatan.posyandu"}
	seq := map[schema.Origin]uint64{}
	out := make([]*schema.Change, n)
	for i := range out {
		o := origins[r.IntN(len(origins))]
		seq[o]++
		c := &schema.Change{
			Origin: o, Seq: seq[o], HLC: schema.HLC{Wall: baseWall + int64(r.IntN(20)), Logical: uint32(r.IntN(2))},
			Actor: "op", Entity: Entity(testRegion, testPeriod), Scope: testRegion, Op: schema.OpMonografiSet,
		}
		switch k := r.IntN(10); {
		case k < 6:
			b := SetBody{Values: map[string]float64{}}
			for range 1 + r.IntN(3) {
				b.Values[codes[r.IntN(len(codes))]] = float64(r.IntN(5)) - 1 + float64(r.IntN(2))/2
			}
			c.Body, _ = json.Marshal(b)
		case k < 9:
			c.Op, c.Body = schema.OpMonografiSubmit, json.RawMessage(`{}`)
		default:
			c.Body = json.RawMessage(`{"values": [1]}`)
		}
		out[i] = c
	}
	return out
}

// redeliver returns the changes shuffled, with some sent again, as copies
// (a resent change is decoded afresh, not the same pointer).
func redeliver(r *rand.Rand, changes []*schema.Change) []*schema.Change {
	out := make([]*schema.Change, 0, 2*len(changes))
	for _, c := range changes {
		for range 1 + r.IntN(3) {
			cp := *c
			out = append(out, &cp)
		}
	}
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}
