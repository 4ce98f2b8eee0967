package node

import (
	"reflect"
	"testing"
	"time"

	"github.com/lumbung/lumbung/replication/trust"
)

// A token is offered its successor from half its life, at once when it
// was issued before tokens expired (and then never expires), and once
// offered on every exchange until used; it is refused from its expiry.
func TestTokenDue(t *testing.T) {
	day := int64(24 * time.Hour / time.Millisecond)
	tok := Token{Issued: 0, Expires: 10 * day}
	for _, tc := range []struct {
		at           int64
		due, expired bool
	}{{0, false, false}, {5*day - 1, false, false}, {5 * day, true, false}, {10*day - 1, true, false}, {10 * day, true, true}} {
		if tok.due(tc.at) != tc.due || tok.expired(tc.at) != tc.expired {
			t.Errorf("at day %.2f: due %v expired %v, want %v %v", float64(tc.at)/float64(day), tok.due(tc.at), tok.expired(tc.at), tc.due, tc.expired)
		}
	}
	old := Token{Issued: 0}
	if !old.due(0) || old.expired(1000*day) {
		t.Error("a token from before expiry: want due at once and never expired")
	}
	offered := Token{Issued: 0, Expires: 10 * day, Successor: "x"}
	if !offered.due(1) {
		t.Error("a token whose successor was offered: want it offered again")
	}
}

// Every member derives the same successor for a token, from the cluster
// secret alone; another cluster, or another token, gets another; the
// successor reads as a sync token.
func TestSuccessorSecret(t *testing.T) {
	key := trust.NewSecret()
	a, b, other := &Node{memberKey: key}, &Node{memberKey: key}, &Node{memberKey: trust.NewSecret()}
	pred := TokenHash("lmb_0123456789ABCDEFGHJKMNPQRS")
	sa, err := a.successorSecret(pred)
	if err != nil {
		t.Fatal(err)
	}
	sb, _ := b.successorSecret(pred)
	so, _ := other.successorSecret(pred)
	s2, _ := a.successorSecret(TokenHash("lmb_ZZZZZZZZZZZZZZZZZZZZZZZZZZ"))
	if sa != sb || sa == so || sa == s2 {
		t.Fatalf("successors: same cluster %q %q, other cluster %q, other token %q", sa, sb, so, s2)
	}
	if _, err := trust.ParseEnrollToken(sa); err != nil {
		t.Fatalf("successor %q: %v", sa, err)
	}
	if _, err := (&Node{}).successorSecret(pred); err == nil {
		t.Fatal("a node without a cluster secret derived a successor")
	}
	sealed, err := a.seal(sa + ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := b.unseal(sealed); err != nil || got != sa+".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE" {
		t.Fatalf("unsealed by another member: %q %v", got, err)
	}
	if _, err := other.unseal(sealed); err == nil {
		t.Fatal("another cluster opened the sealed token")
	}
}

// A rotation never overwrites a token record: a successor whose hash is
// another token's is refused, and both records stay as they were.
func TestRotateNeverOverwrites(t *testing.T) {
	n := openTestNode(t)
	ctx := t.Context()
	a := &Token{ID: "a", Hash: TokenHash("lmb_AAAAAAAAAAAAAAAAAAAAAAAAAA"), Region: "32.14.02.2001", Issued: 1, Origin: "32.14.02.2001/ABCDEF"}
	b := &Token{ID: "b", Hash: TokenHash("lmb_BBBBBBBBBBBBBBBBBBBBBBBBBB"), Region: "32.14.02.2002", Issued: 1}
	for _, tok := range []*Token{a, b} {
		if _, err := exec(ctx, n, kindToken, tokenWrite{Token: tok}); err != nil {
			t.Fatal(err)
		}
	}
	before, _ := n.Store().Tokens()
	next := &Token{ID: "b", Hash: b.Hash, Region: a.Region, Predecessor: a.Hash}
	if _, err := exec(ctx, n, kindTokenRotate, tokenRotate{Pred: a.Hash, Next: next}); err == nil {
		t.Fatal("a successor overwrote another token's record")
	}
	after, _ := n.Store().Tokens()
	if !reflect.DeepEqual(before, after) {
		t.Fatalf("tokens changed: %+v -> %+v", before, after)
	}
}
