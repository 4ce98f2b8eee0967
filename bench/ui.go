package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/lumbung/lumbung/internal/staff"
	"github.com/lumbung/lumbung/localcluster"
	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/schema/sample"
)

// UIConfig says how to measure the screens.
type UIConfig struct {
	// Complaints is how many complaints the desa and the kecamatan hold.
	Complaints int
	// Requests is how many times each timed page is asked for.
	Requests int
	// Log receives progress lines; nil discards them.
	Log io.Writer
}

// DefaultUIConfig is 10,000 complaints and 200 requests a page.
func DefaultUIConfig() UIConfig { return UIConfig{Complaints: 10_000, Requests: 200} }

// PageSize is what one page costs over the wire, compressed as a
// browser asks for it: the page alone (the next page, assets cached) and
// with its stylesheet and script (the first load).
type PageSize struct {
	Name            string
	Page, FirstLoad int64
}

// UIReport is what UI measured.
type UIReport struct {
	Complaints int
	Sizes      []PageSize
	// ListP50/P99 time the desa's complaint list, QueueP50/P99 the
	// kecamatan's triage queue, server side over loopback.
	ListP50, ListP99, QueueP50, QueueP99 time.Duration
}

// UI measures the screens: each page's bytes over the wire, gzip as a
// browser asks, with and without its assets; and the time the complaint
// list (a desa) and the triage queue (a kecamatan) take to serve with
// Complaints complaints held.
func UI(cfg UIConfig) (*UIReport, error) {
	logf := progress(cfg.Log)
	tmp, err := os.MkdirTemp("", "lumbung-bench-ui-")
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	defer os.RemoveAll(tmp)
	const region = schema.Code("32.14.02.2001")
	desa, err := localcluster.StartDesa(tmp, region, localcluster.DesaOptions{})
	if err != nil {
		return nil, err
	}
	defer desa.Stop()
	kec, err := localcluster.StartCluster(filepath.Join(tmp, "kec"), 1, localcluster.ClusterOptions{})
	if kec != nil {
		defer kec.Close()
	}
	if err != nil {
		return nil, err
	}
	logf("ui: %d complaints at a desa and at a kecamatan", cfg.Complaints)
	gen := sample.New(7)
	ctx := context.Background()
	var id string
	for i := 0; i < cfg.Complaints; i++ {
		in := gen.Complaint(region)
		c, err := desa.Node().Store().CreateComplaint(ctx, in)
		if err != nil {
			return nil, err
		}
		id = c.ID
		if _, err := kec.Members[0].Node().CreateComplaint(ctx, in); err != nil {
			return nil, err
		}
	}
	if _, err := desa.Node().SetMonografi(ctx, region, "2026-S1", "demo.operator", localcluster.Entry(1)); err != nil {
		return nil, err
	}
	rep := &UIReport{Complaints: cfg.Complaints}
	op := &http.Client{Timeout: 30 * time.Second, Transport: staff.Transport(officer.Operator, &http.Transport{DisableCompression: true}),
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	ver := &http.Client{Timeout: 30 * time.Second, Transport: staff.Transport(officer.Verifikator, &http.Transport{DisableCompression: true})}
	admin := &http.Client{Timeout: 30 * time.Second, Transport: staff.Transport(officer.Admin, &http.Transport{DisableCompression: true})}
	assets := int64(0)
	for _, a := range []string{"/static/style.css", "/static/htmx-2.0.11.min.js"} {
		n, err := wireBytes(op, desa.URL+a)
		if err != nil {
			return nil, err
		}
		assets += n
	}
	for _, p := range []struct {
		name, url string
		c         *http.Client
	}{
		{"login (/masuk)", desa.URL + "/masuk", op},
		{"complaint list, 50 of 10,000 (/pengaduan)", desa.URL + "/pengaduan", op},
		{"intake form (/pengaduan/baru)", desa.URL + "/pengaduan/baru", op},
		{"a complaint (/pengaduan/{id})", desa.URL + "/pengaduan/" + id, op},
		{"receipt", desa.URL + "/pengaduan/" + id + "/tanda-terima", op},
		{"monografi form (/monografi)", desa.URL + "/monografi", op},
		{"sync (/sinkron)", desa.URL + "/sinkron", op},
		{"triage queue, kecamatan (/antrean)", kec.Members[0].URL + "/antrean", ver},
		{"statistics, kecamatan (/statistik)", kec.Members[0].URL + "/statistik", ver},
		{"monograph table, a desa's whole catalogue (/monografi/tabel)", desa.URL + "/monografi/tabel?periode=2026-S1", op},
		{"approval, kecamatan (/persetujuan)", kec.Members[0].URL + "/persetujuan", ver},
		{"catalogue, kecamatan (/katalog)", kec.Members[0].URL + "/katalog", admin},
	} {
		n, err := wireBytes(p.c, p.url)
		if err != nil {
			return nil, fmt.Errorf("bench: %s: %w", p.name, err)
		}
		rep.Sizes = append(rep.Sizes, PageSize{Name: p.name, Page: n, FirstLoad: n + assets})
	}
	logf("ui: timing the list and the queue")
	if rep.ListP50, rep.ListP99, err = timePage(op, desa.URL+"/pengaduan", cfg.Requests); err != nil {
		return nil, err
	}
	if rep.QueueP50, rep.QueueP99, err = timePage(ver, kec.Members[0].URL+"/antrean", cfg.Requests); err != nil {
		return nil, err
	}
	return rep, nil
}

// wireBytes fetches url as a browser would (gzip) and counts the status
// line, headers and body as they cross the wire.
func wireBytes(c *http.Client, url string) (int64, error) {
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Accept-Encoding", "gzip, deflate, br")
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	body, err := io.Copy(io.Discard, resp.Body)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("%s answered %s", url, resp.Status)
	}
	n := int64(len(resp.Proto) + len(resp.Status) + 3)
	for k, vs := range resp.Header {
		for _, v := range vs {
			n += int64(len(k) + len(v) + 4)
		}
	}
	return n + 2 + body, nil
}

