package node

import (
	"cmp"
	"slices"
	"testing"

	"github.com/lumbung/lumbung/schema"
)

// OpenComplaints, merging the open statuses' indexes, gives what reading
// every complaint and sorting would: the open ones, oldest first, cut at
// the limit.
func TestOpenComplaints(t *testing.T) {
	n := openTestNode(t)
	ctx := t.Context()
	var all []string
	for i := range 12 {
		c, err := n.CreateComplaint(ctx, testInput(i))
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, c.ID)
		switch i % 4 {
		case 1:
			_, err = n.ActOnComplaint(ctx, c.ID, &schema.ActionInput{Action: schema.ActVerify, Officer: "v"})
		case 2:
			_, err = n.ActOnComplaint(ctx, c.ID, &schema.ActionInput{Action: schema.ActReject, Reason: "duplicate", Officer: "v"})
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	var want []*schema.Complaint
	for _, id := range all {
		c, err := n.Store().Complaint(id)
		if err != nil {
			t.Fatal(err)
		}
		if c.Status != schema.StatusRejected {
			want = append(want, c)
		}
	}
	slices.SortStableFunc(want, func(a, b *schema.Complaint) int { return cmp.Compare(a.CreatedWall, b.CreatedWall) })
	for _, limit := range []int{100, 5} {
		got, err := n.OpenComplaints(n.Config().Region, limit)
		if err != nil {
			t.Fatal(err)
		}
		w := want[:min(limit, len(want))]
		if len(got) != len(w) {
			t.Fatalf("limit %d: %d complaints, want %d", limit, len(got), len(w))
		}
		for i := range w {
			if got[i].ID != w[i].ID {
				t.Fatalf("limit %d: #%d is %s, want %s", limit, i, got[i].ID, w[i].ID)
			}
		}
	}
}
