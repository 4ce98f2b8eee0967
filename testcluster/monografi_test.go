package testcluster

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/lumbung/lumbung/localcluster"
	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/schema/sample"
)

const period = "2026-S1"

// TestMonografiApprovalAcrossTiers: three desa of one kecamatan enter and
// submit their monografi on their own laptops; a fourth listed desa never
// reports. The kecamatan (a three-member cluster, steps sent to a
// follower) approves two and returns one with a note, which that desa's
// officer then reads on their own laptop; no desa receives another's
// document. A correction after approval is refused until un-approved.
// The kabupaten cluster accepts the kecamatan's approved set, and its
// figures equal the sum of what the approved desa entered, with
// completeness against the region list.
func TestMonografiApprovalAcrossTiers(t *testing.T) {
	kab, kec := kabupatenAndKecamatan(t)
	listed := []schema.Code{"32.14.02.2001", "32.14.02.2002", "32.14.02.2003", "32.14.02.2004", "32.14.03.2001"}
	for _, m := range append(append([]*Member(nil), kec.Members...), kab.Members...) {
		var regions []node.Region
		for _, c := range append([]schema.Code{"32.14", "32.14.02", "32.14.03"}, listed...) {
			regions = append(regions, node.Region{Code: c, Name: "Wilayah " + string(c)})
		}
		if _, err := m.Node().ImportRegions(t.Context(), regions); err != nil {
			t.Fatal(err)
		}
	}
	desa := map[schema.Code]*Member{}
	entered := map[schema.Code]map[string]float64{}
	for i, region := range listed[:3] {
		token, err := localcluster.Enroll(kec.Members[0].URL, region)
		if err != nil {
			t.Fatal(err)
		}
		d, err := localcluster.StartDesa(t.TempDir(), region, DesaOptions{Logger: Logger(t), Upstream: kec.Members[0].URL, Token: token, Uplink: localcluster.FastUplink})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = d.Stop() })
		desa[region] = d
		values := sample.Monografi()
		values["kesehatan.posyandu"] = float64(5 + i)
		values["wilayah.ketinggian_maks_mdpl"] = float64(400 + 100*i)
		entered[region] = values
		mustDo(t, officer.Operator, "PUT", docURL(d.URL, region), map[string]any{"values": values, "officer": "operator desa"}, 200)
		mustDo(t, officer.Operator, "POST", docURL(d.URL, region)+"/submit", nil, 200)
	}
	follower := kec.Members[(Leader(t, kec)+1)%3].URL
	for region := range desa {
		waitStatus(t, follower, region, "submitted")
	}

	// A desa cannot approve itself, and the kabupaten cannot approve for
	// the kecamatan.
	d1, d2, d3 := listed[0], listed[1], listed[2]
	mustDo(t, officer.Verifikator, "POST", docURL(desa[d1].URL, d1)+"/approve", nil, 403)
	mustDo(t, officer.Verifikator, "POST", docURL(kab.Members[0].URL, d1)+"/approve", nil, 403)
	mustDo(t, officer.Verifikator, "POST", docURL(follower, d3)+"/return", map[string]any{}, 422) // a return needs a note
	mustDo(t, officer.Verifikator, "POST", docURL(follower, d1)+"/approve", map[string]any{"officer": "sekcam"}, 200)
	mustDo(t, officer.Verifikator, "POST", docURL(follower, d2)+"/approve", map[string]any{"officer": "sekcam"}, 200)
	const note = "kelompok umur tidak berjumlah sama dengan jumlah penduduk"
	mustDo(t, officer.Verifikator, "POST", docURL(follower, d3)+"/return", map[string]any{"officer": "sekcam", "note": note}, 200)
	mustDo(t, officer.Verifikator, "POST", docURL(follower, d1)+"/approve", nil, 409) // approved already

	// The return reaches its desa, with its note, on the desa's laptop.
	doc := waitStatus(t, desa[d3].URL, d3, "returned")
	if doc["note"] != note {
		t.Fatalf("the desa reads note %q, want %q", doc["note"], note)
	}
	waitStatus(t, desa[d1].URL, d1, "approved")
	// No desa received another desa's document: each one's log holds
	// changes of its own scope only.
	for region, d := range desa {
		log, _, err := d.Node().Store().LogRange(0, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range log {
			if !region.Contains(c.Scope) && !c.Scope.Contains(region) {
				t.Fatalf("desa %s holds %s of %s", region, c.Entity, c.Scope)
			}
		}
	}

	// A correction after approval is refused, on the laptop, in words.
	body := mustDo(t, officer.Operator, "PUT", docURL(desa[d1].URL, d1), map[string]any{"values": map[string]float64{"kesehatan.posyandu": 9}}, 409)
	if !bytes.Contains(body, []byte("terkunci")) {
		t.Fatalf("refusal does not say it is locked: %s", body)
	}

	// The kabupaten sees two of four desa of 32.14.02 approved and accepts
	// them; then the kecamatan cannot un-approve until it un-accepts.
	kabURL := kab.Members[0].URL
	waitStatus(t, kabURL, d2, "approved")
	waitStatus(t, kabURL, d1, "approved")
	waitStatus(t, kabURL, d3, "returned") // else the set would list d3 as still submitted
	var acc node.AcceptResult
	decode(t, mustDo(t, officer.Verifikator, "POST", kabURL+"/api/v1/monografi/32.14.02/"+period+"/accept", map[string]any{"officer": "bappeda"}, 200), &acc)
	if len(acc.Accepted) != 2 || acc.Waiting[string(d3)] != "returned" {
		t.Fatalf("accept: %+v", acc)
	}
	waitStatus(t, desa[d1].URL, d1, "accepted")
	waitStatus(t, follower, d1, "accepted")
	mustDo(t, officer.Verifikator, "POST", docURL(follower, d1)+"/unapprove", map[string]any{"note": "koreksi posyandu"}, 409)
	checkAggregate(t, kabURL, "32.14", entered, []schema.Code{d1, d2}, 5)

	// The kabupaten un-accepts, the kecamatan un-approves, and the desa's
	// correction goes in; the desa that was returned corrects and is
	// approved.
	mustDo(t, officer.Verifikator, "POST", docURL(kabURL, d1)+"/unaccept", map[string]any{"note": "desa meminta koreksi"}, 200)
	waitStatus(t, follower, d1, "approved")
	mustDo(t, officer.Verifikator, "POST", docURL(follower, d1)+"/unapprove", map[string]any{"note": "koreksi posyandu"}, 200)
	waitStatus(t, desa[d1].URL, d1, "submitted")
	mustDo(t, officer.Operator, "PUT", docURL(desa[d1].URL, d1), map[string]any{"values": map[string]float64{"kesehatan.posyandu": 9}}, 200)
	entered[d1]["kesehatan.posyandu"] = 9
	mustDo(t, officer.Operator, "POST", docURL(desa[d1].URL, d1)+"/submit", nil, 200)
	mustDo(t, officer.Operator, "PUT", docURL(desa[d3].URL, d3), map[string]any{"values": map[string]float64{"kesehatan.posyandu": 12}}, 200)
	entered[d3]["kesehatan.posyandu"] = 12
	mustDo(t, officer.Operator, "POST", docURL(desa[d3].URL, d3)+"/submit", nil, 200)
	// d1 was submitted already (an un-approval returns a document to
	// submitted), so "submitted" at the follower alone does not say that
	// the correction and its submit have arrived. An approve sent while
	// they travel either meets the correction without its submit at the
	// leader (refused: still a draft, 409), or comes before both: it
	// approves the un-approved figures, and once the correction arrives
	// the fold orders the approval after it and skips it as stale (the
	// figures changed after the approver saw them), so the document stays
	// submitted and the kabupaten never shows it approved. Wait for the
	// figures the desa submitted, named by their basis, and approve
	// exactly those.
	bases := map[schema.Code]string{}
	for _, r := range []schema.Code{d1, d3} {
		if bases[r], _ = waitStatus(t, desa[r].URL, r, "submitted")["basis"].(string); bases[r] == "" {
			t.Fatalf("the desa's document of %s shows no basis", r)
		}
		waitBasis(t, follower, r, "submitted", bases[r])
		mustDo(t, officer.Verifikator, "POST", docURL(follower, r)+"/approve", map[string]any{"basis": bases[r]}, 200)
	}
	// The kabupaten may still show d1 approved from the first round (the
	// un-approval not yet arrived): wait for these figures approved.
	waitBasis(t, kabURL, d1, "approved", bases[d1])
	waitBasis(t, kabURL, d3, "approved", bases[d3])
	checkAggregate(t, follower, "32.14.02", entered, []schema.Code{d1, d2, d3}, 4)
	checkAggregate(t, kabURL, "32.14", entered, []schema.Code{d1, d2, d3}, 5)
	checkAggregate(t, kabURL, "32.14.02", entered, []schema.Code{d1, d2, d3}, 4)
}

