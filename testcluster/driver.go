package testcluster

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/schema/sample"
)

// driver is a client of a running kabupaten, as its officers are: it
// takes complaints at desa, acts on them at the tiers above, enters and
// approves monografi, all through the nodes' HTTP API, and records in its
// ledger every write acknowledged. The fault suite and the demo drive a
// kabupaten with it. It is not safe for concurrent use.
type driver struct {
	seed   uint64
	step   int // names the actions taken, with the seed
	ledger *Ledger
	client *http.Client
	gen    *sample.Gen
	rng    *rand.Rand
}

func newDriver(seed uint64) *driver {
	return &driver{seed: seed, ledger: NewLedger(), client: &http.Client{Timeout: 5 * time.Second},
		gen: sample.New(seed), rng: rand.New(rand.NewPCG(seed, 1))}
}

// intake posts a complaint for region to url and records it when it is
// acknowledged.
func (c *driver) intake(url string, region schema.Code) bool {
	var out schema.Complaint
	if c.post(url+"/api/v1/complaints", c.gen.Complaint(region), &out) != http.StatusCreated {
		return false
	}
	c.ledger.Complaint(out.ID, region)
	return true
}

// act takes the next plausible action on an acknowledged complaint of the
// kecamatan that m holds, and records it when it is acknowledged. Its note
// names the seed and step, so the check finds this very action.
func (c *driver) act(m *Member, kec schema.Code, kind string) bool {
	var ids []string
	for id, r := range c.ledger.Complaints() {
		if kec.Contains(r) {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return false
	}
	slices.Sort(ids)
	id := ids[c.rng.IntN(len(ids))]
	var cur schema.Complaint
	if c.get(m.URL+"/api/v1/complaints/"+id, &cur) != http.StatusOK {
		return false
	}
	a, ok := c.gen.Action(cur.Status)
	if !ok {
		return false
	}
	a.Note = strings.TrimSpace(a.Note + fmt.Sprintf(" [%s %d/%d]", kind, c.seed, c.step))
	if code := c.post(m.URL+"/api/v1/complaints/"+id+"/actions", a, nil); code < 200 || code >= 300 {
		return false
	}
	c.ledger.Action(id, a.Note)
	return true
}

// enter has a desa enter its figures for a period (sample.Entry(k)) and
// submit them; the figures are recorded once the entry is acknowledged.
func (c *driver) enter(d *Desa, period string, k int) bool {
	values := entry(k)
	url := d.URL + "/api/v1/monografi/" + string(d.Code) + "/" + period
	body, _ := json.Marshal(map[string]any{"values": values, "officer": "operator-desa"})
	req, _ := http.NewRequest(http.MethodPut, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.client.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return false
	}
	p, _ := monografi.ParsePeriod(period)
	c.ledger.Monografi(d.Code, p, values)
	return c.post(url+"/submit", map[string]string{"officer": "kepala-desa"}, nil) == http.StatusOK
}

// approve has a kecamatan officer approve a desa's figures at member m,
// and reports whether it was acknowledged.
func (c *driver) approve(m *Member, desa schema.Code, period string) bool {
	return c.post(m.URL+"/api/v1/monografi/"+string(desa)+"/"+period+"/approve",
		map[string]string{"officer": "kasi-pemerintahan"}, nil) == http.StatusOK
}

func (c *driver) post(url string, in, out any) int {
	body, _ := json.Marshal(in)
	resp, err := c.client.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	if out != nil && resp.StatusCode < 300 {
		if json.NewDecoder(resp.Body).Decode(out) != nil {
			return 0
		}
	}
	return resp.StatusCode
}

func (c *driver) get(url string, out any) int {
	resp, err := c.client.Get(url)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK && json.NewDecoder(resp.Body).Decode(out) != nil {
		return 0
	}
	return resp.StatusCode
}

// entry is what a desa officer enters for a semester: sample.Monografi
// without the indicators the catalogue derives or does not hold, with
// every count of people multiplied by k (1 or more), so that different
// desa enter different figures whose sums still agree.
func entry(k int) map[string]float64 {
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
