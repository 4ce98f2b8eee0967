package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cockroachdb/pebble/v2"
	"github.com/lumbung/lumbung/internal/staff"
	"github.com/lumbung/lumbung/localcluster"
	"github.com/lumbung/lumbung/officer"
)

// IntakeConfig says how to measure complaint intake.
type IntakeConfig struct {
	// Binary is the lumbung command to run as the node under test.
	Binary string
	// Clients lists the concurrency levels to measure.
	Clients []int
	// Duration is how long each level runs.
	Duration time.Duration
	// RSSComplaints is how many complaints to load before reading the
	// node's resident memory a second time; 0 skips that step.
	RSSComplaints int
	// Log receives progress lines; nil discards them.
	Log io.Writer
}

// DefaultIntakeConfig measures 1, 16 and 64 clients for 5 s each and RSS
// after 100,000 complaints.
func DefaultIntakeConfig(binary string) IntakeConfig {
	return IntakeConfig{Binary: binary, Clients: []int{1, 16, 64}, Duration: 5 * time.Second, RSSComplaints: 100_000}
}

// Measure is one measured load: operations per second and latency
// percentiles.
type Measure struct {
	Ops       int
	PerSecond float64
	P50, P99  time.Duration
}

// IntakeLevel is one concurrency level: the HTTP intake beside a bare
// Pebble Sync commit of the same bytes, measured one after the other.
type IntakeLevel struct {
	Clients int
	HTTP    Measure
	Bare    Measure
}

// IntakeReport is the result of Intake.
type IntakeReport struct {
	Levels       []IntakeLevel
	BatchBytes   int   // bytes of the bare commit, the size of one complaint's write
	IdleRSS      int64 // bytes, -1 when the platform does not say
	LoadedRSS    int64
	LoadedCount  int
	LoadDuration time.Duration
}

// Intake runs a real `lumbung serve` process on a fresh desa data
// directory and measures complaint intake through its HTTP API with 1…n
// concurrent clients, each level beside a bare Pebble Sync commit of the
// same bytes in the same run; then its RSS idle and after many complaints.
func Intake(cfg IntakeConfig) (*IntakeReport, error) {
	logf := progress(cfg.Log)
	tmp, err := os.MkdirTemp("", "lumbung-bench-")
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	defer os.RemoveAll(tmp)
	proc, err := startBenchNode(cfg.Binary, filepath.Join(tmp, "node"))
	if err != nil {
		return nil, err
	}
	defer proc.Stop()
	// Idle: once the officers' logins have settled (package officer hands
	// a hash's 64 MiB back 2 s after the last one).
	time.Sleep(3 * time.Second)
	rep := &IntakeReport{IdleRSS: rss(proc.Pid())}
	logf("node up at %s, idle RSS %s", proc.URL, mib(rep.IdleRSS))
	body := complaintBody("bench")
	bare, err := openBare(filepath.Join(tmp, "bare"))
	if err != nil {
		return nil, err
	}
	defer bare.Close()
	rep.BatchBytes = bareBatchBytes(body)
	for _, c := range cfg.Clients {
		lvl := IntakeLevel{Clients: c}
		lvl.Bare = runLoad(c, cfg.Duration, 0, func(w, i int) error { return bareCommit(bare, w, i, body) })
		client := benchClient(c)
		lvl.HTTP = runLoad(c, cfg.Duration, 0, func(w, i int) error { return postBody(client, proc.URL, body) })
		logf("%3d clients: http %8.0f/s p50 %v p99 %v | bare sync %8.0f/s p50 %v p99 %v", c,
			lvl.HTTP.PerSecond, lvl.HTTP.P50, lvl.HTTP.P99, lvl.Bare.PerSecond, lvl.Bare.P50, lvl.Bare.P99)
		rep.Levels = append(rep.Levels, lvl)
	}
	if cfg.RSSComplaints > 0 {
		if err := loadComplaints(proc.URL, cfg.RSSComplaints, rep); err != nil {
			return nil, err
		}
		rep.LoadedRSS = rss(proc.Pid())
		logf("after %d complaints (%v): RSS %s", rep.LoadedCount, rep.LoadDuration.Round(time.Millisecond), mib(rep.LoadedRSS))
	}
	return rep, nil
}

// loadComplaints writes complaints until the node holds n in total.
func loadComplaints(url string, n int, rep *IntakeReport) error {
	var st struct {
		LogPosition int `json:"log_position"`
	}
	held := func() int {
		resp, err := benchClient(1).Get(url + "/api/v1/sync/status")
		if err != nil {
			return 0
		}
		defer resp.Body.Close()
		_ = json.NewDecoder(resp.Body).Decode(&st)
		return st.LogPosition
	}
	start := time.Now()
	body := complaintBody("muat")
	client := benchClient(32)
	var left atomic.Int64
	left.Store(int64(n - held()))
	var wg sync.WaitGroup
	var firstErr atomic.Value
	for w := 0; w < 32; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for left.Add(-1) >= 0 {
				if err := postBody(client, url, body); err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if err, _ := firstErr.Load().(error); err != nil {
		return err
	}
	rep.LoadedCount, rep.LoadDuration = held(), time.Since(start)
	return nil
}

// runLoad runs op from c goroutines for d (or until ops operations when
// ops > 0) and measures throughput and latency.
func runLoad(c int, d time.Duration, ops int, op func(worker, i int) error) Measure {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	lat := make([][]time.Duration, c)
	var wg sync.WaitGroup
	var done atomic.Int64
	start := time.Now()
	for w := 0; w < c; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ctx.Err() == nil && (ops == 0 || done.Load() < int64(ops)); i++ {
				t0 := time.Now()
				if op(w, i) != nil {
					return
				}
				lat[w] = append(lat[w], time.Since(t0))
				done.Add(1)
			}
		}(w)
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	m := Measure{Ops: len(all), PerSecond: float64(len(all)) / elapsed.Seconds()}
	if len(all) > 0 {
		m.P50, m.P99 = all[len(all)/2], all[len(all)*99/100]
	}
	return m
}

