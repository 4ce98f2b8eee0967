package lint

import (
	"fmt"
	"go/ast"
	"go/build/constraint"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"
)

// The rule names, as they appear in failure messages and in doc.go.
const (
	rulePackageComment = "package-comment"
	ruleErrorfWrap     = "errorf-wrap"
	ruleExportedDoc    = "exported-doc"
)

func TestPackageComment(t *testing.T) {
	fset, pkgs := repository(t)
	for _, p := range pkgs {
		report(t, checkPackageComment(fset, p))
	}
}

func TestErrorfWrap(t *testing.T) {
	fset, pkgs := repository(t)
	for _, p := range pkgs {
		for _, f := range p.files {
			if !f.generated {
				report(t, checkErrorfWrap(fset, f.ast))
			}
		}
	}
}

func TestExportedDoc(t *testing.T) {
	fset, pkgs := repository(t)
	for _, p := range pkgs {
		for _, f := range p.files {
			if !f.test && !f.generated {
				report(t, checkExportedDoc(fset, f.ast))
			}
		}
	}
}

// TestRulesCatch runs the checks on a fixture whose lines that must be
// flagged end in "// want RULE", so a rule that silently stops matching
// (or starts matching too much) fails here rather than passing everywhere.
func TestRulesCatch(t *testing.T) {
	const src = `package p // want package-comment

import "fmt"

func Undocumented() {} // want exported-doc

// Documented has a doc comment.
func Documented(err, closeErr error, msg string, errX error) error {
	_ = fmt.Errorf("a: %v", err) // want errorf-wrap
	_ = fmt.Errorf("a: %s", closeErr) // want errorf-wrap
	_ = fmt.Errorf("a: %w", err)
	_ = fmt.Errorf("%w: %w", errX, err)
	_ = fmt.Errorf("decoder said: %v", msg)
	_ = fmt.Errorf("a: %s", err.Error())
	_ = fmt.Errorf("type %T", err)
	_ = fmt.Errorf("%[2]v %[1]d", 1, err) // want errorf-wrap
	_ = fmt.Errorf("%[2]d %[1]w", err, 1)
	_ = fmt.Errorf("%*d %v", 3, 4, err) // want errorf-wrap
	_ = fmt.Errorf("100%% %-8.3v", err) // want errorf-wrap
	_ = fmt.Errorf("a: " + "%v", err) // want errorf-wrap
	return nil
}

func (Bare) Method() {}

func unexported() {}

type Bare struct{} // want exported-doc

// Single is documented.
type Single int

// Group documents its members.
type (
	InGroup int
)

type (
	// Grouped is documented by its own comment.
	Grouped int
	Naked   int // want exported-doc
	hidden  int
)
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "fixture.go", src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	var got []finding
	got = append(got, checkPackageComment(fset, pkg{dir: ".", files: []*file{{path: "fixture.go", ast: f}}})...)
	got = append(got, checkErrorfWrap(fset, f)...)
	got = append(got, checkExportedDoc(fset, f)...)

	var gotLines, wantLines []string
	for _, g := range got {
		gotLines = append(gotLines, fmt.Sprintf("%d %s", g.pos.Line, g.rule))
	}
	for i, line := range strings.Split(src, "\n") {
		if _, rule, ok := strings.Cut(line, "// want "); ok {
			wantLines = append(wantLines, fmt.Sprintf("%d %s", i+1, strings.TrimSpace(rule)))
		}
	}
	sort.Strings(gotLines)
	sort.Strings(wantLines)
	if strings.Join(gotLines, "\n") != strings.Join(wantLines, "\n") {
		t.Errorf("findings on the fixture:\n%s\nwant:\n%s", strings.Join(gotLines, "\n"), strings.Join(wantLines, "\n"))
	}
}

// A finding is one broken rule at one place.
type finding struct {
	pos  token.Position
	rule string
	msg  string
}

func (f finding) String() string {
	return fmt.Sprintf("%s:%d: %s: %s", f.pos.Filename, f.pos.Line, f.rule, f.msg)
}

func report(t *testing.T, fs []finding) {
	t.Helper()
	for _, f := range fs {
		t.Error(f)
	}
}

// A pkg is the parsed Go files of one directory.
type pkg struct {
	dir   string // relative to the module root
	files []*file
}

type file struct {
	path      string // relative to the module root
	ast       *ast.File
	test      bool
	generated bool
}

// repository parses every package under the module root once per test
// binary.
var repository = func() func(t *testing.T) (*token.FileSet, []pkg) {
	var (
		once sync.Once
		fset = token.NewFileSet()
		pkgs []pkg
		err  error
	)
	return func(t *testing.T) (*token.FileSet, []pkg) {
		t.Helper()
		once.Do(func() { pkgs, err = loadRepository(fset) })
		if err != nil {
			t.Fatal(err)
		}
		if len(pkgs) == 0 {
			t.Fatal("no Go packages found under the module root")
		}
		return fset, pkgs
	}
}()

func loadRepository(fset *token.FileSet) ([]pkg, error) {
	root, err := moduleRoot()
	if err != nil {
		return nil, err
	}
	var pkgs []pkg
	err = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if path != root && skipDir(path, d.Name()) {
			return filepath.SkipDir
		}
		p, err := loadDir(fset, root, path)
		if err != nil {
			return err
		}
		if len(p.files) > 0 {
			pkgs = append(pkgs, p)
		}
		return nil
	})
	return pkgs, err
}

func skipDir(path, name string) bool {
	switch {
	case name == "testdata", name == "bin", name == "vendor":
		return true
	case strings.HasPrefix(name, "."), strings.HasPrefix(name, "_"):
		return true
	}
	_, err := os.Stat(filepath.Join(path, "go.mod")) // a nested module
	return err == nil
}

func loadDir(fset *token.FileSet, root, dir string) (pkg, error) {
	rel, _ := filepath.Rel(root, dir)
	p := pkg{dir: filepath.ToSlash(rel)}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return p, err
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
			continue
		}
		relPath := filepath.ToSlash(filepath.Join(rel, name))
		src, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return p, err
		}
		f, err := parser.ParseFile(fset, relPath, src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return p, err
		}
		if ignored(f) {
			continue
		}
		p.files = append(p.files, &file{
			path:      relPath,
			ast:       f,
			test:      strings.HasSuffix(name, "_test.go"),
			generated: ast.IsGenerated(f),
		})
	}
	return p, nil
}

// ignored reports whether the file is excluded from every build by
// "//go:build ignore".
func ignored(f *ast.File) bool {
	for _, cg := range f.Comments {
		if cg.Pos() > f.Package {
			break
		}
		for _, c := range cg.List {
			if !constraint.IsGoBuild(c.Text) {
				continue
			}
			expr, err := constraint.Parse(c.Text)
			if err != nil {
				continue
			}
			if tag, ok := expr.(*constraint.TagExpr); ok && tag.Tag == "ignore" {
				return true
			}
		}
	}
	return false
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

// checkPackageComment: a package has a package comment in at least one of
// its non-test files.
func checkPackageComment(fset *token.FileSet, p pkg) []finding {
	var first *file
	for _, f := range p.files {
		if f.test {
			continue
		}
		if f.ast.Doc != nil {
			return nil
		}
		if first == nil {
			first = f
		}
	}
	if first == nil {
		return nil // only test files
	}
	return []finding{{
		pos:  fset.Position(first.ast.Package),
		rule: rulePackageComment,
		msg:  fmt.Sprintf("package %s in %s/ has no package comment; add one (// Package %s ...) in a doc.go", first.ast.Name.Name, p.dir, first.ast.Name.Name),
	}}
}

// checkErrorfWrap: fmt.Errorf wraps an error argument with %w rather than
// formatting it with %v, %s or %q.
func checkErrorfWrap(fset *token.FileSet, f *ast.File) []finding {
	var out []finding
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || !isFmtErrorf(call) || len(call.Args) < 2 || call.Ellipsis.IsValid() {
			return true
		}
		format, ok := stringConstant(call.Args[0])
		if !ok {
			return true
		}
		verbs := verbsByArg(format)
		for i, arg := range call.Args[1:] {
			name, ok := errorName(arg)
			if !ok {
				continue
			}
			for _, v := range verbs[i] {
				if v == 'v' || v == 's' || v == 'q' {
					out = append(out, finding{
						pos:  fset.Position(arg.Pos()),
						rule: ruleErrorfWrap,
						msg:  fmt.Sprintf("fmt.Errorf formats %s with %%%c; wrap it with %%w (or use %s.Error() if hiding it is deliberate)", name, v, name),
					})
					break
				}
			}
		}
		return true
	})
	return out
}

func isFmtErrorf(call *ast.CallExpr) bool {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Errorf" {
		return false
	}
	x, ok := sel.X.(*ast.Ident)
	return ok && x.Name == "fmt"
}

// stringConstant returns the value of a string literal, or of a sum of
// string literals.
func stringConstant(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.ParenExpr:
		return stringConstant(e.X)
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		x, ok1 := stringConstant(e.X)
		y, ok2 := stringConstant(e.Y)
		return x + y, ok1 && ok2
	}
	return "", false
}

// errorName reports whether e is, by its name, an error: err, or a
// lower-case identifier ending in Err (closeErr, writeErr).
func errorName(e ast.Expr) (string, bool) {
	id, ok := e.(*ast.Ident)
	if !ok {
		return "", false
	}
	name := id.Name
	if name == "err" {
		return name, true
	}
	r, _ := utf8.DecodeRuneInString(name)
	return name, len(name) > 3 && strings.HasSuffix(name, "Err") && unicode.IsLower(r)
}

// verbsByArg maps each operand index (0 is the first argument after the
// format) to the verbs that format it, following fmt's rules for flags,
// width, precision, '*' and explicit [n] indexes.
func verbsByArg(format string) map[int][]rune {
	verbs := map[int][]rune{}
	arg := 0
	i := 0
	index := func() {
		if i < len(format) && format[i] == '[' {
			if j := strings.IndexByte(format[i:], ']'); j > 0 {
				if n, err := strconv.Atoi(format[i+1 : i+j]); err == nil && n > 0 {
					arg = n - 1
				}
				i += j + 1
			}
		}
	}
	number := func() {
		index()
		if i < len(format) && format[i] == '*' {
			arg++
			i++
			return
		}
		for i < len(format) && format[i] >= '0' && format[i] <= '9' {
			i++
		}
	}
	for i < len(format) {
		if format[i] != '%' {
			i++
			continue
		}
		i++
		for i < len(format) && strings.IndexByte("+-# 0", format[i]) >= 0 {
			i++
		}
		number() // width
		if i < len(format) && format[i] == '.' {
			i++
			number() // precision
		}
		index()
		if i >= len(format) {
			break
		}
		verb, size := utf8.DecodeRuneInString(format[i:])
		i += size
		if verb == '%' {
			continue
		}
		verbs[arg] = append(verbs[arg], verb)
		arg++
	}
	return verbs
}

// checkExportedDoc: every exported top-level function and type has a doc
// comment.
func checkExportedDoc(fset *token.FileSet, f *ast.File) []finding {
	var out []finding
	missing := func(pos token.Pos, kind, name string) {
		out = append(out, finding{
			pos:  fset.Position(pos),
			rule: ruleExportedDoc,
			msg:  fmt.Sprintf("exported %s %s has no doc comment; start one with // %s ...", kind, name, name),
		})
	}
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil && d.Name.IsExported() && d.Doc == nil {
				missing(d.Name.Pos(), "func", d.Name.Name)
			}
		case *ast.GenDecl:
			if d.Tok != token.TYPE {
				continue
			}
			for _, s := range d.Specs {
				ts := s.(*ast.TypeSpec)
				if ts.Name.IsExported() && ts.Doc == nil && d.Doc == nil {
					missing(ts.Name.Pos(), "type", ts.Name.Name)
				}
			}
		}
	}
	return out
}
