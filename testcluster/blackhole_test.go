package testcluster

import (
	"net/url"
	"testing"
	"time"

	"github.com/lumbung/lumbung/localcluster"
	"github.com/lumbung/lumbung/schema/sample"
)

// TestBlackHoleMidExchange: a desa's link swallows the bytes of an
// exchange in flight and then carries again, as a mobile link that lost
// its carrier without telling either end (or a middlebox that acknowledges
// and drops). The TCP connection stays open and neither end learns that
// the bytes are gone. The desa must abandon that exchange and catch up by
// itself. Found by the fault suite (seed 28): before uplinks bounded each
// exchange (UplinkConfig.Stall), the desa waited forever.
func TestBlackHoleMidExchange(t *testing.T) {
	kec := NewCluster(t, 1, ClusterOptions{})
	const region = "32.14.02.2001"
	token, err := localcluster.Enroll(kec.Members[0].URL, region)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(kec.Members[0].URL)
	link, err := localcluster.NewLink(u.Host, Shape{Rate: 4000}, 1) // slow, so an exchange is in flight for a while
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(link.Close)
	desa, err := localcluster.StartDesa(t.TempDir(), region, DesaOptions{Logger: Logger(t), Upstream: link.URL(), Token: token, Uplink: localcluster.FastUplink})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = desa.Stop() })
	gen := sample.New(3)
	for i := 0; i < 30; i++ {
		if _, err := desa.Node().Store().CreateComplaint(t.Context(), gen.Complaint(region)); err != nil {
			t.Fatal(err)
		}
	}
	// Swallow once the exchange has begun, then carry again.
	up0, _ := link.Bytes()
	waitFor(t, func() bool { up, _ := link.Bytes(); return up > up0+500 }, 10*time.Second, "an exchange under way")
	link.SetBlackHole(true)
	time.Sleep(300 * time.Millisecond) // bytes vanish for a while: the fault, not a wait for a condition
	link.SetBlackHole(false)
	waitFor(t, func() bool { return desa.PendingUp() == 0 }, 30*time.Second, "the desa to catch up after the black hole")
}
