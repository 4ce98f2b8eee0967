package httpapi

import (
	"net/http"
	"strings"
	"testing"

	"github.com/lumbung/lumbung/locale"
)

// TestBadInput sends what a person or a buggy client can send. Each gets a
// 4xx JSON error that names the field in plain words, and the store stays
// byte for byte what it was.
func TestBadInput(t *testing.T) {
	n, srv := openTestNode(t)
	var created struct {
		ID string `json:"id"`
	}
	if code := call(t, "POST", srv.URL+"/api/v1/complaints", sampleComplaint(), &created); code != 201 {
		t.Fatalf("setup complaint: %d", code)
	}
	if code := call(t, "PUT", srv.URL+"/api/v1/monografi/32.14.02.2001/2026-S1",
		map[string]any{"values": map[string]any{"penduduk.jumlah": 100, "penduduk.laki_laki": 60, "penduduk.perempuan": 40}}, nil); code != 200 {
		t.Fatalf("setup monografi: %d", code)
	}
	with := func(mod func(m map[string]any)) map[string]any {
		m := sampleComplaint()
		mod(m)
		return m
	}
	reporter := func(k string, v any) func(m map[string]any) {
		return func(m map[string]any) { m["reporter"].(map[string]any)[k] = v }
	}
	monografiURL := srv.URL + "/api/v1/monografi/32.14.02.2001/2026-S1"
	cases := []struct {
		name, method, url string
		body              any
		status            int
		field             string // a field the error must name, "" for none
	}{
		{"malformed JSON", "POST", "/api/v1/complaints", `{"region": "32.14`, 400, ""},
		{"not an object", "POST", "/api/v1/complaints", `[1,2,3]`, 400, ""},
		{"trailing data", "POST", "/api/v1/complaints", `{} {}`, 400, ""},
		{"empty body", "POST", "/api/v1/complaints", ``, 400, ""},
		{"wrong type", "POST", "/api/v1/complaints", with(func(m map[string]any) { m["title"] = 42 }), 400, "title"},
		{"unknown field", "POST", "/api/v1/complaints", with(func(m map[string]any) { m["priority"] = "high" }), 400, "priority"},
		{"NIK 15 digits", "POST", "/api/v1/complaints", with(reporter("nik", "321402450687000")), 422, "reporter.nik"},
		{"NIK 17 digits", "POST", "/api/v1/complaints", with(reporter("nik", "32140245068700012")), 422, "reporter.nik"},
		{"NIK letters", "POST", "/api/v1/complaints", with(reporter("nik", "32140245068700AB")), 422, "reporter.nik"},
		{"bad phone", "POST", "/api/v1/complaints", with(reporter("phone", "12345")), 422, "reporter.phone"},
		{"missing title", "POST", "/api/v1/complaints", with(func(m map[string]any) { delete(m, "title") }), 422, "title"},
		{"unknown region format", "POST", "/api/v1/complaints", with(func(m map[string]any) { m["region"] = "32.14.2.1" }), 422, "region"},
		{"region outside scope", "POST", "/api/v1/complaints", with(func(m map[string]any) { m["region"] = "32.14.02.2002" }), 403, "region"},
		{"unknown channel", "POST", "/api/v1/complaints", with(func(m map[string]any) { m["channel"] = "telegram" }), 422, "channel"},
		{"unknown category", "POST", "/api/v1/complaints", with(func(m map[string]any) { m["category"] = "politik" }), 422, "category"},
		{"10 MB body", "POST", "/api/v1/complaints", `{"title":"` + strings.Repeat("a", 10<<20) + `"}`, 413, ""},
		{"unknown complaint", "GET", "/api/v1/complaints/3214022001-ABCDEF-0012", nil, 404, ""},
		{"action on unknown complaint", "POST", "/api/v1/complaints/3214022001-ABCDEF-0012/actions", `{"action":"verify"}`, 404, ""},
		{"action invalid for status", "POST", "/api/v1/complaints/" + created.ID + "/actions", `{"action":"resolve"}`, 409, ""},
		{"unknown action", "POST", "/api/v1/complaints/" + created.ID + "/actions", `{"action":"delete"}`, 422, "action"},
		{"forward without unit", "POST", "/api/v1/complaints/" + created.ID + "/actions", `{"action":"forward"}`, 422, "unit"},
		{"bad list status", "GET", "/api/v1/complaints?status=lost", nil, 400, "status"},
		{"bad list limit", "GET", "/api/v1/complaints?limit=100000", nil, 400, "limit"},
		{"bad cursor", "GET", "/api/v1/complaints?cursor=AAAA", nil, 400, ""},
		{"unknown indicator", "PUT", monografiURL, `{"values":{"penduduk.unicorn":3}}`, 422, "values.penduduk.unicorn"},
		{"negative population", "PUT", monografiURL, `{"values":{"penduduk.kk":-5}}`, 422, "values.penduduk.kk"},
		{"male+female != total", "PUT", monografiURL, `{"values":{"penduduk.laki_laki":70}}`, 422, ""},
		{"monografi wrong type", "PUT", monografiURL, `{"values":{"penduduk.jumlah":"banyak"}}`, 400, ""},
		{"monografi no values", "PUT", monografiURL, `{"values":{}}`, 422, "values"},
		{"monografi bad period", "PUT", srv.URL + "/api/v1/monografi/32.14.02.2001/2026-S3", `{"values":{"penduduk.kk":5}}`, 400, ""},
		{"monografi bad region", "PUT", srv.URL + "/api/v1/monografi/32.14.99/2026-S1", `{"values":{"penduduk.kk":5}}`, 422, ""},
		{"monografi other desa", "PUT", srv.URL + "/api/v1/monografi/32.14.02.2002/2026-S1", `{"values":{"penduduk.kk":5}}`, 403, ""},
		{"wrong method", "DELETE", "/api/v1/complaints", nil, 405, ""},
		{"no such route", "GET", "/api/v2/anything", nil, 404, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := storeDigest(t, n.Store())
			url := tc.url
			if strings.HasPrefix(url, "/") {
				url = srv.URL + url
			}
			var got locale.ErrorBody
			status := call(t, tc.method, url, tc.body, &got)
			if status != tc.status {
				t.Errorf("status %d, want %d (%+v)", status, tc.status, got.Error)
			}
			if got.Error.Code == "" || got.Error.Message == "" {
				t.Errorf("error body lacks code or message: %+v", got.Error)
			}
			if tc.field != "" && got.Error.Fields[tc.field] == "" {
				t.Errorf("error does not name field %q: %+v", tc.field, got.Error)
			}
			if after := storeDigest(t, n.Store()); after != before {
				t.Errorf("the store changed after a refused request")
			}
		})
	}
}

// TestErrorsInEnglish checks that a client asking for English gets it.
func TestErrorsInEnglish(t *testing.T) {
	_, srv := openTestNode(t)
	var got locale.ErrorBody
	m := sampleComplaint()
	m["reporter"].(map[string]any)["nik"] = "123"
	call(t, "POST", srv.URL+"/api/v1/complaints?lang=en", m, &got)
	if msg := got.Error.Fields["reporter.nik"]; !strings.Contains(msg, "16 digits") {
		t.Errorf("English message = %q", msg)
	}
	call(t, "POST", srv.URL+"/api/v1/complaints", m, &got)
	if msg := got.Error.Fields["reporter.nik"]; !strings.Contains(msg, "16 angka") {
		t.Errorf("Indonesian message = %q", msg)
	}
	_ = http.StatusOK
}
