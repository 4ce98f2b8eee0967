package monografi

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"
	"github.com/lumbung/lumbung/schema"
)

// TestAggregateScripts runs the golden scripts in testdata/aggregate.
// Every desa is written to by its own origin, every kecamatan and
// kabupaten by theirs, so approval rights are those of a real tree.
// Commands:
//
//	regions                      input: the region list, one code per line
//	set desa=CODE hlc=MS         input: "code=value" pairs
//	submit desa=CODE hlc=MS
//	approve|accept desa=CODE hlc=MS [stale]   (the basis of the figures folded so far)
//	return|unapprove|unaccept desa=CODE hlc=MS   input: the note
//	deliver desa=CODE            the desa's changes so far reach the aggregator
//	show region=CODE [period=P]  the aggregate, checked against one from scratch
//	status desa=CODE             the desa's document status and note
//
// Changes are only seen by the aggregator once delivered, as after a
// sync: a desa that has not synced is not counted.
//
// Regenerate with: go test ./monografi/ -run TestAggregateScripts -rewrite
func TestAggregateScripts(t *testing.T) {
	files, err := filepath.Glob("testdata/aggregate/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts in testdata/aggregate: %v", err)
	}
	for _, path := range files {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txt"), func(t *testing.T) {
			s := &aggScript{log: map[schema.Code][]*schema.Change{}, seq: map[schema.Code]uint64{}}
			datadriven.RunTest(t, path, s.run)
		})
	}
}

type aggScript struct {
	regions   []schema.Code
	agg       *Aggregator
	log       map[schema.Code][]*schema.Change // per desa, written so far
	delivered map[schema.Code]int              // per desa, how many of them the aggregator saw
	seq       map[schema.Code]uint64           // per writing region
}

func (s *aggScript) run(t *testing.T, d *datadriven.TestData) string {
	switch d.Cmd {
	case "regions":
		s.regions = nil
		for _, f := range strings.Fields(d.Input) {
			s.regions = append(s.regions, schema.MustCode(f))
		}
		s.agg = NewAggregator(Builtin(), NewTree(s.regions), testPeriod, nil)
		s.delivered = map[schema.Code]int{}
		return ""
	case "deliver":
		desa := s.desa(t, d)
		s.delivered[desa] = len(s.log[desa])
		s.agg.Update(s.fold(desa, s.delivered[desa]))
		return ""
	case "show":
		return s.show(t, d)
	case "status":
		desa := s.desa(t, d)
		doc := s.fold(desa, len(s.log[desa]))
		out := string(doc.Status)
		if doc.Note != "" {
			out += ": " + doc.Note
		}
		return out + "\n"
	}
	desa := s.desa(t, d)
	writer := desa
	var body any = struct{}{}
	switch d.Cmd {
	case "set":
		b := SetBody{}
		_ = json.Unmarshal(setInput(t, d), &b)
		body = b
	case "submit":
	case "approve", "accept":
		basis := Basis(s.fold(desa, len(s.log[desa])).Values)
		if d.HasArg("stale") {
			basis = "0000000000000000"
		}
		body, writer = ApproveBody{Basis: basis}, Approver(desa)
		if d.Cmd == "accept" {
			writer = Acceptor(desa)
		}
	case "return", "unapprove", "unaccept":
		body, writer = NoteBody{Note: strings.TrimSpace(d.Input)}, Approver(desa)
		if d.Cmd == "unaccept" {
			writer = Acceptor(desa)
		}
	default:
		d.Fatalf(t, "unknown command %q", d.Cmd)
	}
	raw, _ := json.Marshal(body)
	s.seq[writer]++
	s.log[desa] = append(s.log[desa], &schema.Change{
		Origin: schema.Origin{Region: writer, Incarnation: "AAAAAA"}, Seq: s.seq[writer], HLC: scanHLC(t, d),
		Actor: "op", Entity: Entity(desa, testPeriod), Scope: desa, Op: schema.Op("monografi." + d.Cmd), Body: raw,
	})
	return ""
}

func (s *aggScript) desa(t *testing.T, d *datadriven.TestData) schema.Code {
	var c string
	d.ScanArgs(t, "desa", &c)
	return schema.MustCode(c)
}

func (s *aggScript) fold(desa schema.Code, n int) *Document {
	return Fold(desa, testPeriod, s.log[desa][:n])
}

// show prints an aggregate after checking that the incremental one equals
// one computed from scratch over the delivered documents.
func (s *aggScript) show(t *testing.T, d *datadriven.TestData) string {
	var region string
	d.ScanArgs(t, "region", &region)
	got := s.agg.Get(schema.Code(region))
	var docs []*Document
	for desa, n := range s.delivered {
		docs = append(docs, s.fold(desa, n))
	}
	if want := NewAggregator(Builtin(), NewTree(s.regions), testPeriod, slices.Values(docs)).Get(schema.Code(region)); !reflect.DeepEqual(got, want) {
		d.Fatalf(t, "incremental %s\nfrom scratch %s", js(got), js(want))
	}
	var b strings.Builder
	c := got.Completeness
	fmt.Fprintf(&b, "%s %s: %d of %d desa reported, %d accepted\n", got.Region, got.Period, c.Reported, c.Expected, c.Accepted)
	for _, code := range sortedKeys(got.Values) {
		fmt.Fprintf(&b, "  %s = %s (%d desa)\n", code, num(got.Values[code]), got.Reported[code])
	}
	for _, code := range sortedKeys(got.Derived) {
		fmt.Fprintf(&b, "  %s = %s (derived)\n", code, num(got.Derived[code]))
	}
	return b.String()
}
