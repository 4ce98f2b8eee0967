package testcluster

import (
	"strings"
	"testing"
	"time"

	"github.com/lumbung/lumbung/localcluster"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/replication/trust"
	"github.com/lumbung/lumbung/schema"
)

// TestPinnedUpstream: a desa given the token `lumbung enroll` prints
// syncs over HTTPS, verifying its kecamatan by the pin in the token, with
// nothing for the officer to set up (an http:// address typed at init
// still gets TLS); the kecamatan's restart, which gives it a new
// certificate, does not stop it; a desa whose upstream shows another
// certificate refuses to sync, sends nothing and says why in words; and a
// desa enrolled before HTTPS (a token without a pin) goes on syncing over
// plain HTTP with a warning its officer sees, until it is given a new
// token, after which it syncs over HTTPS as the same laptop.
func TestPinnedUpstream(t *testing.T) {
	kec := NewCluster(t, 1, ClusterOptions{})
	other := NewCluster(t, 1, ClusterOptions{Region: "32.14.03"})
	kecURL := kec.Members[0].URL
	const region, second, old = schema.Code("32.14.02.2001"), schema.Code("32.14.02.2002"), schema.Code("32.14.02.2003")
	printed, err := localcluster.Enroll(kecURL, region)
	if err != nil {
		t.Fatal(err)
	}
	if tok, err := trust.ParseEnrollToken(printed); err != nil || tok.Pin.IsZero() {
		t.Fatalf("lumbung enroll printed %q: want a token with the kecamatan's pin (%v)", printed, err)
	}
	desa, err := localcluster.StartDesa(t.TempDir(), region, DesaOptions{Logger: Logger(t), Upstream: kecURL, Token: printed,
		Uplink: localcluster.FastUplink})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = desa.Stop() })
	kecAPI := apiClient(t, kecURL)
	id := takeComplaint(t, desa.URL, region)
	waitFor(t, func() bool { return hasComplaint(kecAPI, id) }, 30*time.Second, "the complaint at the kecamatan")
	st := desa.Node().SyncStatus()
	if !strings.HasPrefix(st.Uplink.URL, "https://") || hasWarning(st.Warnings, "plain_upstream") {
		t.Fatalf("the pinned desa syncs with %s, warnings %+v: want HTTPS and no warning", st.Uplink.URL, st.Warnings)
	}

	// The kecamatan restarts: a new leaf certificate, the same pin.
	if err := kec.Members[0].Stop(); err != nil {
		t.Fatal(err)
	}
	if err := kec.Members[0].Start(); err != nil {
		t.Fatal(err)
	}
	kecAPI = apiClient(t, kecURL)
	id = takeComplaint(t, desa.URL, region)
	waitFor(t, func() bool { return hasComplaint(kecAPI, id) }, 60*time.Second, "a complaint after the kecamatan's restart")

	// A desa whose token pins another cluster's key: its kecamatan's
	// certificate is refused before a byte of the exchange is sent.
	forged, err := localcluster.Enroll(kecURL, second)
	if err != nil {
		t.Fatal(err)
	}
	otherPrinted, err := localcluster.Enroll(other.Members[0].URL, "32.14.03.2001")
	if err != nil {
		t.Fatal(err)
	}
	secret, _, _ := strings.Cut(forged, ".")
	_, otherPin, _ := strings.Cut(otherPrinted, ".")
	wrong, err := localcluster.StartDesa(t.TempDir(), second, DesaOptions{Logger: Logger(t), Upstream: kecURL, Token: secret + "." + otherPin,
		Uplink: localcluster.FastUplink})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = wrong.Stop() })
	lost := takeComplaint(t, wrong.URL, second)
	waitFor(t, func() bool {
		up := wrong.Node().SyncStatus().Uplink
		return up.Failures >= 2 && strings.Contains(up.LastError, "sertifikat")
	}, 30*time.Second, "the refusal of another certificate, in words")
	if up := wrong.Node().SyncStatus().Uplink; up.Exchanges != 0 || up.Pending == 0 || !strings.Contains(up.LastErrorEN, "certificate") {
		t.Fatalf("the desa with another pin: %+v", up)
	}
	if hasComplaint(kecAPI, lost) {
		t.Fatal("a complaint crossed to an upstream whose certificate was refused")
	}

	// A desa enrolled before HTTPS: its token has no pin, its address is
	// http://. It syncs, and its officer is warned.
	oldPrinted, err := localcluster.Enroll(kecURL, old)
	if err != nil {
		t.Fatal(err)
	}
	oldSecret, _, _ := strings.Cut(oldPrinted, ".")
	legacy, err := localcluster.StartDesa(t.TempDir(), old, DesaOptions{Logger: Logger(t), Upstream: kecURL, Token: oldSecret,
		Uplink: localcluster.FastUplink})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = legacy.Stop() })
	id = takeComplaint(t, legacy.URL, old)
	waitFor(t, func() bool { return hasComplaint(kecAPI, id) }, 30*time.Second, "the old desa's complaint at the kecamatan")
	if st := legacy.Node().SyncStatus(); !strings.HasPrefix(st.Uplink.URL, "http://") || !hasWarning(st.Warnings, "plain_upstream") {
		t.Fatalf("the desa enrolled before HTTPS: %s, warnings %+v: want plain HTTP and a warning", st.Uplink.URL, st.Warnings)
	}
	// Re-enrolled as the README says (the old token revoked, a new one
	// issued and set with lumbung sync token --set), it syncs over HTTPS
	// as the same laptop.
	if err := legacy.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := kec.Members[0].Node().Revoke(t.Context(), string(old)); err != nil {
		t.Fatal(err)
	}
	renewed, err := localcluster.Enroll(kecURL, old)
	if err != nil {
		t.Fatal(err)
	}
	if err := legacy.SetUplink(kecURL, renewed); err != nil {
		t.Fatal(err)
	}
	if err := legacy.Start(); err != nil {
		t.Fatal(err)
	}
	id = takeComplaint(t, legacy.URL, old)
	waitFor(t, func() bool { return hasComplaint(kecAPI, id) }, 30*time.Second, "the re-enrolled desa's complaint at the kecamatan")
	if st := legacy.Node().SyncStatus(); !strings.HasPrefix(st.Uplink.URL, "https://") || hasWarning(st.Warnings, "plain_upstream") {
		t.Fatalf("the re-enrolled desa: %s, warnings %+v", st.Uplink.URL, st.Warnings)
	}
}

func hasWarning(ws []node.Warning, code string) bool {
	for _, w := range ws {
		if w.Code == code {
			return true
		}
	}
	return false
}
