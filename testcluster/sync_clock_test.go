package testcluster

import (
	"context"
	"testing"
	"time"

	"github.com/lumbung/lumbung/localcluster"
	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/schema/sample"
)

// TestWrongClock: a desa laptop three days fast, then one three days
// slow, loses nothing; after its first exchange it stamps changes with the
// kecamatan's time, so it does not win every later conflict; the
// kecamatan's clock is not dragged ahead; and the officer sees a warning.
func TestWrongClock(t *testing.T) {
	for _, off := range []time.Duration{72 * time.Hour, -72 * time.Hour} {
		t.Run(off.String(), func(t *testing.T) { wrongClock(t, off) })
	}
}

func wrongClock(t *testing.T, off time.Duration) {
	ctx := context.Background()
	kec := NewCluster(t, 1, ClusterOptions{})
	const region = schema.Code("32.14.02.2001")
	token, err := localcluster.Enroll(kec.Members[0].URL, region)
	if err != nil {
		t.Fatal(err)
	}
	laptop := func() time.Time { return time.Now().Add(off) }
	dir := t.TempDir()
	desa, err := localcluster.StartDesa(dir, region, DesaOptions{Logger: Logger(t), Upstream: "http://127.0.0.1:1", Token: token, Uplink: localcluster.FastUplink, Now: laptop})
	if err != nil {
		t.Fatal(err)
	}
	gen := sample.New(9)
	// Taken offline with the wrong clock.
	early, err := desa.Node().Store().CreateComplaint(ctx, gen.Complaint(region))
	if err != nil {
		t.Fatal(err)
	}
	if err := desa.Stop(); err != nil {
		t.Fatal(err)
	}
	desa, err = localcluster.StartDesa(dir, region, DesaOptions{Logger: Logger(t), Upstream: kec.Members[0].URL, Token: token, Uplink: localcluster.FastUplink, Now: laptop})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = desa.Stop() })
	kst := kec.Members[0].Node().Store()
	waitFor(t, func() bool { _, err := kst.Complaint(early.ID); return err == nil }, 20*time.Second, "the early complaint upstream")

	st := desa.Node().SyncStatus()
	if len(st.Warnings) == 0 || st.Warnings[0].Code != "clock_skew" || st.Warnings[0].Message == "" {
		t.Fatalf("no clock warning for the officer: %+v", st.Warnings)
	}
	t.Logf("warning: %s", st.Warnings[0].Message)
	// After the exchange the desa stamps with the kecamatan's time.
	later, err := desa.Node().Store().CreateComplaint(ctx, gen.Complaint(region))
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(time.UnixMilli(later.CreatedWall)); d > time.Minute || d < -time.Minute {
		t.Fatalf("a change after the exchange is stamped %s from the real time", d)
	}
	// The kecamatan's own clock was not dragged three days ahead.
	act, _ := gen.Action("received")
	acted, err := kec.Members[0].Node().ActOnComplaint(ctx, early.ID, act)
	if err != nil {
		t.Fatal(err)
	}
	own, err := kec.Members[0].Node().CreateComplaint(ctx, gen.Complaint("32.14.02.2002"))
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(time.UnixMilli(own.CreatedWall)); d > time.Minute || d < -time.Minute {
		t.Fatalf("the kecamatan's clock moved %s", d)
	}
	// The action on the early complaint orders after its creation: it is
	// applied, not superseded, on both sides.
	if got := acted; got.Status != "verified" {
		t.Fatalf("kecamatan: the action on a future-stamped complaint gives %s", got.Status)
	}
	waitFor(t, func() bool {
		c, err := desa.Node().Store().Complaint(early.ID)
		return err == nil && c.Status == "verified"
	}, 20*time.Second, "the action at the desa")
	waitFor(t, func() bool { _, err := kst.Complaint(later.ID); return err == nil }, 20*time.Second, "the later complaint upstream")
}
