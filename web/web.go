package web

import (
	"bytes"
	"compress/gzip"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/lumbung/lumbung/locale"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Page is what every template receives: the officer's language, who is
// logged in (empty on a public page), the page's own data, and the
// words of a refusal to show at the top.
type Page struct {
	Lang    locale.Lang
	Officer string
	Role    string
	Tier    string
	Region  string
	Title   locale.Key
	Flash   string
	Data    any
	// Path is the page's path, for the language switch.
	Path string
	// Zone is the region's time zone (WIB, WITA, WIT): every time on a
	// page is shown in it.
	Zone *time.Location
}

// Renderer renders the templates; it is safe for concurrent use.
type Renderer struct {
	pages map[string]*template.Template
}

// New parses every template with the layout.
func New() (*Renderer, error) {
	funcs := template.FuncMap{
		"t": func(l locale.Lang, key string, args ...any) string {
			txt, ok := locale.Lookup(key)
			if !ok {
				return key
			}
			if len(args) > 0 {
				return locale.Key(key).In(l, args...)
			}
			return txt.In(l)
		},
		"text":  func(l locale.Lang, t locale.Text) string { return t.In(l) },
		"num":   func(l locale.Lang, x float64) string { return locale.Number(l, x) },
		"date":  func(ms int64, loc *time.Location) string { return wallTime(time.UnixMilli(ms), loc) },
		"stamp": Stamp,
		"eq":    func(a, b any) bool { return fmt.Sprint(a) == fmt.Sprint(b) },
	}
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	r := &Renderer{pages: map[string]*template.Template{}}
	for _, name := range names {
		base := path.Base(name)
		if base == "layout.html" {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(templateFS, name)
		if err != nil {
			return nil, fmt.Errorf("web: %s: %w", base, err)
		}
		r.pages[strings.TrimSuffix(base, ".html")] = t
	}
	return r, nil
}

// wallTime is t as an officer reads it: day-month-year, hour:minute,
// and the zone's name (WIB).
func wallTime(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("02-01-2006 15:04 MST")
}

// ContentPolicy is the Content-Security-Policy of every page: its own
// stylesheet and script, nothing inline, nothing from elsewhere, forms
// and the checks as typed (htmx) posted to itself only.
const ContentPolicy = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; connect-src 'self'; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// Render writes page name with p, status code status. A template that
// fails is a programming error the tests catch; the officer then reads a
// plain sentence, not half a page.
func (rd *Renderer) Render(w http.ResponseWriter, r *http.Request, status int, name string, p *Page) {
	t, ok := rd.pages[name]
	if !ok {
		http.Error(w, "no page "+name, http.StatusInternalServerError)
		return
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, "layout.html", p); err != nil {
		http.Error(w, "page "+name+": "+err.Error(), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", ContentPolicy)
	h.Set("Cache-Control", "no-store")
	h.Set("Vary", "Accept-Encoding")
	body := b.Bytes()
	if acceptsGzip(r) {
		// Pages cross 2G links: compressed, a list of 50 complaints is a
		// few kilobytes.
		var z bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&z, gzip.DefaultCompression)
		_, _ = zw.Write(body)
		_ = zw.Close()
		body = z.Bytes()
		h.Set("Content-Encoding", "gzip")
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// acceptsGzip says whether the browser takes gzip.
func acceptsGzip(r *http.Request) bool {
	return r != nil && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip")
}

// StaticPrefix is where the embedded files are served.
const StaticPrefix = "/static/"

// Static serves the embedded files, gzip-compressed when the browser
// takes it (each compressed once, when the handler is made), cached for
// a day: the names carry their version where it matters (htmx).
func Static() http.Handler {
	sub, _ := fs.Sub(staticFS, "static")
	zipped := map[string][]byte{}
	_ = fs.WalkDir(sub, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := fs.ReadFile(sub, name)
		if err != nil {
			return err
		}
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		_, _ = zw.Write(raw)
		_ = zw.Close()
		zipped[name] = b.Bytes()
		return nil
	})
	plain := http.StripPrefix(StaticPrefix, http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, StaticPrefix)
		w.Header().Set("Cache-Control", "public, max-age=86400")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		z, ok := zipped[name]
		if !ok || !acceptsGzip(r) {
			plain.ServeHTTP(w, r)
			return
		}
		ctype := "application/octet-stream"
		switch path.Ext(name) {
		case ".css":
			ctype = "text/css; charset=utf-8"
		case ".js":
			ctype = "text/javascript; charset=utf-8"
		case ".txt":
			ctype = "text/plain; charset=utf-8"
		}
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Vary", "Accept-Encoding")
		_, _ = w.Write(z)
	})
}

// Stamp shows an RFC 3339 time (as changes record them) in the region's
// zone, as every time on a screen is; what does not parse is shown as it
// is.
func Stamp(s string, loc *time.Location) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return s
	}
	return wallTime(t, loc)
}
