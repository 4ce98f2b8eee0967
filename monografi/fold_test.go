package monografi

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"
	"github.com/lumbung/lumbung/schema"
)

// The document every script works on.
var (
	testRegion = schema.MustCode("32.14.02.2001")
	testPeriod = Period("2026-S1")
)

// baseWall is 2026-01-01T00:00:00Z; scripts give clocks in milliseconds
// after it.
const baseWall = 1767225600000

// TestFoldScripts runs the golden scripts in testdata/*.txt. Commands:
//
//	set origin=<inc>|<region>/<inc> seq=N hlc=MS[.LOGICAL] [actor=NAME] [raw] [entity=E]
//	    input: "code=value" pairs (spaces or lines), or with raw the body itself
//	submit origin=... seq=N hlc=... [actor=NAME] [raw]
//	    input (with raw): the body; without, "{}"
//	op name=OP origin=... seq=N hlc=...   input: the body of a change with any op
//	approve|accept origin=... seq=N hlc=... [basis=B]
//	    the basis defaults to that of the values folded so far
//	return|unapprove|unaccept origin=... seq=N hlc=...   input: the note
//	redeliver origin=... seq=N             delivers the same change again
//	reverse                                reverses the delivery order
//	show                                   the folded document, derived values, digest
//	check-submit                           CheckSubmit on the folded document
//	reset                                  forgets every change
//
// Regenerate with: go test ./monografi/ -run TestFoldScripts -rewrite
func TestFoldScripts(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts in testdata: %v", err)
	}
	for _, path := range files {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txt"), func(t *testing.T) {
			s := &script{}
			datadriven.RunTest(t, path, s.run)
		})
	}
}

// script is the log of changes a node has received for the document.
type script struct {
	log []*schema.Change
}

func (s *script) run(t *testing.T, d *datadriven.TestData) string {
	switch d.Cmd {
	case "set":
		s.log = append(s.log, makeChange(t, d, schema.OpMonografiSet, setInput(t, d)))
	case "submit":
		s.log = append(s.log, makeChange(t, d, schema.OpMonografiSubmit, rawInput(d, "{}")))
	case "op":
		var name string
		d.ScanArgs(t, "name", &name)
		s.log = append(s.log, makeChange(t, d, schema.Op(name), rawInput(d, "{}")))
	case "approve", "accept":
		basis := Basis(Fold(testRegion, testPeriod, s.log).Values)
		d.MaybeScanArgs(t, "basis", &basis)
		body, _ := json.Marshal(ApproveBody{Basis: basis})
		s.log = append(s.log, makeChange(t, d, schema.Op("monografi."+d.Cmd), body))
	case "return", "unapprove", "unaccept":
		body, _ := json.Marshal(NoteBody{Note: strings.TrimSpace(d.Input)})
		s.log = append(s.log, makeChange(t, d, schema.Op("monografi."+d.Cmd), body))
	case "redeliver":
		s.log = append(s.log, s.find(t, d))
	case "reverse":
		for i, j := 0, len(s.log)-1; i < j; i, j = i+1, j-1 {
			s.log[i], s.log[j] = s.log[j], s.log[i]
		}
	case "show":
		return render(Fold(testRegion, testPeriod, s.log))
	case "check-submit":
		return renderErr(CheckSubmit(Builtin(), Fold(testRegion, testPeriod, s.log)))
	case "reset":
		s.log = nil
	default:
		d.Fatalf(t, "unknown command %q", d.Cmd)
	}
	return ""
}

func (s *script) find(t *testing.T, d *datadriven.TestData) *schema.Change {
	origin, seq := scanOrigin(t, d), scanSeq(t, d)
	for _, c := range s.log {
		if c.Origin == origin && c.Seq == seq {
			return c
		}
	}
	d.Fatalf(t, "no change %s#%d", origin, seq)
	return nil
}

func makeChange(t *testing.T, d *datadriven.TestData, op schema.Op, body []byte) *schema.Change {
	c := &schema.Change{
		Origin: scanOrigin(t, d), Seq: scanSeq(t, d), HLC: scanHLC(t, d), Actor: "operator",
		Entity: Entity(testRegion, testPeriod), Scope: testRegion, Op: op, Body: body,
	}
	d.MaybeScanArgs(t, "actor", &c.Actor)
	d.MaybeScanArgs(t, "entity", &c.Entity)
	return c
}

func scanOrigin(t *testing.T, d *datadriven.TestData) schema.Origin {
	var s string
	d.ScanArgs(t, "origin", &s)
	region, inc, ok := strings.Cut(s, "/")
	if !ok {
		region, inc = string(testRegion), s
	}
	return schema.Origin{Region: schema.Code(region), Incarnation: inc}
}

func scanSeq(t *testing.T, d *datadriven.TestData) uint64 {
	var seq uint64
	d.ScanArgs(t, "seq", &seq)
	return seq
}

