package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/cockroachdb/pebble/v2"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/schema"
)

// TestStolenLaptop: a stopped desa's data directory is copied, as a
// stolen laptop's disk would be. With the project's own tools the thief
// adds an officer of their own (lumbung officer add --data), starts the
// node and logs in: the anonymous reporter and the ordinary one stay
// locked. Decoding every key and value of the store, or reading every
// file (the write-ahead log's included), finds none of either reporter's
// name, NIK or phone.
func TestStolenLaptop(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, "init", "--data", dir, "--tier", "desa", "--region", testDesa)
	planted := []string{"Kartawijaya", "3214020101700022", "081299990022", "Wiranatakusuma", "3214020101700011", "081299990011"}
	st, err := node.OpenStore(node.DefaultStoreConfig(node.StoreDir(dir), testDesa))
	if err != nil {
		t.Fatal(err)
	}
	c, err := st.CreateComplaint(context.Background(), &schema.ComplaintInput{Region: testDesa, Channel: "walk_in",
		Category: "lainnya", Title: "Kepala desa meminta uang", Description: "Diminta uang untuk surat keterangan usaha.",
		Reporter: schema.Reporter{Name: "Kartawijaya Anonim", NIK: planted[1], Phone: planted[2], Anonymous: true}})
	if err != nil {
		t.Fatal(err)
	}
	ordinary, err := st.CreateComplaint(context.Background(), &schema.ComplaintInput{Region: testDesa, Channel: "walk_in",
		Category: "lainnya", Title: "Jalan desa rusak", Description: "Jalan utama berlubang sejak musim hujan.",
		Reporter: schema.Reporter{Name: "Wiranatakusuma Biasa", NIK: planted[4], Phone: planted[5]}})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	stolen := filepath.Join(t.TempDir(), "curian")
	if err := os.CopyFS(stolen, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	out := mustRun(t, "officer", "add", "--data", stolen, "--name", "maling", "--full-name", "Orang Lain", "--role", "operator")
	m := oneTimeRE.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no one-time password in %q", out)
	}
	n := openNode(t, stolen)
	if _, _, err := n.Login(context.Background(), "maling", m[1], officer.Browser, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	got, err := n.Store().Complaint(c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Reporter.IdentityLocked || got.Reporter.Name != "" || got.Reporter.NIK != "" || got.Reporter.Phone != "" {
		t.Fatalf("the thief's officer reads the reporter: %+v", got.Reporter)
	}
	if got, err = n.Store().Complaint(ordinary.ID); err != nil || !got.Reporter.IdentityLocked || got.Reporter.NIK != "" {
		t.Fatalf("the thief's officer reads the ordinary reporter: %+v %v", got, err)
	}

	var decoded []byte
	db, err := pebble.Open(node.StoreDir(dir), &pebble.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	it, _ := db.NewIter(&pebble.IterOptions{})
	for it.First(); it.Valid(); it.Next() {
		decoded = append(append(decoded, it.Key()...), it.Value()...)
	}
	_ = it.Close()
	_ = db.Close()
	var files []byte
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(path)
			files = append(files, b...)
		}
		return nil
	})
	if len(decoded) < 1000 || len(files) < 1000 {
		t.Fatalf("decoded %d bytes, read %d", len(decoded), len(files))
	}
	for _, v := range planted {
		if bytes.Contains(decoded, []byte(v)) || bytes.Contains(files, []byte(v)) {
			t.Errorf("the copied directory yields %q", v)
		}
	}
}
