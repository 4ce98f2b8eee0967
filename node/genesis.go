package node

import (
	"fmt"

	"github.com/lumbung/lumbung/schema"
)

// genesisInput is a cluster.genesis command: the incarnation the
// cluster's first leader chose.
type genesisInput struct {
	Incarnation string `json:"incarnation,omitempty"`
}

// kindGenesis gives a cluster its identity, once: the first genesis
// applied wins on every member, a later one changes nothing.
var kindGenesis = register(&Kind[genesisInput, struct{}]{
	Name: "cluster.genesis", Version: 1, Entity: entityNone, Result: resultNone, BeforeGenesis: true,
	Check: func(in *genesisInput) error {
		if len(in.Incarnation) != 6 {
			return fmt.Errorf("%w: genesis incarnation %q", schema.ErrInvalid, in.Incarnation)
		}
		return nil
	},
	Run: func(tx *Tx, in *genesisInput) (struct{}, error) {
		if _, done, err := tx.Get(keyGenesis); err != nil || done {
			return struct{}{}, err
		}
		tx.Set(keyGenesis, []byte(in.Incarnation))
		tx.Set(keyIncarnation, []byte(in.Incarnation))
		o := schema.Origin{Region: tx.s.cfg.Region, Incarnation: in.Incarnation}
		tx.s.origin.Store(&o)
		tx.s.genesis.Store(true)
		return struct{}{}, tx.err
	},
})

// requireGenesis refuses a write on a cluster that has no identity yet.
func (tx *Tx) requireGenesis() error {
	if tx.s.genesis.Load() {
		return nil // the flag mirrors keyGenesis, which is never removed once written
	}
	if _, done, err := tx.Get(keyGenesis); err != nil || !done {
		if err == nil {
			err = ErrNotReady
		}
		return err
	}
	return nil
}

// hasGenesis reports whether the store has a cluster identity.
func (s *Store) hasGenesis() (bool, error) {
	_, ok, err := s.get(keyGenesis)
	return ok, err
}
