package web

import (
	"io/fs"
	"regexp"
	"testing"

	"github.com/lumbung/lumbung/locale"
)

// TestTemplateWordsDefined: every word a template names by its key is in
// the catalogue, so no page shows an officer a key ("ui.identity")
// instead of words.
func TestTemplateWordsDefined(t *testing.T) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil || len(names) == 0 {
		t.Fatalf("templates: %v %v", names, err)
	}
	key := regexp.MustCompile(`\{\{\s*t\s+\$?\.Lang\s+"([a-z0-9_.]+)"`)
	seen := 0
	for _, name := range names {
		raw, err := fs.ReadFile(templateFS, name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range key.FindAllStringSubmatch(string(raw), -1) {
			seen++
			if _, ok := locale.Lookup(m[1]); !ok {
				t.Errorf("%s names %q, which the catalogue does not hold", name, m[1])
			}
		}
	}
	if seen < 100 {
		t.Fatalf("only %d words found: the pattern no longer matches the templates", seen)
	}
}
