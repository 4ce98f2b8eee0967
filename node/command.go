package node

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/lumbung/lumbung/schema"
)

// maxCommandBytes bounds a command proposed through raft.
const maxCommandBytes = 4 << 20

// Kind is one kind of write, registered once (register): how its input
// is checked, what runs it against the store, its result and how that
// result travels back from the raft leader. In is the input as the
// command carries it (its JSON fields sit beside "kind" and "v" in the
// command envelope), Out the typed result.
type Kind[In, Out any] struct {
	// Name is the kind as commands carry it ("complaint.create"); never
	// renamed, since raft logs hold it.
	Name string
	// Version is the layout of In this binary writes; it reads every
	// version from 1 to Version and refuses a command of a later one (a
	// newer binary wrote it).
	Version int
	// Needs, if set, is the version an input needs: a command that uses
	// nothing newer is written at the lower version, so a binary before
	// Version still reads it (a cluster upgraded one member at a time).
	// Nil writes every command at Version.
	Needs func(in *In) int
	// Entity is the prefix of the entities its changes write
	// ("complaint/"), which must have a materialiser (registerEntity), or
	// entityNone for a kind that writes none of its own.
	Entity string
	// Check checks the input as the HTTP API would, before the write
	// joins a group. It may set fields Run relies on. It must not read the
	// store: whatever depends on the state is checked in Run.
	Check func(in *In) error
	// Run is the write (see writeFunc for its contract): deterministic
	// from the store's state, the input and the tx's clock.
	Run func(tx *Tx, in *In) (Out, error)
	// Result is the JSON field of the answer its result travels in from
	// the leader, or resultNone when Out is struct{}.
	Result string
	// BeforeGenesis lets it run on a cluster that has no identity yet
	// (only the genesis itself).
	BeforeGenesis bool
}

// The explicit "nothing" of a Kind's Entity and Result, so a kind that
// forgets one is caught by TestRegisteredKindsComplete.
const (
	entityNone = "-"
	resultNone = "-"
)

// command is a registered kind without its types: what the raft state
// machine and the tests see.
type command interface {
	name() string
	version() int
	decode(version int, payload []byte) (decoded, error)
	parts() error
}

// decoded is one command decoded and checked, ready to run: run writes it
// (and keeps its typed result), answer encodes the result or err for the
// member that proposed it.
type decoded interface {
	run(tx *Tx) error
	answer(err error) []byte
	encode() ([]byte, error)
}

// commands is the registry, by Name. It is filled at package init and
// only read afterwards.
var commands = map[string]command{}

// register adds a kind of write to the registry and returns it, for its
// typed entry points (exec, runLocal). It panics on a duplicate name.
func register[In, Out any](k *Kind[In, Out]) *Kind[In, Out] {
	if _, dup := commands[k.Name]; dup {
		panic("node: write kind registered twice: " + k.Name)
	}
	commands[k.Name] = k
	return k
}

func (k *Kind[In, Out]) name() string { return k.Name }

// needs is the version in is written at (Needs, or Version).
func (k *Kind[In, Out]) needs(in *In) int {
	if k.Needs != nil {
		return k.Needs(in)
	}
	return k.Version
}

func (k *Kind[In, Out]) version() int { return k.Version }

