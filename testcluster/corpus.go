package testcluster

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/lumbung/lumbung/localcluster"
	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/schema/sample"
)

// CorpusConfig describes a set of realistic changes.
type CorpusConfig struct {
	// Seed makes the same corpus every time.
	Seed uint64
	// Desa is how many desa take complaints, under kecamatan 32.14.02.
	Desa int
	// Complaints is how many complaints each desa takes.
	Complaints int
	// Actions makes the kecamatan act on the complaints (verify, forward,
	// respond), and each desa enter and submit a semester's monografi.
	Actions bool
	// Logger receives the stores' log (a test gives Logger(t); default:
	// discarded).
	Logger *slog.Logger
}

// Corpus writes the corpus into real stores under dir and returns every
// change in the order the stores logged them: each desa's own, then the
// kecamatan's actions. It is what the sync dictionary is trained on and
// what the sync benchmark sends.
func Corpus(dir string, cfg CorpusConfig) ([]*schema.Change, error) {
	ctx := context.Background()
	gen := sample.New(cfg.Seed)
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	kec, err := openCorpusStore(filepath.Join(dir, "kecamatan"), "32.14.02", cfg.Logger)
	if err != nil {
		return nil, err
	}
	defer kec.Close()
	var out []*schema.Change
	for d := 0; d < cfg.Desa; d++ {
		region := schema.Code(fmt.Sprintf("32.14.02.%04d", 2001+d))
		changes, err := corpusDesa(ctx, filepath.Join(dir, string(region)), region, gen, cfg)
		if err != nil {
			return nil, err
		}
		out = append(out, changes...)
		if _, err := kec.ApplyChanges(ctx, changes); err != nil {
			return nil, err
		}
	}
	if !cfg.Actions {
		return out, nil
	}
	acted, err := corpusActions(ctx, kec, gen, out)
	return append(out, acted...), err
}

func openCorpusStore(dir string, region schema.Code, log *slog.Logger) (*node.Store, error) {
	sc := node.DefaultStoreConfig(dir, region)
	sc.Logger = log
	sc.NoSync = true
	return node.OpenStore(sc)
}

func corpusDesa(ctx context.Context, dir string, region schema.Code, gen *sample.Gen, cfg CorpusConfig) ([]*schema.Change, error) {
	st, err := openCorpusStore(dir, region, cfg.Logger)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	for i := 0; i < cfg.Complaints; i++ {
		if _, err := st.CreateComplaint(ctx, gen.Complaint(region)); err != nil {
			return nil, fmt.Errorf("corpus: complaint: %w", err)
		}
	}
	if cfg.Actions {
		p, _ := monografi.ParsePeriod("2026-S1")
		values := localcluster.Entry(1)
		if _, err := st.SetMonografi(ctx, region, p, "operator-desa", values); err != nil {
			return nil, fmt.Errorf("corpus: monografi: %w", err)
		}
		if _, err := st.SubmitMonografi(ctx, region, p, "kepala-desa"); err != nil {
			return nil, fmt.Errorf("corpus: submit: %w", err)
		}
	}
	changes, _, err := st.LogRange(0, 1<<30)
	return changes, err
}

// corpusActions has the kecamatan act on every complaint one to three
// times, and returns its changes.
func corpusActions(ctx context.Context, kec *node.Store, gen *sample.Gen, changes []*schema.Change) ([]*schema.Change, error) {
	from := kec.DurablePos()
	for i, c := range changes {
		if c.Op != schema.OpComplaintCreate {
			continue
		}
		id := c.Entity[len("complaint/"):]
		status := schema.Status("received")
		for step := 0; step <= i%3; step++ {
			act, ok := gen.Action(status)
			if !ok {
				break
			}
			got, err := kec.ActOnComplaint(ctx, id, act)
			if err != nil {
				return nil, fmt.Errorf("corpus: act on %s: %w", id, err)
			}
			status = got.Status
		}
	}
	out, _, err := kec.LogRange(from, 1<<30)
	return out, err
}
