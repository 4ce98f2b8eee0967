package schema_test

import (
	"errors"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/lumbung/lumbung/schema"
)

// TestFoldScripts replays the scenarios in testdata/fold. Commands:
//
//	reset
//	create   origin=R/INC seq=N hlc=W.L actor=A [id=C] [op=O]
//	action   origin=R/INC seq=N hlc=W.L actor=A [id=C] [op=O] action=X [note=(..)] [unit=U] [reason=R]
//	redeliver origin=R/INC seq=N
//	fold
//
// An input block under create or action is the raw body instead; op=O
// gives the change another op (one a newer version made). W is
// milliseconds after baseWall. Every change is delivered in the order
// the script adds it; fold also folds the reversed and shuffled deliveries
// and fails if any gives a different digest. Regenerate with -rewrite and
// review the diff against the status machine in status.go.
func TestFoldScripts(t *testing.T) {
	datadriven.Walk(t, "testdata/fold", func(t *testing.T, path string) {
		var delivered []*schema.Change
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			switch d.Cmd {
			case "reset":
				delivered = nil
				return ""
			case "create", "action":
				c, err := scriptChange(t, d)
				if err != nil {
					return "refused: " + err.Error()
				}
				delivered = append(delivered, c)
				return ""
			case "redeliver":
				return redeliver(t, d, &delivered)
			case "fold":
				checkOrderFree(t, delivered)
				return formatFold(delivered)
			default:
				d.Fatalf(t, "unknown command %q", d.Cmd)
				return ""
			}
		})
	})
}

// scriptChange builds the change a create or action line describes and
// checks its envelope as a peer's would be.
func scriptChange(t *testing.T, d *datadriven.TestData) (*schema.Change, error) {
	t.Helper()
	var origin, hlc, actor string
	var seq uint64
	id := "C1"
	d.ScanArgs(t, "origin", &origin)
	d.ScanArgs(t, "seq", &seq)
	d.ScanArgs(t, "hlc", &hlc)
	d.ScanArgs(t, "actor", &actor)
	d.MaybeScanArgs(t, "id", &id)
	c := &schema.Change{
		Origin: parseOrigin(t, origin), Seq: seq, HLC: scriptHLC(t, hlc), Actor: actor,
		Entity: schema.ComplaintEntity(id), Scope: desaOrigin.Region, Op: schema.OpComplaintCreate,
	}
	if d.Cmd == "action" {
		c.Op = schema.OpComplaintAction
	}
	if d.HasArg("op") {
		var op string
		d.ScanArgs(t, "op", &op)
		c.Op = schema.Op(op)
	}
	switch {
	case d.Input != "":
		c.Body = []byte(d.Input)
	case d.Cmd == "create":
		c.Body = mustJSON(t, createBody(id))
	default:
		var in schema.ActionInput
		d.ScanArgs(t, "action", &in.Action)
		d.MaybeScanArgs(t, "note", &in.Note)
		d.MaybeScanArgs(t, "unit", &in.Unit)
		d.MaybeScanArgs(t, "reason", &in.Reason)
		c.Body = mustJSON(t, in)
	}
	return c, c.Check()
}

// scriptHLC reads "W.L", W in milliseconds after baseWall.
func scriptHLC(t *testing.T, s string) schema.HLC {
	t.Helper()
	var w int64
	var l uint32
	if _, err := fmt.Sscanf(s, "%d.%d", &w, &l); err != nil {
		t.Fatalf("hlc %q: want wall.logical: %v", s, err)
	}
	return schema.HLC{Wall: baseWall + w, Logical: l}
}

// redeliver appends a copy of a change already delivered.
func redeliver(t *testing.T, d *datadriven.TestData, delivered *[]*schema.Change) string {
	t.Helper()
	var origin string
	var seq uint64
	d.ScanArgs(t, "origin", &origin)
	d.ScanArgs(t, "seq", &seq)
	id := schema.ChangeID{Origin: parseOrigin(t, origin), Seq: seq}
	for _, c := range *delivered {
		if c.ID() == id {
			dup := *c
			*delivered = append(*delivered, &dup)
			return ""
		}
	}
	d.Fatalf(t, "no change %s#%d was delivered", origin, seq)
	return ""
}

// checkOrderFree folds the reversed and a few shuffled deliveries and
// fails unless each gives the same digest as the script's order.
func checkOrderFree(t *testing.T, delivered []*schema.Change) {
	t.Helper()
	reversed := make([]*schema.Change, len(delivered))
	for i, c := range delivered {
		reversed[len(delivered)-1-i] = c
	}
	orders := [][]*schema.Change{reversed}
	rng := rand.New(rand.NewSource(int64(len(delivered))))
	for range 5 {
		orders = append(orders, shuffled(rng, delivered))
	}
	want := foldDigest(delivered)
	for i, o := range orders {
		if got := foldDigest(o); got != want {
			t.Errorf("delivery order %d folds to %s, want %s:\n%s", i, got, want, formatFold(o))
		}
	}
}

// foldDigest is the digest of the fold's result, or its error.
func foldDigest(changes []*schema.Change) string {
	c, err := schema.FoldComplaint(changes)
	if err != nil {
		return err.Error()
	}
	return fmt.Sprintf("%x", schema.Digest(c))
}

// formatFold folds the changes and prints the complaint compactly: status,
// times, then one line per history entry.
func formatFold(changes []*schema.Change) string {
	c, err := schema.FoldComplaint(changes)
	if errors.Is(err, schema.ErrNoCreate) {
		return fmt.Sprintf("no complaint yet, %d change(s) held: %v", len(schema.SortChanges(changes)), err)
	} else if err != nil {
		return "error: " + err.Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s (created %s, updated %s)\n", c.ID, c.Status, clock(c.CreatedAt), clock(c.UpdatedAt))
	for _, a := range c.Actions {
		fmt.Fprintf(&b, "  %s %s#%d %s: %s %s -> %s", clock(a.At), a.Origin, a.Seq, a.Actor,
			orDash(string(a.Action)), orDash(string(a.From)), orDash(string(a.To)))
		for _, kv := range [][2]string{{"note", a.Note}, {"unit", a.Unit}, {"reason", a.Reason}} {
			if kv[1] != "" {
				fmt.Fprintf(&b, " %s=%q", kv[0], kv[1])
			}
		}
		b.WriteString("\n")
		if a.Superseded != "" {
			fmt.Fprintf(&b, "    superseded: %s\n", a.Superseded)
		}
		if a.NotUnderstood {
			fmt.Fprintf(&b, "    not understood by this version: %s\n", a.Op)
		}
	}
	return b.String()
}

// orDash shows an empty field as "-".
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// clock keeps the time of day of an RFC 3339 timestamp.
func clock(at string) string {
	if _, tod, ok := strings.Cut(at, "T"); ok {
		return strings.TrimSuffix(tod, "Z")
	}
	return at
}
