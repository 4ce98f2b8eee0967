package localcluster

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/lumbung/lumbung/client"
	"github.com/lumbung/lumbung/internal/staff"
	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/schema/sample"
)

// Driver is a client of a running kabupaten, as its officers are: it
// takes complaints at desa, acts on them at the tiers above, enters and
// approves monografi, all through the nodes' HTTP API (package client),
// and records in its Ledger every write acknowledged. The fault suite and
// the demo drive a kabupaten with it. It is not safe for concurrent use.
type Driver struct {
	// Step names the actions taken next, with the seed; the caller
	// advances it.
	Step   int
	seed   uint64
	ledger *Ledger
	conns  *http.Transport
	hc     map[officer.Role]*http.Client
	gen    *sample.Gen
	rng    *rand.Rand
}

// NewDriver returns a driver whose complaints and choices come from seed.
func NewDriver(seed uint64) *Driver {
	d := &Driver{seed: seed, ledger: NewLedger(), conns: http.DefaultTransport.(*http.Transport).Clone(),
		hc: map[officer.Role]*http.Client{}, gen: sample.New(seed), rng: rand.New(rand.NewPCG(seed, 1))}
	for _, r := range officer.Roles {
		d.hc[r] = &http.Client{Timeout: 5 * time.Second, Transport: staff.Transport(r, d.conns)}
	}
	return d
}

// Ledger is every write the driver had acknowledged.
func (d *Driver) Ledger() *Ledger { return d.ledger }

// Rand is the driver's seeded source, for the caller's own choices.
func (d *Driver) Rand() *rand.Rand { return d.rng }

// Gen makes the driver's complaints.
func (d *Driver) Gen() *sample.Gen { return d.gen }

// Close closes the driver's idle connections.
func (d *Driver) Close() { d.conns.CloseIdleConnections() }

// Client is a client of the node at url, acting as its operator, that
// shares the driver's connections.
func (d *Driver) Client(url string) *client.Client { return d.ClientAs(url, officer.Operator) }

// ClientAs is a client of the node at url acting as its officer of role
// r (its Staff), that shares the driver's connections.
func (d *Driver) ClientAs(url string, r officer.Role) *client.Client {
	c, err := client.New(url, client.Options{HTTP: d.hc[r]})
	if err != nil {
		panic(err) // every URL of a kabupaten on loopback is http://127.0.0.1:port
	}
	return c
}

// Intake posts a complaint for region to the node at url and records it
// when it is acknowledged.
func (d *Driver) Intake(url string, region schema.Code) bool {
	out, err := d.Client(url).CreateComplaint(context.Background(), d.gen.Complaint(region))
	if err != nil {
		return false
	}
	d.ledger.Complaint(out.ID, region)
	return true
}

// Act takes the next plausible action on an acknowledged complaint of the
// kecamatan that m holds, and records it when it is acknowledged. Its note
// names the seed and step, so the check finds this very action.
func (d *Driver) Act(m *Member, kec schema.Code, kind string) bool {
	var ids []string
	for id, r := range d.ledger.Complaints() {
		if kec.Contains(r) {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return false
	}
	slices.Sort(ids)
	id := ids[d.rng.IntN(len(ids))]
	cl := d.ClientAs(m.URL, officer.Verifikator)
	cur, err := cl.Complaint(context.Background(), id)
	if err != nil {
		return false
	}
	a, ok := d.gen.Action(cur.Status)
	if !ok {
		return false
	}
	a.Note = strings.TrimSpace(a.Note + fmt.Sprintf(" [%s %d/%d]", kind, d.seed, d.Step))
	if _, err := cl.Act(context.Background(), id, a); err != nil {
		return false
	}
	d.ledger.Action(id, a.Note)
	return true
}

// Enter has a desa enter its figures for a period (Entry(k)) and submit
// them; the figures are recorded once the entry is acknowledged.
func (d *Driver) Enter(ds *Desa, period string, k int) bool {
	values := Entry(k)
	p, err := monografi.ParsePeriod(period)
	if err != nil {
		return false
	}
	cl := d.Client(ds.URL)
	if _, err := cl.SetMonografi(context.Background(), ds.Code, p, "operator-desa", values); err != nil {
		return false
	}
	d.ledger.Monografi(ds.Code, p, values)
	_, err = cl.SubmitMonografi(context.Background(), ds.Code, p, "kepala-desa")
	return err == nil
}

// Approve has a kecamatan officer approve a desa's figures at member m,
// and reports whether it was acknowledged.
func (d *Driver) Approve(m *Member, desa schema.Code, period string) bool {
	_, err := d.ClientAs(m.URL, officer.Verifikator).Step(context.Background(), desa, monografi.Period(period), node.StepApprove,
		&node.StepInput{Officer: "kasi-pemerintahan"})
	return err == nil
}

// Entry is what a desa officer enters for a semester: sample.Monografi
// without the indicators the catalogue derives or does not hold, with
// every count of people multiplied by k (1 or more), so that different
// desa enter different figures whose sums still agree.
func Entry(k int) map[string]float64 {
	cat := monografi.Builtin()
	out := map[string]float64{}
	for code, x := range sample.Monografi() {
		ind, ok := cat.Lookup(code)
		if !ok || ind.Agg == monografi.AggDerived {
			continue
		}
		if strings.HasPrefix(code, "penduduk.") {
			x *= float64(max(k, 1))
		}
		out[code] = x
	}
	return out
}
