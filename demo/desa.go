package demo

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/lumbung/lumbung/localcluster"
	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/schema/sample"
)

// DesaRegion is the desa of the one-node demo: Desa Campaka, Kecamatan
// Campaka, Kabupaten Purwakarta.
const DesaRegion = schema.Code("32.14.02.2001")

// DesaPeriod is the monografi period FillDesa enters.
const DesaPeriod = "2026-S1"

// Clock is the wall clock of a node being filled with the sample month:
// it runs behind real time by an offset FillDesa sets, so that the
// month's complaints spread over past weeks; at offset zero it is real
// time. The node's hybrid logical clock keeps its readings monotonic.
// Give its Now to node.Options.
type Clock struct{ behind atomic.Int64 }

// Now is the real time less the offset.
func (c *Clock) Now() time.Time { return time.Now().Add(-time.Duration(c.behind.Load())) }

func (c *Clock) set(behind time.Duration) { c.behind.Store(int64(behind)) }

// DesaSummary says what FillDesa wrote.
type DesaSummary struct {
	Complaints int
	Actions    int
	Values     int
	// Received is a complaint left untouched, for the example commands.
	Received string
}

// FillDesa fills a fresh desa node opened with clock: the sample region
// list, then the sample month (sample.Month) in time order, then, on real
// time again, the desa's figures of DesaPeriod.
func FillDesa(ctx context.Context, n *node.Node, clock *Clock) (DesaSummary, error) {
	regions, err := node.ParseRegions(strings.NewReader(node.SampleRegions))
	if err != nil {
		return DesaSummary{}, err
	}
	if _, err := n.Store().ImportRegions(regions); err != nil {
		return DesaSummary{}, err
	}
	return fillMonth(ctx, n.Store(), n.Config().Region, clock)
}

func fillMonth(ctx context.Context, st *node.Store, region schema.Code, clock *Clock) (DesaSummary, error) {
	defer clock.set(0)
	var sum DesaSummary
	ids := map[int]string{}
	for _, ev := range sample.Month() {
		clock.set(time.Duration(ev.DaysAgo * float64(24*time.Hour)))
		if ev.Action == nil {
			in := *ev.Complaint
			in.Region = region
			c, err := st.CreateComplaint(ctx, &in)
			if err != nil {
				return sum, fmt.Errorf("sample complaint %q: %w", in.Title, err)
			}
			ids[ev.Index] = c.ID
			sum.Complaints++
			if ev.Untouched && sum.Received == "" {
				sum.Received = c.ID
			}
			continue
		}
		if _, err := st.ActOnComplaint(ctx, ids[ev.Index], ev.Action); err != nil {
			return sum, fmt.Errorf("sample action %s on %s: %w", ev.Action.Action, ids[ev.Index], err)
		}
		sum.Actions++
	}
	clock.set(0)
	values := localcluster.Entry(1)
	p, err := monografi.ParsePeriod(DesaPeriod)
	if err != nil {
		return sum, err
	}
	if _, err := st.SetMonografi(ctx, region, p, "Hendra Gunawan", values); err != nil {
		return sum, fmt.Errorf("sample monografi: %w", err)
	}
	sum.Values = len(values)
	return sum, nil
}