// kabupatenAndKecamatan starts a one-member kabupaten cluster (32.14) and
// a three-member cluster of its kecamatan 32.14.02 syncing up to it.
func kabupatenAndKecamatan(t *testing.T) (kab, kec *Cluster) {
	t.Helper()
	kab = NewCluster(t, 1, ClusterOptions{Region: "32.14", Uplink: localcluster.FastUplink})
	token, err := localcluster.Enroll(kab.Members[0].URL, "32.14.02")
	if err != nil {
		t.Fatal(err)
	}
	kec = NewCluster(t, 3, ClusterOptions{Upstream: kab.Members[0].URL, Token: token, Uplink: localcluster.FastUplink})
	return kab, kec
}

// checkAggregate reads the aggregate of region at url: each summed figure
// equals the sum of what the approved desa entered, the highest elevation
// their maximum, and completeness counts them out of expected.
func checkAggregate(t *testing.T, url string, region schema.Code, entered map[schema.Code]map[string]float64,
	approved []schema.Code, expected int) {
	t.Helper()
	var agg monografi.Aggregate
	decode(t, mustDo(t, officer.Viewer, "GET", url+"/api/v1/monografi/"+string(region)+"/"+period, nil, 200), &agg)
	if agg.Completeness.Reported != len(approved) || agg.Completeness.Expected != expected {
		t.Fatalf("%s completeness %+v, want %d of %d", region, agg.Completeness, len(approved), expected)
	}
	cat := monografi.Builtin()
	for code := range entered[approved[0]] {
		ind, _ := cat.Lookup(code)
		var want float64
		for i, r := range approved {
			x := entered[r][code]
			switch {
			case ind.Agg == monografi.AggSum:
				want += x
			case ind.Agg == monografi.AggMax && (i == 0 || x > want):
				want = x
			case ind.Agg == monografi.AggMin && (i == 0 || x < want):
				want = x
			}
		}
		got, ok := agg.Values[code]
		switch {
		case ind.Agg == monografi.AggNone || ind.Type == monografi.TypePercent:
			if ok {
				t.Fatalf("%s: %s (rule %s) was combined", region, code, ind.Agg)
			}
		case !ok || got != want:
			t.Fatalf("%s: %s = %v, want %v (the %s of what %d desa entered)", region, code, got, want, ind.Agg, len(approved))
		}
	}
}

