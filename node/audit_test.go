package node

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lumbung/lumbung/audit"
	"github.com/lumbung/lumbung/schema"
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

// TestAuditScanBounded: a filter that matches little reads at most
// maxAuditScan entries a page; following Next finds every match, each
// once; a cursor that is not one is refused as bad input.
func TestAuditScanBounded(t *testing.T) {
	n := openTestNode(t)
	old := maxAuditScan
	maxAuditScan = 4
	t.Cleanup(func() { maxAuditScan = old })
	now := n.now().UnixMilli()
	var es []audit.Entry
	for i := range 10 {
		who := "demo.operator"
		if i%3 == 0 {
			who = "demo.admin"
		}
		es = append(es, audit.Entry{At: now - int64(10-i), ID: fmt.Sprintf("%016x", i), Officer: who, Action: "login", Status: 200})
	}
	if _, err := exec(t.Context(), n, kindAuditAppend, auditAppend{Entries: es}); err != nil {
		t.Fatal(err)
	}
	var got []string
	f := audit.Filter{Officer: "demo.admin"}
	for pages := 0; ; pages++ {
		page, err := n.Store().AuditTrail(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page.Entries {
			got = append(got, e.ID[15:])
		}
		if page.Next == "" || pages > 10 {
			break
		}
		f.Cursor = page.Next
	}
	if strings.Join(got, ",") != "9,6,3,0" {
		t.Fatalf("the admin's entries over bounded pages: %v, want 9,6,3,0", got)
	}
	if _, err := n.Store().AuditTrail(audit.Filter{Cursor: "zz"}); !errors.Is(err, schema.ErrInvalid) {
		t.Fatalf("a bad cursor: %v, want schema.ErrInvalid", err)
	}
}
