package monografi

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"
)

// TestEverySkipHasWords reads every skip reason this package declares
// (constants named skip…) and checks each has Indonesian words and keeps
// its English reason as the English text.
func TestEverySkipHasWords(t *testing.T) {
	fset := token.NewFileSet()
	seen := 0
	for _, file := range []string{"fold.go", "approval.go"} {
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			vs, ok := n.(*ast.ValueSpec)
			if !ok || len(vs.Values) != 1 || !strings.HasPrefix(vs.Names[0].Name, "skip") {
				return true
			}
			lit, ok := vs.Values[0].(*ast.BasicLit)
			if !ok {
				return true
			}
			reason, _ := strconv.Unquote(lit.Value)
			seen++
			txt := SkipText(reason)
			if txt.ID == reason || txt.ID == "" || txt.EN != reason {
				t.Errorf("%s (%q) has no Indonesian words: %+v", vs.Names[0].Name, reason, txt)
			}
			return true
		})
	}
	if seen != len(skipWords) {
		t.Errorf("%d skip reasons declared, %d with words", seen, len(skipWords))
	}
}