func docURL(base string, region schema.Code) string {
	return base + "/api/v1/monografi/" + string(region) + "/" + period
}

// waitStatus waits until the node at url shows the desa's document in
// status, and returns it.
func waitStatus(t *testing.T, url string, region schema.Code, status string) map[string]any {
	t.Helper()
	return waitDoc(t, url, region, status, func(doc map[string]any) bool { return doc["status"] == status })
}

// waitBasis waits until the node at url shows the desa's document in
// status with the figures named by basis (as GET shows them).
func waitBasis(t *testing.T, url string, region schema.Code, status, basis string) {
	t.Helper()
	waitDoc(t, url, region, status+" with basis "+basis, func(doc map[string]any) bool {
		return doc["status"] == status && doc["basis"] == basis
	})
}

// waitDoc waits until the desa's document at url is what ok wants, and
// returns it.
func waitDoc(t *testing.T, url string, region schema.Code, what string, ok func(map[string]any) bool) map[string]any {
	t.Helper()
	var doc map[string]any
	waitFor(t, func() bool {
		resp, err := operator().Get(docURL(url, region))
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		doc = nil
		_ = json.NewDecoder(resp.Body).Decode(&doc)
		return ok(doc)
	}, 30*time.Second, fmt.Sprintf("%s to be %s at %s", region, what, url))
	return doc
}

// mustDo sends a JSON request as the officer of role r and fails the
// test unless it gets want.
func mustDo(t *testing.T, role officer.Role, method, url string, body any, want int) []byte {
	t.Helper()
	resp, err := as(role).Do(jsonRequest(t, method, url, body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: %d %s, want %d", method, url, resp.StatusCode, out, want)
	}
	return out
}

// jsonRequest is a request with body as JSON (none when nil).
func jsonRequest(t *testing.T, method, url string, body any) *http.Request {
	t.Helper()
	var r io.Reader = http.NoBody
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	return req
}

func decode(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
}
