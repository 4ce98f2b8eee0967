package locale

import (
	"encoding/json"
	"go/parser"
	"go/token"
	"math"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Lang
	}{
		{"", ID},
		{"id", ID},
		{"en", EN},
		{"EN", EN},
		{" en_US ", EN},
		{"english", EN},
		{"en-GB,en;q=0.9", EN},
		{"id-ID,id;q=0.9,en-US;q=0.8,en;q=0.7", ID},
		{"fr-FR,en;q=0.5", EN},
		{"fr,de", ID},
		{"id;q=0.3,en;q=0.8", EN},
		{"en;q=0,id", ID},
		{"en;q=nonsense", ID},
		{"xx", ID},
	} {
		if got := Parse(tc.in); got != tc.want {
			t.Errorf("Parse(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestFromRequest(t *testing.T) {
	r := httptest.NewRequest("GET", "/x?lang=en", nil)
	r.Header.Set("Accept-Language", "id")
	if got := FromRequest(r); got != EN {
		t.Errorf("?lang=en over Accept-Language id: %s", got)
	}
	r = httptest.NewRequest("GET", "/x", nil)
	r.Header.Set("Accept-Language", "en-US,en;q=0.9")
	if got := FromRequest(r); got != EN {
		t.Errorf("Accept-Language en-US: %s", got)
	}
	if got := FromRequest(httptest.NewRequest("GET", "/x", nil)); got != ID {
		t.Errorf("no language asked: %s", got)
	}
}

func newCatalogue() *catalogue { return &catalogue{index: map[string]int{}} }

func TestCheckFindsADuplicateKey(t *testing.T) {
	c := newCatalogue()
	c.add("flag.note", Text{"catatan atau isi tanggapan", "note or response text"}, "complaint.go:1")
	c.add("flag.note", Text{"catatan untuk desa", "note for the desa"}, "approval.go:2")
	errs := c.check()
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), `"flag.note" is defined twice: at complaint.go:1 and at approval.go:2`) {
		t.Fatalf("check = %v, want the duplicate named with both places", errs)
	}
	if got, _ := c.lookup("flag.note"); got.EN != "note or response text" {
		t.Errorf("lookup after a duplicate = %q, want the first definition", got.EN)
	}
}

