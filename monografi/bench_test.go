package monografi

import (
	"iter"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/schema/sample"
)

// approvedDocs yields an approved document for every desa of regions,
// made as it is read, as a node reads them from its store.
func approvedDocs(regions []schema.Code) iter.Seq[*Document] {
	return func(yield func(*Document) bool) {
		for i, c := range regions {
			if c.Level() != schema.LevelDesa {
				continue
			}
			d := &Document{Region: c, Period: testPeriod, Status: StatusApproved, Values: sample.MonografiFor(i)}
			if !yield(d) {
				return
			}
		}
	}
}

// kabupaten192 is a kabupaten of 17 kecamatan and 192 desa, like
// Purwakarta.
func kabupaten192() []schema.Code {
	var out []schema.Code
	for k := range 192 {
		out = append(out, schema.Code("32.14."+pad2(1+k%17)+"."+itoa(2001+k/17)))
	}
	return out
}

func pad2(n int) string {
	if n < 10 {
		return "0" + itoa(n)
	}
	return itoa(n)
}

// BenchmarkAggregateKabupaten aggregates 192 desa × the whole built-in
// catalogue from scratch.
func BenchmarkAggregateKabupaten(b *testing.B) {
	regions := kabupaten192()
	tree := NewTree(regions)
	for b.Loop() {
		a := NewAggregator(Builtin(), tree, testPeriod, approvedDocs(regions))
		if a.Get("32.14").Completeness.Reported != 192 {
			b.Fatal("not every desa reported")
		}
	}
}

// BenchmarkAggregateNation aggregates 83,762 desa in 7,285 kecamatan in
// 514 kabupaten from scratch, the tree included. Peak memory is measured
// by lumbung bench aggregate, in a process of its own.
func BenchmarkAggregateNation(b *testing.B) {
	regions := sample.Nation()
	for b.Loop() {
		a := NewAggregator(Builtin(), NewTree(regions), testPeriod, approvedDocs(regions))
		if got := a.Get("").Completeness; got.Reported != sample.NationDesa || got.Expected != sample.NationDesa {
			b.Fatalf("completeness %+v", got)
		}
	}
	b.ReportMetric(float64(peakRSS())/(1<<20), "peak-RSS-MiB")
}

// peakRSS reads the process's peak resident set (VmHWM) from Linux's
// /proc, or 0 elsewhere: run the benchmark alone for a figure of its own.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// BenchmarkAggregateUpdate is one desa's new approved document reaching
// the national aggregates: the latency of an incremental update.
func BenchmarkAggregateUpdate(b *testing.B) {
	regions := sample.Nation()
	a := NewAggregator(Builtin(), NewTree(regions), testPeriod, approvedDocs(regions))
	docs := []*Document{
		{Region: regions[0], Period: testPeriod, Status: StatusApproved, Values: sample.MonografiFor(1)},
		{Region: regions[0], Period: testPeriod, Status: StatusApproved, Values: sample.MonografiFor(2)},
	}
	i := 0
	for b.Loop() {
		a.Update(docs[i%2])
		i++
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/10_000, "x-of-10ms-limit")
}