// parts reports what a registered kind lacks.
func (k *Kind[In, Out]) parts() error {
	var missing []string
	if k.Name == "" {
		missing = append(missing, "Name")
	}
	if k.Version < 1 {
		missing = append(missing, "Version")
	}
	if k.Check == nil {
		missing = append(missing, "Check")
	}
	if k.Run == nil {
		missing = append(missing, "Run")
	}
	if _, ok := entities[k.Entity]; !ok && k.Entity != entityNone {
		missing = append(missing, "Entity (a registered entity prefix, or entityNone)")
	}
	if k.Result == "" || k.Result == "kind" || k.Result == "error" {
		missing = append(missing, "Result (its answer's field, or resultNone)")
	}
	if k.Result == resultNone && reflect.TypeFor[Out]() != reflect.TypeFor[struct{}]() {
		missing = append(missing, "Result (resultNone needs Out struct{})")
	}
	if t := reflect.TypeFor[In](); t.Kind() != reflect.Struct {
		missing = append(missing, "In (a struct, so its fields sit in the envelope)")
	} else {
		for _, f := range reflect.VisibleFields(t) {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if f.IsExported() && (name == "" || name == "kind" || name == "v") {
				missing = append(missing, "In."+f.Name+" (a json name that is not kind or v)")
			}
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("write kind %q lacks %v", k.Name, missing)
	}
	return nil
}

// header is the envelope of a command: its kind and the version of its
// payload, whose fields sit beside them in the same JSON object.
type header struct {
	Kind    string `json:"kind"`
	Version int    `json:"v"`
}

// encodeCommand writes in as a command of kind k: one JSON object holding
// "kind", "v" and in's own fields. Without "v" it is exactly the write
// format of the versions before the registry, which read it as they always
// did (unknown fields are ignored).
func encodeCommand[In, Out any](k *Kind[In, Out], in *In) ([]byte, error) {
	payload, err := json.Marshal(in)
	if err != nil {
		return nil, fmt.Errorf("node: encode %s command: %w", k.Name, err)
	}
	if len(payload) < 2 || payload[0] != '{' {
		return nil, fmt.Errorf("node: encode %s command: not a JSON object", k.Name)
	}
	b := make([]byte, 0, len(payload)+len(k.Name)+24)
	b = append(b, `{"kind":`...)
	b = strconv.AppendQuote(b, k.Name)
	b = append(b, `,"v":`...)
	b = strconv.AppendInt(b, int64(k.needs(in)), 10)
	if len(payload) > 2 {
		b = append(b, ',')
	}
	return append(b, payload[1:]...), nil
}

// decodeCommand reads a proposed command (any version this binary reads,
// including those written before commands carried "v", which are version
// 1). It comes from another member, so it is checked as strictly as a
// client's request; a command that cannot be read or fails its checks
// becomes one that refuses, the same way on every member.
func decodeCommand(b []byte) decoded {
	var h header
	if len(b) > maxCommandBytes {
		return refused{err: fmt.Errorf("%w: write of %d bytes", schema.ErrInvalid, len(b))}
	}
	if err := json.Unmarshal(b, &h); err != nil {
		return refused{err: fmt.Errorf("%w: %w", schema.ErrInvalid, err)}
	}
	k, ok := commands[h.Kind]
	switch {
	case h.Version < 0:
		return refused{kind: h.Kind, err: fmt.Errorf("%w: %s command of version %d", schema.ErrInvalid, h.Kind, h.Version)}
	case !ok:
		return refused{kind: h.Kind, err: fmt.Errorf("%w: unknown write kind %q", schema.ErrInvalid, h.Kind)}
	}
	c, err := k.decode(max(h.Version, 1), b) // no "v": written before commands carried one
	if err != nil {
		return refused{kind: h.Kind, err: err}
	}
	return c
}

func (k *Kind[In, Out]) decode(version int, payload []byte) (decoded, error) {
	if version > k.Version {
		return nil, fmt.Errorf("%w: %s command of version %d; this version of Lumbung reads 1 to %d",
			schema.ErrInvalid, k.Name, version, k.Version)
	}
	c := &typedCall[In, Out]{k: k, cluster: true}
	if err := json.Unmarshal(payload, &c.in); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", schema.ErrInvalid, k.Name, err)
	}
	if err := k.Check(&c.in); err != nil {
		return nil, err
	}
	return c, nil
}

// typedCall is a checked command of kind k and, once run, its result.
// On a cluster (a command from the raft log) it waits for the genesis.
type typedCall[In, Out any] struct {
	k       *Kind[In, Out]
	in      In
	out     Out
	cluster bool
}

func (c *typedCall[In, Out]) run(tx *Tx) error {
	if c.cluster && !c.k.BeforeGenesis {
		if err := tx.requireGenesis(); err != nil {
			return err
		}
	}
	out, err := c.k.Run(tx, &c.in)
	c.out = out // a write that is run again (its group rebuilt) keeps its last result
	return err
}

func (c *typedCall[In, Out]) answer(err error) []byte {
	return c.k.encodeResult(c.out, err)
}

// encode writes the command again, as this binary proposes it.
func (c *typedCall[In, Out]) encode() ([]byte, error) { return encodeCommand(c.k, &c.in) }

