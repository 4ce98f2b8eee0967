package testcluster

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/klauspost/compress/dict"
	"github.com/klauspost/compress/zstd"
	"github.com/lumbung/lumbung/replication/wire"
)

var trainDict = flag.Int("dict.train", 0, "train sync dictionary `N` and write replication/wire/dict/N.zdict (never overwrites)")

// trainingCorpus is what dictionaries are trained on: 12 desa, 150
// complaints each, the kecamatan's actions, a semester of monografi.
// Seed 1; the benchmarks use other seeds, so the dictionary is measured on
// records it has not seen.
var trainingCorpus = CorpusConfig{Seed: 1, Desa: 12, Complaints: 150, Actions: true}

// TestTrainDictionary writes a new dictionary when asked
// (-dict.train=N). A shipped dictionary is never rewritten: both sides
// keep every version they have shipped.
func TestTrainDictionary(t *testing.T) {
	if *trainDict == 0 {
		t.Skip("run with -dict.train=N to train dictionary N")
	}
	path := filepath.Join("..", "replication", "wire", "dict", fmt.Sprintf("%d.zdict", *trainDict))
	if _, err := os.Stat(path); err == nil {
		t.Fatalf("%s exists: a shipped dictionary never changes; train a new number", path)
	}
	cfg := trainingCorpus
	cfg.Logger = Logger(t)
	changes, err := Corpus(t.TempDir(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	// The samples are what a frame compresses: batches in the columnar
	// encoding, of 1 to 16 changes.
	var input [][]byte
	for i, n := 0, 1; i < len(changes); i, n = i+n, n%16+1 {
		p, err := wire.EncodeBatch(&wire.Batch{Last: uint64(i + n), Changes: changes[i:min(i+n, len(changes))]})
		if err != nil {
			t.Fatal(err)
		}
		input = append(input, p)
	}
	// And the messages that open and close every body, which are all an
	// idle exchange carries.
	for i, c := range changes[:min(len(changes), 200)] {
		for _, v := range []any{
			wire.Hello{Version: wire.Version, Origin: c.Origin, Dicts: wire.Dictionaries(), Catalogue: 1,
				From: uint64(i * 7), Down: uint64(i * 13), Budget: 240000, Frame: 16000, Wait: 1200, Clock: c.HLC.Wall},
			wire.Ack{Acked: uint64(i * 7), Applied: i % 3, Clock: c.HLC.Wall + 900},
			wire.End{Frames: i % 4, Down: uint64(i * 13), More: i%5 == 0},
		} {
			b, _ := json.Marshal(v)
			input = append(input, b)
		}
	}
	// zstd reserves dictionary ids below 32768.
	d, err := dict.BuildZstdDict(input, dict.Options{MaxDictSize: 32 << 10, HashBytes: 6,
		ZstdDictID: uint32(32768 + *trainDict), ZstdLevel: zstd.SpeedBestCompression})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, d, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("dictionary %d: %d bytes from %d samples", *trainDict, len(d), len(input))
}

// TestDictionaryEarnsItsPlace: on records it was not trained on, one
// frame's worth of changes compresses at least a quarter smaller with the
// newest dictionary than without one.
func TestDictionaryEarnsItsPlace(t *testing.T) {
	changes, err := Corpus(t.TempDir(), CorpusConfig{Seed: 99, Desa: 2, Complaints: 40, Actions: true, Logger: Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	ids := wire.Dictionaries()
	newest := ids[len(ids)-1]
	for _, n := range []int{1, 10, 40} {
		b, err := wire.EncodeBatch(&wire.Batch{Last: 1, Changes: changes[:n]})
		if err != nil {
			t.Fatal(err)
		}
		with, without := frameSize(t, newest, b), frameSize(t, 0, b)
		t.Logf("%d changes, %d raw bytes: %d with dictionary %d, %d without", n, len(b), with, newest, without)
		if with*4 > without*3 {
			t.Errorf("%d changes: %d bytes with the dictionary, %d without", n, with, without)
		}
	}
}

func frameSize(t *testing.T, id uint16, payload []byte) int {
	t.Helper()
	var buf countWriter
	w, err := wire.NewWriter(&buf, id)
	if err != nil {
		t.Fatal(err)
	}
	n, err := w.Write(wire.KindChanges, payload)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

type countWriter struct{ n int }

func (c *countWriter) Write(p []byte) (int, error) { c.n += len(p); return len(p), nil }