func complaintBody(tag string) []byte {
	b, _ := json.Marshal(map[string]any{"region": "32.14.02.2001", "channel": "walk_in", "category": "infrastruktur",
		"title": "Jembatan gantung di Dusun Cibeber rusak (" + tag + ")",
		"description": "Papan lantai jembatan gantung banyak yang lapuk dan dua sling penahan kendur. " +
			"Anak sekolah tiap pagi melintas; warga meminta perbaikan sebelum musim hujan.",
		"location": map[string]any{"address": "Dusun Cibeber", "rt": "002", "rw": "005"},
		"reporter": map[string]any{"name": "Dedi Kurniawan", "nik": "3214021207850003", "phone": "0813-2222-4545"}})
	return b
}

func benchClient(conns int) *http.Client {
	tr := &http.Transport{MaxIdleConns: conns * 2, MaxIdleConnsPerHost: conns * 2, IdleConnTimeout: time.Minute}
	return &http.Client{Transport: staff.Transport(officer.Operator, tr), Timeout: 30 * time.Second}
}

func postBody(client *http.Client, url string, body []byte) error {
	resp, err := client.Post(url+"/api/v1/complaints", "application/json", bytes.NewReader(body))
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		return fmt.Errorf("bench: intake answered %s", resp.Status)
	}
	return nil
}

func openBare(dir string) (*pebble.DB, error) {
	cache := pebble.NewCache(8 << 20)
	defer cache.Unref()
	db, err := pebble.Open(dir, &pebble.Options{Cache: cache, MemTableSize: 4 << 20, MemTableStopWritesThreshold: 4,
		Logger: quietLogger{}})
	if err != nil {
		return nil, fmt.Errorf("bench: open bare pebble: %w", err)
	}
	return db, nil
}

// bareBatch builds the batch a complaint write commits, with the same
// number of keys and bytes: the change and the materialised state (each
// about the request body plus its envelope), and the log, entity, scope,
// index and metadata keys.
func bareBatch(db *pebble.DB, w, i int, body []byte) *pebble.Batch {
	b := db.NewBatch()
	id := []byte(fmt.Sprintf("3214022001-W%05d-%08d", w, i))
	envelope := bytes.Repeat([]byte("e"), 180)
	_ = b.Set(append([]byte("chg/"), id...), append(append([]byte{}, body...), envelope...), nil)
	_ = b.Set(append([]byte("st/complaint/"), id...), append(append([]byte{}, body...), envelope...), nil)
	for _, p := range []string{"log/", "ent/", "sx/", "ix/s/", "ix/r/", "ix/t/", "hw/"} {
		_ = b.Set(append([]byte(p), id...), nil, nil)
	}
	for _, k := range []string{"meta/seq", "meta/pos", "meta/hlc"} {
		_ = b.Set([]byte(k), []byte("01234567"), nil)
	}
	return b
}

func bareBatchBytes(body []byte) int {
	return 2*(len(body)+180) + 7*30 + 3*16
}

func bareCommit(db *pebble.DB, w, i int, body []byte) error {
	b := bareBatch(db, w, i, body)
	defer b.Close()
	return b.Commit(pebble.Sync)
}

type quietLogger struct{}

func (quietLogger) Infof(string, ...any)         {}
func (quietLogger) Errorf(string, ...any)        {}
func (quietLogger) Fatalf(f string, args ...any) { panic(fmt.Sprintf(f, args...)) }

// rss reads a process's resident set size from /proc; -1 where there is
// no /proc (Windows, macOS).
func rss(pid int) int64 { return procStatus(strconv.Itoa(pid), "VmRSS:") }

// procStatus reads a size field of /proc/<pid>/status in bytes, or -1.
func procStatus(pid, field string) int64 {
	f, err := os.Open("/proc/" + pid + "/status")
	if err != nil {
		return -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return -1
}

func mib(b int64) string {
	if b < 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
}

func startBenchNode(bin, dir string) (*localcluster.Process, error) {
	out, err := exec.Command(bin, "init", "--data", dir, "--tier", "desa", "--region", "32.14.02.2001").CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("bench: lumbung init: %w: %s", err, out)
	}
	pw, ok := localcluster.FirstAdminPassword(string(out))
	if !ok {
		return nil, fmt.Errorf("bench: lumbung init printed no first admin: %s", out)
	}
	p, err := localcluster.Launch(bin, dir, "--log-level", "warn")
	if err != nil {
		return nil, err
	}
	// Every request is an operator's, with an API token, as in an office.
	if _, err := localcluster.Hire(p.URL, pw); err != nil {
		p.Stop()
		return nil, err
	}
	return p, nil
}