// refused is a command that could not be read or failed its checks.
type refused struct {
	kind string
	err  error
}

func (r refused) run(*Tx) error { return r.err }

func (r refused) answer(error) []byte { return encodeAnswer(r.kind, "", nil, r.err) }

func (r refused) encode() ([]byte, error) { return nil, r.err }

// encodeResult is the answer to a command of kind k: {"kind": k, k.Result:
// out} or {"kind": k, "error": …}.
func (k *Kind[In, Out]) encodeResult(out Out, err error) []byte {
	if err != nil || k.Result == resultNone {
		return encodeAnswer(k.Name, "", nil, err)
	}
	raw, merr := json.Marshal(out)
	if merr != nil {
		return encodeAnswer(k.Name, "", nil, fmt.Errorf("node: encode %s result: %w", k.Name, merr))
	}
	return encodeAnswer(k.Name, k.Result, raw, nil)
}

func encodeAnswer(kind, field string, raw json.RawMessage, err error) []byte {
	m := map[string]any{"kind": kind}
	if err != nil {
		m["error"] = toWire(err)
	} else if field != "" {
		m[field] = raw
	}
	b, _ := json.Marshal(m)
	return b
}

// decodeResult reads the leader's answer to a command of kind k. An
// answer that is not one of k's (another kind, no result, a result that
// does not decode as Out) is ErrBadResult, never a zero value.
func (k *Kind[In, Out]) decodeResult(b []byte) (Out, error) {
	var zero Out
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return zero, fmt.Errorf("%w: %s: %w", ErrBadResult, k.Name, err)
	}
	if raw, ok := m["error"]; ok && string(raw) != "null" {
		var e wireError
		if err := json.Unmarshal(raw, &e); err != nil {
			return zero, fmt.Errorf("%w: %s error: %w", ErrBadResult, k.Name, err)
		}
		return zero, fromWire(&e)
	}
	var kind string
	if err := json.Unmarshal(m["kind"], &kind); err != nil || kind != k.Name {
		return zero, fmt.Errorf("%w: answer of kind %q to a %s command", ErrBadResult, kind, k.Name)
	}
	if k.Result == resultNone {
		return zero, nil
	}
	raw, ok := m[k.Result]
	if !ok || string(raw) == "null" {
		return zero, fmt.Errorf("%w: %s answer without its %q", ErrBadResult, k.Name, k.Result)
	}
	var out Out
	if err := json.Unmarshal(raw, &out); err != nil {
		return zero, fmt.Errorf("%w: %s %s: %w", ErrBadResult, k.Name, k.Result, err)
	}
	return out, nil
}

// writeTimeout bounds how long a write waits for the cluster (a leader
// election, a slow quorum) before the client is told to try again.
const writeTimeout = 15 * time.Second

// exec runs a write of kind k: directly on a desa node, through raft on a
// cluster member (wherever the leader is). Every write of a running node
// comes here.
func exec[In, Out any](ctx context.Context, n *Node, k *Kind[In, Out], in In) (Out, error) {
	if n.cluster == nil {
		return runLocal(ctx, n.store, k, in)
	}
	var zero Out
	cmd, err := encodeCommand(k, &in)
	if err != nil {
		return zero, err
	}
	ctx, cancel := context.WithTimeout(ctx, writeTimeout)
	defer cancel()
	if err := n.gate.admit(ctx, n.cluster, k.Name, k.needs(&in)); err != nil {
		return zero, err
	}
	res, err := n.cluster.Propose(ctx, cmd)
	if err != nil {
		return zero, err
	}
	return k.decodeResult(res.Data)
}

// runLocal checks and runs a write of kind k on s, in a group with one
// fsync. It refuses a cluster member's store, which only raft writes.
func runLocal[In, Out any](ctx context.Context, s *Store, k *Kind[In, Out], in In) (Out, error) {
	var zero Out
	if s.genesis.Load() {
		return zero, ErrClusterStore
	}
	if err := k.Check(&in); err != nil {
		return zero, err
	}
	c := &typedCall[In, Out]{k: k, in: in}
	if _, err := s.do(ctx, func(tx *Tx) (any, error) { return nil, c.run(tx) }); err != nil {
		return zero, err
	}
	return c.out, nil
}