func TestCheckFindsAMissingLanguage(t *testing.T) {
	c := newCatalogue()
	c.add("a.no_en", Text{ID: "hanya bahasa Indonesia"}, "a.go:1")
	c.add("a.no_id", Text{EN: "English only"}, "a.go:2")
	c.add("a.verbs", Text{"%d angka dari %s", "%d figures"}, "a.go:3")
	c.add("a.fine", Text{"%[1]s 100%% di %[1]s", "%[1]s 100%% in %[1]s"}, "a.go:4")
	c.add("a.indexed", Text{"harus berupa %[1]s", "must be %[2]s, not %[3]s"}, "a.go:5")
	c.add("a.half", Text{"harus berupa %[1]s", "must be %s"}, "a.go:6")
	var got []string
	for _, err := range c.check() {
		got = append(got, err.Error())
	}
	want := []string{
		`locale: "a.half" (a.go:6) takes [%[1]s] in Indonesian but [%s] in English`,
		`locale: "a.no_en" (a.go:1) has no English text`,
		`locale: "a.no_id" (a.go:2) has no Indonesian text`,
		`locale: "a.verbs" (a.go:3) takes [%d %s] in Indonesian but [%d] in English`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("check:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestCatalogue checks every message this package's binary defines; the
// test in cmd/lumbung runs the same check over every package's words.
func TestCatalogue(t *testing.T) {
	for _, err := range Check() {
		t.Error(err)
	}
}

func TestKeyText(t *testing.T) {
	k := Define("locale_test.saved", "%d angka disimpan.", "%d figures saved.")
	if got := k.Text(3); got != (Text{"3 angka disimpan.", "3 figures saved."}) {
		t.Errorf("Text(3) = %+v", got)
	}
	if got := k.In(EN, 2); got != "2 figures saved." {
		t.Errorf("In(EN, 2) = %q", got)
	}
	state := Define("locale_test.state", "sudah diajukan", "submitted")
	locked := Define("locale_test.locked", "Monografi %s %s dan terkunci.", "The monografi of %s is %s and locked.")
	if got := locked.Text("32.14.02.2001", state.Text()); got != (Text{"Monografi 32.14.02.2001 sudah diajukan dan terkunci.",
		"The monografi of 32.14.02.2001 is submitted and locked."}) {
		t.Errorf("a Text argument: %+v", got)
	}
	retry := Define("locale_test.retry", "akan dicoba lagi", "retrying: %[1]v")
	if got := retry.Text("link down"); got != (Text{"akan dicoba lagi", "retrying: link down"}) {
		t.Errorf("a value only the English takes: %+v", got)
	}
	if got := Key("locale_test.nowhere").In(ID); got != "locale_test.nowhere" {
		t.Errorf("an undefined key reads %q, want the key itself", got)
	}
	if got := (Text{ID: "hanya ini"}).In(EN); got != "hanya ini" {
		t.Errorf("English falls back to Indonesian: %q", got)
	}
}

func TestWriteError(t *testing.T) {
	p := &Problem{Status: http.StatusUnprocessableEntity, Code: "invalid_input",
		Msg:    Text{"Data tidak valid.", "The data is not valid."},
		Fields: map[string]Text{"reporter.nik": {"harus 16 angka", "must be 16 digits"}}}
	for lang, want := range map[string]ErrorDetail{
		"id": {Code: "invalid_input", Message: "Data tidak valid.", Fields: map[string]string{"reporter.nik": "harus 16 angka"}},
		"en": {Code: "invalid_input", Message: "The data is not valid.", Fields: map[string]string{"reporter.nik": "must be 16 digits"}},
	} {
		w := httptest.NewRecorder()
		r := httptest.NewRequest("POST", "/api/v1/complaints", nil)
		r.Header.Set("Accept-Language", lang)
		n := WriteError(w, r, p)
		if w.Code != p.Status || n != w.Body.Len() || w.Header().Get("Content-Type") != "application/json; charset=utf-8" {
			t.Errorf("%s: status %d, %d of %d bytes counted, %s", lang, w.Code, n, w.Body.Len(), w.Header().Get("Content-Type"))
		}
		var got ErrorBody
		dec := json.NewDecoder(w.Body)
		dec.DisallowUnknownFields()
		if err := dec.Decode(&got); err != nil {
			t.Fatal(err)
		}
		if got.Error.Code != want.Code || got.Error.Message != want.Message || got.Error.Fields["reporter.nik"] != want.Fields["reporter.nik"] {
			t.Errorf("%s: %+v, want %+v", lang, got.Error, want)
		}
	}
	w := httptest.NewRecorder()
	WriteError(w, httptest.NewRequest("GET", "/", nil), NewProblem(404, "not_found", Key("a <b> & c")))
	if !strings.Contains(w.Body.String(), `"a <b> & c"`) {
		t.Errorf("HTML characters escaped: %s", w.Body.String())
	}
	if strings.Contains(w.Body.String(), `"fields"`) {
		t.Errorf("an answer with no field at fault names fields: %s", w.Body.String())
	}
}

// TestWriteErrorBothAndExtra: an answer asked to carry both languages
// and more members (an exchange refusal naming the server's range) has
// them beside code and message, and ErrorBody reads them back; a member
// an older peer added is kept in Extra.
func TestWriteErrorBothAndExtra(t *testing.T) {
	type span struct {
		Min int `json:"min"`
		Max int `json:"max"`
	}
	p := &Problem{Status: http.StatusConflict, Code: "protocol_version", Msg: Text{"perbarui <desa>", "upgrade <desa>"},
		Both: true, Extra: map[string]any{"protocol": span{2, 3}}}
	w := httptest.NewRecorder()
	r := httptest.NewRequest("POST", "/sync", nil)
	r.Header.Set("Accept-Language", "en")
	WriteError(w, r, p)
	if !strings.Contains(w.Body.String(), `"protocol":{"min":2,"max":3}`) || !strings.Contains(w.Body.String(), `"upgrade <desa>"`) {
		t.Errorf("answer: %s", w.Body.String())
	}
	var got ErrorBody
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	var s span
	if got.Error.Code != "protocol_version" || got.Error.Message != "upgrade <desa>" || got.Error.Messages == nil ||
		*got.Error.Messages != p.Msg || json.Unmarshal(got.Error.Extra["protocol"], &s) != nil || s != (span{2, 3}) {
		t.Errorf("read back: %+v", got.Error)
	}
	if err := json.Unmarshal([]byte(`{"error":{"code":"x","message":"m","message_en":"e"}}`), &got); err != nil ||
		got.Error.Messages != nil || string(got.Error.Extra["message_en"]) != `"e"` {
		t.Errorf("an older peer's member: %+v, %v", got.Error, err)
	}
	w = httptest.NewRecorder()
	WriteError(w, r, &Problem{Status: 400, Code: "x", Msg: Text{"a", "b"}})
	if strings.Contains(w.Body.String(), "messages") {
		t.Errorf("both languages unasked: %s", w.Body.String())
	}
}

func TestNumber(t *testing.T) {
	for _, tc := range []struct {
		x      float64
		id, en string
	}{
		{0, "0", "0"},
		{7412, "7.412", "7,412"},
		{1234567.5, "1.234.567,5", "1,234,567.5"},
		{-1200.25, "-1.200,25", "-1,200.25"},
		{0.125, "0,125", "0.125"},
		{1e21, "1e+21", "1e+21"},
		{math.NaN(), "NaN", "NaN"},
	} {
		if got := Number(ID, tc.x); got != tc.id {
			t.Errorf("Number(ID, %v) = %q, want %q", tc.x, got, tc.id)
		}
		if got := Number(EN, tc.x); got != tc.en {
			t.Errorf("Number(EN, %v) = %q, want %q", tc.x, got, tc.en)
		}
	}
}

// TestStandardLibraryOnly keeps the package low enough for schema and the
// replication packages to use: it imports nothing but the standard
// library.
func TestStandardLibraryOnly(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			if path := strings.Trim(imp.Path.Value, `"`); strings.Contains(strings.Split(path, "/")[0], ".") {
				t.Errorf("%s imports %s", name, path)
			}
		}
	}
}
