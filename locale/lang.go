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
