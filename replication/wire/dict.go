package wire

import (
	"embed"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/klauspost/compress/zstd"
)

//go:embed dict
var dictFiles embed.FS

var coders struct {
	once  sync.Once
	err   error
	dicts map[uint16][]byte
	ids   []uint16
	// enc holds a pool of stream encoders per dictionary (0: none), dec
	// a pool of stream decoders that know every dictionary.
	enc map[uint16]*sync.Pool
	dec *sync.Pool
}

// loadCoders reads the embedded dictionaries and makes one encoder per
// dictionary (and one without) and one decoder that knows them all.
func loadCoders() error {
	coders.once.Do(func() { coders.err = buildCoders() })
	return coders.err
}

func buildCoders() error {
	coders.dicts = map[uint16][]byte{}
	entries, err := dictFiles.ReadDir("dict")
	if err != nil {
		return fmt.Errorf("wire: dictionaries: %w", err)
	}
	var all [][]byte
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".zdict") {
			continue
		}
		id, err := strconv.ParseUint(strings.TrimSuffix(e.Name(), ".zdict"), 10, 16)
		if err != nil || id == 0 {
			return fmt.Errorf("wire: dictionary file %q is not named <id>.zdict", e.Name())
		}
		b, err := dictFiles.ReadFile("dict/" + e.Name())
		if err != nil {
			return fmt.Errorf("wire: dictionary %d: %w", id, err)
		}
		coders.dicts[uint16(id)] = b
		coders.ids = append(coders.ids, uint16(id))
		all = append(all, b)
	}
	slices.Sort(coders.ids)
	coders.enc = map[uint16]*sync.Pool{}
	for _, id := range append([]uint16{0}, coders.ids...) {
		opts := []zstd.EOption{zstd.WithEncoderLevel(Level), zstd.WithEncoderConcurrency(1),
			zstd.WithWindowSize(Window), zstd.WithEncoderCRC(false)}
		if id != 0 {
			opts = append(opts, zstd.WithEncoderDict(coders.dicts[id]))
		}
		if _, err := zstd.NewWriter(nil, opts...); err != nil {
			return fmt.Errorf("wire: encoder for dictionary %d: %w", id, err)
		}
		coders.enc[id] = &sync.Pool{New: func() any {
			e, _ := zstd.NewWriter(nil, opts...) // the options were tried above
			return e
		}}
	}
	dopts := []zstd.DOption{zstd.WithDecoderConcurrency(1), zstd.WithDecoderDicts(all...),
		zstd.WithDecoderMaxMemory(MaxPayloadBytes), zstd.WithDecoderMaxWindow(Window)}
	if _, err := zstd.NewReader(nil, dopts...); err != nil {
		return fmt.Errorf("wire: decoder: %w", err)
	}
	coders.dec = &sync.Pool{New: func() any {
		d, _ := zstd.NewReader(nil, dopts...) // the options were tried above
		return d
	}}
	return nil
}

// The stream coders' settings. Window bounds the history a frame may
// refer to, and so the memory a peer's stream holds here.
const (
	Level  = zstd.SpeedBetterCompression
	Window = 1 << 20
)

// Dictionaries returns the ids of every dictionary this build can read
// and write, oldest first.
func Dictionaries() []uint16 {
	if loadCoders() != nil {
		return nil
	}
	return slices.Clone(coders.ids)
}

// Choose returns the newest dictionary both this build and a peer that
// reads theirs know; 0 (no dictionary) when they share none.
func Choose(theirs []uint16) uint16 {
	best := uint16(0)
	for _, id := range Dictionaries() {
		if slices.Contains(theirs, id) {
			best = id
		}
	}
	return best
}

// Known reports whether this build has dictionary id (0 always).
func Known(id uint16) bool {
	if id == 0 {
		return true
	}
	return slices.Contains(Dictionaries(), id)
}

// Dictionary returns the bytes of dictionary id, for tools and tests.
func Dictionary(id uint16) ([]byte, bool) {
	if loadCoders() != nil {
		return nil, false
	}
	b, ok := coders.dicts[id]
	return b, ok
}
