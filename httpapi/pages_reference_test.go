package httpapi

import (
	"bytes"
	"encoding/csv"
	"io"
	"mime/multipart"
	"net/url"
	"strings"
	"testing"

	"github.com/lumbung/lumbung/officer"
)

// The kecamatan's or kabupaten's reference pages: an admin adds a
// complaint category and an indicator through the catalogue's checks (a
// bad code refused in words, nothing stored), a label with markup shows
// as text; a region list is published pasted or as a CSV file, and a
// list that does not read is refused whole.
func TestReferencePages(t *testing.T) {
	n, srv := serveTestMember(t)
	roles := staff(t, srv.URL)
	admin := roles[officer.Admin]
	revision := func() int {
		x, err := n.Store().Catalogue(n.Config().Region)
		if err != nil {
			t.Fatal(err)
		}
		if len(x.Extensions) == 0 {
			return 0
		}
		return x.Extensions[0].Revision
	}
	code, _, body := admin.postForm(t, srv.URL+"/katalog", url.Values{"kind": {"category"}, "code": {"Air Bersih!"},
		"label_id": {"Air bersih"}, "label_en": {"Clean water"}})
	if code != 422 || !strings.Contains(body, "Tambah kategori") || revision() != 0 {
		t.Fatalf("a bad category code: %d (revision %d)\n%s", code, revision(), body)
	}
	code, _, body = admin.postForm(t, srv.URL+"/katalog", url.Values{"kind": {"category"}, "code": {"air_bersih"},
		"label_id": {"Air bersih <script>alert(1)</script>"}, "label_en": {"Clean water"}})
	if code != 200 || !strings.Contains(body, "revisi 1") || revision() != 1 {
		t.Fatalf("a category: %d\n%s", code, body)
	}
	code, _, body = admin.postForm(t, srv.URL+"/katalog", url.Values{"kind": {"indicator"}, "group": {"penduduk"},
		"code": {"disabilitas"}, "label_id": {"Penduduk penyandang disabilitas"}, "label_en": {"Residents with disabilities"},
		"unit": {"jiwa"}, "type": {"integer"}, "agg": {"sum"}})
	if code != 200 || revision() != 2 {
		t.Fatalf("an indicator: %d\n%s", code, body)
	}
	_, body = roles[officer.Viewer].get(t, srv.URL+"/katalog")
	if !strings.Contains(body, "Air bersih &lt;script&gt;") || strings.Contains(body, "<script>alert") ||
		strings.Contains(body, `action="/katalog"`) {
		t.Fatalf("the viewer's catalogue page:\n%s", body)
	}

	code, _, body = admin.postForm(t, srv.URL+"/wilayah", url.Values{"list": {"kode,nama\n32.14.02.2001\n"}})
	if code != 400 || !strings.Contains(body, "tidak dapat dibaca") || !strings.Contains(body, "0 wilayah") {
		t.Fatalf("a list that does not read: %d\n%s", code, body)
	}
	code, _, body = admin.postForm(t, srv.URL+"/wilayah", url.Values{"list": {"kode,nama\n32.14.02,Darangdan\n32.14.02.2001,Campaka\n"}})
	if code != 200 || !strings.Contains(body, "2 wilayah diterbitkan") || !strings.Contains(body, "Campaka") {
		t.Fatalf("a pasted list: %d\n%s", code, body)
	}
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	fw, _ := mw.CreateFormFile("file", "wilayah.csv")
	_, _ = io.WriteString(fw, "32.14.02.2002,Sirnagalih\n32.14.02.2003,Nagrak\n")
	_ = mw.Close()
	resp, err := admin.c.Post(srv.URL+"/wilayah", mw.FormDataContentType(), &form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(raw), "Sirnagalih") || !strings.Contains(string(raw), "3 wilayah") {
		t.Fatalf("a CSV file: %d\n%s", resp.StatusCode, raw)
	}
}

// The complaint list downloads as CSV with the list's filters, holds no
// reporter for any role, and a title typed as a formula stays text.
func TestComplaintsDownload(t *testing.T) {
	n, srv := openTestNode(t)
	roles := staff(t, srv.URL)
	in := testInput(1)
	in.Title = "=HYPERLINK(\"http://example.com\",\"klik\")"
	in.Reporter.Phone = "081298765432"
	if _, err := n.CreateComplaint(t.Context(), in); err != nil {
		t.Fatal(err)
	}
	other := testInput(2)
	other.Category = "kesehatan"
	if _, err := n.CreateComplaint(t.Context(), other); err != nil {
		t.Fatal(err)
	}
	for _, r := range []officer.Role{officer.Operator, officer.Viewer} {
		code, body := roles[r].get(t, srv.URL+"/pengaduan/unduh?category=infrastruktur")
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if code != 200 || err != nil || len(rows) != 2 {
			t.Fatalf("%s's download: %d %v\n%s", r, code, err, body)
		}
		if rows[0][0] != "Nomor pengaduan" || !strings.HasPrefix(rows[1][6], "'=HYPERLINK") {
			t.Errorf("%s's rows: %q", r, rows)
		}
		for _, secret := range []string{"Budi", "3214020101800001", "081298765432"} {
			if strings.Contains(body, secret) {
				t.Errorf("%s's download holds the reporter's %q", r, secret)
			}
		}
	}
}

// The checks as typed answer the save's words for a field, or nothing,
// and store nothing.
func TestChecksAsTyped(t *testing.T) {
	n, srv := openTestNode(t)
	op := staff(t, srv.URL)[officer.Operator]
	before := storeDigest(t, n.Store())
	_, _, body := op.postForm(t, srv.URL+"/pengaduan/periksa?field=reporter.nik", url.Values{"nik": {"32140212"}, "title": {""}})
	if body != "NIK harus 16 angka (sekarang 8)" {
		t.Fatalf("a short NIK: %q", body)
	}
	_, _, body = op.postForm(t, srv.URL+"/pengaduan/periksa?field=reporter.nik", url.Values{"nik": {"3214021204900001"}})
	if body != "" {
		t.Fatalf("a good NIK: %q", body)
	}
	_, _, body = op.postForm(t, srv.URL+"/pengaduan/periksa?field=reporter.phone", url.Values{"phone": {"12ab"}, "lang": {"en"}})
	if body == "" || strings.Contains(body, "<") {
		t.Fatalf("a bad phone: %q", body)
	}
	_, _, body = op.postForm(t, srv.URL+"/monografi/periksa", url.Values{"periode": {"2026-S1"},
		"v.penduduk.jumlah": {"7.412"}, "v.penduduk.laki_laki": {"3.700"}, "v.penduduk.perempuan": {"3.710"}, "v.penduduk.kk": {"banyak"}})
	if !strings.Contains(body, `id="e-penduduk.kk" aria-live="polite" hx-swap-oob="true">bukan angka`) {
		t.Fatalf("a figure that is not a number:\n%s", body)
	}
	_, _, body = op.postForm(t, srv.URL+"/monografi/periksa", url.Values{"periode": {"2026-S1"},
		"v.penduduk.jumlah": {"7.412"}, "v.penduduk.laki_laki": {"3.700"}, "v.penduduk.perempuan": {"3.710"}})
	if !strings.Contains(body, `id="e-penduduk.jumlah"`) || !strings.Contains(body, "7.410") ||
		!strings.Contains(body, `id="e-penduduk.kk" aria-live="polite" hx-swap-oob="true"></p>`) {
		t.Fatalf("a sum that does not agree:\n%s", body)
	}
	if storeDigest(t, n.Store()) != before {
		t.Fatal("a check as typed changed the store")
	}
}
