package node

import (
	"testing"
	"time"

	"github.com/lumbung/lumbung/audit"
)

// TestAuditRetention: entries older than the retention are let go when
// the next entries are written; newer ones stay, newest first, and pages
// follow each other without a gap or a repeat.
func TestAuditRetention(t *testing.T) {
	n := openTestNode(t)
	now := n.now().UnixMilli()
	day := (24 * time.Hour).Milliseconds()
	entry := func(at int64, id string) audit.Entry {
		return audit.Entry{At: at, ID: id, Officer: "demo.admin", Action: "login", Status: 200}
	}
	old := []audit.Entry{entry(now-40*day, "0000000000000001"), entry(now-31*day, "0000000000000002")}
	if _, err := exec(t.Context(), n, kindAuditAppend, auditAppend{Entries: old, Keep: 365 * day}); err != nil {
		t.Fatal(err)
	}
	fresh := []audit.Entry{entry(now-2*day, "0000000000000003"), entry(now-day, "0000000000000004"), entry(now, "0000000000000005")}
	if _, err := exec(t.Context(), n, kindAuditAppend, auditAppend{Entries: fresh, Keep: 30 * day}); err != nil {
		t.Fatal(err)
	}
	var ids []string
	f := audit.Filter{Limit: 2}
	for {
		page, err := n.Store().AuditTrail(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page.Entries {
			ids = append(ids, e.ID[15:])
		}
		if page.Next == "" {
			break
		}
		f.Cursor = page.Next
	}
	if got := len(ids); got != 3 || ids[0] != "5" || ids[1] != "4" || ids[2] != "3" {
		t.Fatalf("the trail after a 30-day retention: %v, want 5 4 3", ids)
	}
	if _, err := exec(t.Context(), n, kindAuditAppend, auditAppend{Entries: []audit.Entry{{At: 5, ID: "xx"}}, Keep: day}); err == nil {
		t.Fatal("an entry with no time and a bad id was stored")
	}
}