// timePage asks for url n times, one after another, and returns the
// median and 99th percentile of the answers' times.
func timePage(c *http.Client, url string, n int) (p50, p99 time.Duration, err error) {
	var all []time.Duration
	for range n {
		start := time.Now()
		resp, err := c.Get(url)
		if err != nil {
			return 0, 0, err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return 0, 0, fmt.Errorf("%s answered %s", url, resp.Status)
		}
		all = append(all, time.Since(start))
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	return all[len(all)/2], all[len(all)*99/100], nil
}

// WriteUI prints the screens' figures as a Markdown section.
func WriteUI(w io.Writer, r *UIReport, cmdline string) {
	header(w, "Screens", cmdline, ". Pages of a desa node and a one-member kecamatan cluster, each holding")
	fmt.Fprintf(w, "%d complaints, fetched over loopback as a browser asks (gzip). Bytes are the status line,\n", r.Complaints)
	fmt.Fprintf(w, "headers and compressed body; the first load adds the stylesheet and the pinned htmx.\n\n")
	fmt.Fprintf(w, "| page | next page (assets cached) | first load |\n|---|---:|---:|\n")
	for _, s := range r.Sizes {
		fmt.Fprintf(w, "| %s | %.1f KB | %.1f KB |\n", s.Name, float64(s.Page)/1000, float64(s.FirstLoad)/1000)
	}
	fmt.Fprintf(w, "\n| server time | p50 | p99 |\n|---|---:|---:|\n")
	fmt.Fprintf(w, "| desa complaint list | %s | %s |\n| kecamatan triage queue | %s | %s |\n\n", ms(r.ListP50), ms(r.ListP99),
		ms(r.QueueP50), ms(r.QueueP99))
	writeRows(w, uiRows(r))
	fmt.Fprintf(w, "A kecamatan officer reaching the queue over Chromium's emulated 2G from a cold cache needs a browser,\n"+
		"which this binary does not hold: `go test -run XXX -bench Queue2G ./httpapi` measures it (below, under\n"+
		"\"The triage queue over 2G\").\n\n")
}

// uiRows are the screens' figures against their budgets.
func uiRows(r *UIReport) []row {
	var first, next int64
	for _, s := range r.Sizes {
		first, next = max(first, s.FirstLoad), max(next, s.Page)
	}
	return []row{
		atMost("screens: largest first load", fmt.Sprintf("%.1f KB", float64(first)/1000), "60 KB", float64(first), 60_000),
		atMost("screens: largest next page", fmt.Sprintf("%.1f KB", float64(next)/1000), "15 KB", float64(next), 15_000),
		atMost(fmt.Sprintf("screens: complaint list p99, %d complaints", r.Complaints), ms(r.ListP99), "50 ms",
			float64(r.ListP99), float64(50*time.Millisecond)),
		atMost(fmt.Sprintf("screens: triage queue p99, %d complaints", r.Complaints), ms(r.QueueP99), "50 ms",
			float64(r.QueueP99), float64(50*time.Millisecond)),
	}
}