func scanHLC(t *testing.T, d *datadriven.TestData) schema.HLC {
	var s string
	d.ScanArgs(t, "hlc", &s)
	wall, logical, _ := strings.Cut(s, ".")
	w, err := strconv.ParseInt(wall, 10, 64)
	l, err2 := strconv.ParseUint("0"+logical, 10, 32)
	if err != nil || err2 != nil {
		d.Fatalf(t, "bad hlc %q", s)
	}
	return schema.HLC{Wall: baseWall + w, Logical: uint32(l)}
}

// setInput turns "code=value" pairs into a SetBody, or returns the input
// verbatim with raw.
func setInput(t *testing.T, d *datadriven.TestData) []byte {
	if d.HasArg("raw") {
		return []byte(d.Input)
	}
	b := SetBody{Values: map[string]float64{}}
	for _, pair := range strings.Fields(d.Input) {
		code, val, _ := strings.Cut(pair, "=")
		x, err := strconv.ParseFloat(val, 64)
		if err != nil {
			d.Fatalf(t, "bad value in %q", pair)
		}
		b.Values[code] = x
	}
	out, _ := json.Marshal(b)
	return out
}

func rawInput(d *datadriven.TestData, def string) []byte {
	if d.HasArg("raw") || d.Input != "" {
		return []byte(d.Input)
	}
	return []byte(def)
}

func render(doc *Document) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %s, updated %q\n", doc.Region, doc.Period, doc.Status, doc.UpdatedAt)
	if doc.Note != "" {
		fmt.Fprintf(&b, "note: %s\n", doc.Note)
	}
	if doc.ApprovedBy != "" {
		fmt.Fprintf(&b, "approved by %s at %s\n", doc.ApprovedBy, doc.ApprovedAt)
	}
	if doc.AcceptedBy != "" {
		fmt.Fprintf(&b, "accepted by %s at %s\n", doc.AcceptedBy, doc.AcceptedAt)
	}
	b.WriteString("values:\n")
	writeValues(&b, "  ", doc.Values, nil)
	b.WriteString("history:\n")
	for i, e := range doc.History {
		fmt.Fprintf(&b, "  %d. %s by %s at %s from %s#%d -> %s\n", i+1, e.Op, e.Actor, e.At, e.Origin, e.Seq, e.Status)
		if e.Note != "" {
			fmt.Fprintf(&b, "       note: %s\n", e.Note)
		}
		if e.Skipped != "" {
			fmt.Fprintf(&b, "       skipped: %s\n", e.Skipped)
		}
		writeValues(&b, "       ", e.Values, e.Superseded)
	}
	if der := Derived(Builtin(), doc.Values); len(der) > 0 {
		b.WriteString("derived:\n")
		writeValues(&b, "  ", der, nil)
	}
	sum := schema.Digest(doc)
	fmt.Fprintf(&b, "digest: %s\n", hex.EncodeToString(sum[:6]))
	return b.String()
}

func writeValues(b *strings.Builder, indent string, vals, was map[string]float64) {
	for _, code := range sortedKeys(vals) {
		fmt.Fprintf(b, "%s%s = %s", indent, code, num(vals[code]))
		if old, ok := was[code]; ok {
			fmt.Fprintf(b, " (was %s)", num(old))
		}
		b.WriteString("\n")
	}
}

func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

func renderErr(err error) string {
	if err == nil {
		return "ok"
	}
	v, ok := err.(*schema.ValidationError)
	if !ok {
		return "error: " + err.Error()
	}
	var b strings.Builder
	fields := make([]string, 0, len(v.Fields))
	for f := range v.Fields {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, f := range fields {
		fmt.Fprintf(&b, "%s:\n  id: %s\n  en: %s\n", f, v.Fields[f].ID, v.Fields[f].EN)
	}
	return b.String()
}

// sortedKeys returns the keys of m in order.
func sortedKeys(m map[string]float64) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestUnderstood(t *testing.T) {
	for _, tc := range []struct {
		op   schema.Op
		body string
		want bool
	}{
		{schema.OpMonografiSet, `{"values":{"penduduk.jumlah":5}}`, true},
		{schema.OpMonografiSet, `{"values":{"penduduk.jumlah":5},"source":"bps"}`, false},
		{schema.OpMonografiSet, `"not a body"`, true}, // malformed: folded as skipped
		{schema.OpMonografiApprove, `{"basis":"x","signature":"y"}`, false},
		{schema.OpMonografiReturn, `{"note":"cek lagi"}`, true},
		{"monografi.verify", `{}`, false},
		{schema.OpComplaintAction, `{}`, true}, // another package's op
	} {
		c := &schema.Change{Op: tc.op, Body: []byte(tc.body)}
		if got := Understood(c); got != tc.want {
			t.Errorf("%s %s: Understood = %v, want %v", tc.op, tc.body, got, tc.want)
		}
	}
}
