package catalogue_test

import (
	"testing"

	"github.com/lumbung/lumbung/catalogue"
	"github.com/lumbung/lumbung/schema"
)

func TestUnderstood(t *testing.T) {
	for _, tc := range []struct {
		op   schema.Op
		body string
		want bool
	}{
		{schema.OpRegionsSet, `{"regions":[{"code":"32.14.02","name":"Campaka"}]}`, true},
		{schema.OpRegionsSet, `{"regions":[],"source":"kemendagri"}`, false},
		{schema.OpCatalogueSet, `{"categories":[]}`, true},
		{schema.OpCatalogueSet, `{"categories":[],"icons":[]}`, false},
		{"catalogue.retire", `{}`, false},
		{schema.OpMonografiSet, `{}`, true}, // another package's op
	} {
		c := &schema.Change{Op: tc.op, Body: []byte(tc.body)}
		if got := catalogue.Understood(c); got != tc.want {
			t.Errorf("%s %s: Understood = %v, want %v", tc.op, tc.body, got, tc.want)
		}
	}
}
