// Package locale is the one home of the words an officer reads: the
// language they asked for, the catalogue of messages in Indonesian and
// English, and the one JSON shape of an error answer on every HTTP surface
// (the officers' API, the cluster endpoints and the sync exchange).
//
// Languages. Indonesian is the default; English is a switch. Parse is the
// only parser of a language setting, whether it comes from --lang,
// LUMBUNG_LANG, ?lang= or an Accept-Language header.
//
// Messages. A package defines the words it owns once, at init, with Define
// or DefineAll, under a dotted key ("schema.required", "flag.note"); the
// key is the only handle on them afterwards. Messages that take values
// are fmt formats, with the same verbs in both languages. Check walks every
// message defined and reports a key defined twice, a language left empty
// or verbs that differ: a test in the binary that links every package
// calls it, so such a mistake fails the build's tests rather than showing
// one command's help under another's flag.
//
// Errors. A Problem is an error answer before it is put in a language;
// WriteError writes it as
//
//	{"error": {"code": "...", "message": "...", "fields": {"reporter.nik": "..."}}}
//
// in the language the request asks for.
//
// The package imports only the standard library, so that schema, the
// replication packages and everything above them can use it.
package locale

import (
	"net/http"
	"strconv"
	"strings"
)

// Lang is a language messages are written in.
type Lang string

// The languages of the catalogue.
const (
	// ID is Bahasa Indonesia, the default.
	ID Lang = "id"
	// EN is English.
	EN Lang = "en"
)

// Parse reads a language setting: a tag as typed to --lang or
// LUMBUNG_LANG ("en", "en_US", "id") or an Accept-Language header
// ("en-US,en;q=0.9"). The supported language with the highest weight wins,
// the first named among equals; anything else, or nothing, is Indonesian.
func Parse(s string) Lang {
	best, bestQ := ID, 0.0
	for _, part := range strings.Split(s, ",") {
		tag, params, _ := strings.Cut(part, ";")
		l, ok := primary(tag)
		if !ok {
			continue
		}
		if q := weight(params); q > bestQ {
			best, bestQ = l, q
		}
	}
	return best
}

// primary maps a language tag to a supported language by its primary
// subtag: en, en-US, en_GB and english are English; id and in (the old
// code) are Indonesian.
func primary(tag string) (Lang, bool) {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	switch {
	case strings.HasPrefix(tag, "en"):
		return EN, true
	case tag == "id" || tag == "in" || tag == "ind" || tag == "indonesian":
		return ID, true
	}
	return "", false
}

// weight reads the q parameter of an Accept-Language entry: 1 when
// absent, 0 (not acceptable) when malformed.
func weight(params string) float64 {
	for _, p := range strings.Split(params, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok || strings.TrimSpace(k) != "q" {
			continue
		}
		q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || q < 0 || q > 1 {
			return 0
		}
		return q
	}
	return 1
}

// FromRequest is the language a request asks for: ?lang= when given,
// else its Accept-Language header.
func FromRequest(r *http.Request) Lang {
	if l := r.URL.Query().Get("lang"); l != "" {
		return Parse(l)
	}
	return Parse(r.Header.Get("Accept-Language"))
}
