package node

import (
	"bytes"
	"errors"
	"fmt"
	iofs "io/fs"
	"time"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/stats"
	"github.com/lumbung/lumbung/workday"
)

// HolidaysFile is the holiday list a node reads from its data directory
// (lines "YYYY-MM-DD,name"); without it the node uses the built-in list
// (workday.Default).
const HolidaysFile = "holidays.csv"

// maxHolidaysBytes bounds the holiday list read: a year's list is a few
// kilobytes.
const maxHolidaysBytes = 1 << 20

// loadCalendar reads the node's holiday list from fs.
func loadCalendar(fs vfs.FS, dataDir string) (*workday.Calendar, error) {
	b, err := readFileBounded(fs, fs.PathJoin(dataDir, HolidaysFile), maxHolidaysBytes, workday.ErrHolidayList)
	if errors.Is(err, iofs.ErrNotExist) {
		return workday.New(workday.WIB, workday.Default()), nil
	}
	if errors.Is(err, workday.ErrHolidayList) {
		return nil, fmt.Errorf("node: %w", err)
	}
	if err != nil {
		return nil, fmt.Errorf("node: holiday list: %w", err)
	}
	h, err := workday.ParseHolidays(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("node: %s: %w", HolidaysFile, err)
	}
	return workday.New(workday.WIB, h), nil
}

// complaintsReceived returns the replicated state of the complaints of
// region (and below) received from from up to, not including, to (wall
// milliseconds; 0 leaves a side open), oldest first.
func (s *Store) complaintsReceived(region schema.Code, from, to int64) ([]*schema.Complaint, error) {
	p := []byte(prefixRegion + string(region))
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: p, UpperBound: prefixEnd(p)})
	if err != nil {
		return nil, fmt.Errorf("node: scan complaints of %s: %w", region, err)
	}
	defer it.Close()
	var out []*schema.Complaint
	for it.First(); it.Valid(); it.Next() {
		k := it.Key()
		var c schema.Complaint
		found, err := s.getJSON(stateKey("complaint/"+string(k[bytes.LastIndexByte(k, 0)+1:])), &c)
		if err != nil {
			return nil, err
		}
		if !found || !region.Contains(c.Region) || (from != 0 && c.CreatedWall < from) || (to != 0 && c.CreatedWall >= to) {
			continue
		}
		out = append(out, &c)
	}
	return out, it.Error()
}

// ComplaintStats reports on the complaints of region received from
// from to to (Unix milliseconds; 0 leaves that side open), against the
// LAPOR time limits in working days as of now.
func (n *Node) ComplaintStats(region schema.Code, from, to int64) (*stats.Report, error) {
	cs, err := n.store.complaintsReceived(region, from, to)
	if err != nil {
		return nil, err
	}
	return stats.Complaints(n.cal, stats.LAPOR, n.now(), region, cs), nil
}

// Deadline is a complaint's next time limit under the LAPOR limits in
// working days: the step, its last day (the deadline less an instant),
// and whether it has passed now; ok is false when no limit is open.
func (n *Node) Deadline(c *schema.Complaint) (step string, lastDay time.Time, overdue, ok bool) {
	step, due, ok := stats.Next(n.cal, stats.LAPOR, c)
	if !ok {
		return "", time.Time{}, false, false
	}
	return step, due.Add(-time.Nanosecond), !n.now().Before(due) && c.Status != schema.StatusOnHold, true
}

// OpenComplaints returns the complaints of region still to be worked
// (neither resolved, rejected nor archived), oldest first, at most limit.
// It merges the status indexes of the open statuses by the time their
// keys hold, so it reads limit complaints, not every one: a kecamatan's
// queue with 10,000 complaints costs what one with 100 does.
func (n *Node) OpenComplaints(region schema.Code, limit int) ([]*schema.Complaint, error) {
	type head struct {
		it  *pebble.Iterator
		off int // where the creation time starts in its keys
	}
	var heads []*head
	defer func() {
		for _, h := range heads {
			_ = h.it.Close()
		}
	}()
	for _, st := range schema.Statuses {
		switch st {
		case schema.StatusResolved, schema.StatusRejected, schema.StatusArchived:
			continue
		}
		lower := append([]byte(prefixStatus+string(st)), 0)
		it, err := n.store.db.NewIter(&pebble.IterOptions{LowerBound: lower, UpperBound: prefixEnd(lower)})
		if err != nil {
			return nil, fmt.Errorf("node: open complaints: %w", err)
		}
		if !it.First() {
			if err := it.Close(); err != nil {
				return nil, err
			}
			continue
		}
		heads = append(heads, &head{it: it, off: len(lower)})
	}
	var out []*schema.Complaint
	for len(out) < limit && len(heads) > 0 {
		best := 0
		for i, h := range heads[1:] {
			if bytes.Compare(h.it.Key()[h.off:], heads[best].it.Key()[heads[best].off:]) < 0 {
				best = i + 1
			}
		}
		h := heads[best]
		k := h.it.Key()
		c, err := n.store.Complaint(string(k[bytes.LastIndexByte(k, 0)+1:]))
		if err != nil {
			return nil, err
		}
		if region.Contains(c.Region) {
			out = append(out, c)
		}
		if !h.it.Next() {
			if err := h.it.Error(); err != nil {
				return nil, err
			}
			_ = h.it.Close()
			heads = append(heads[:best], heads[best+1:]...)
		}
	}
	return out, nil
}
