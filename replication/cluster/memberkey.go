package cluster

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/lumbung/lumbung/locale"
)

// A cluster's members prove to each other that they are members with the
// cluster's member key, a random secret every member holds in its data
// directory (node.MemberKeyFile) and sends with each request to another
// member (Authorization: Member <key>). The member endpoints (propose,
// readindex, join, remove) answer nobody else: not a caller with no
// credential, not a wrong key, and not an officer's session, whose
// powers are checked by the officers' API and never reach raft. It holds
// until members authenticate each other over TLS.

// memberScheme is the Authorization scheme of the member key.
const memberScheme = "Member "

// NewMemberKey returns a new random member key: 32 bytes, base64url.
func NewMemberKey() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("cluster: no randomness: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// ValidMemberKey says whether k looks like a member key.
func ValidMemberKey(k string) bool {
	b, err := base64.RawURLEncoding.DecodeString(k)
	return err == nil && len(b) == 32
}

var (
	msgMemberRequired = locale.Define("cluster.member_required", "Hanya anggota klaster ini yang boleh memanggil ini.",
		"Only a member of this cluster may call this.")
	msgNotForOfficers = locale.Define("cluster.not_for_officers", "Sesi petugas tidak dapat memanggil titik akhir antaranggota klaster.",
		"An officer's session cannot call the cluster's member endpoints.")
)

// onlyMembers lets a request through only with this cluster's member key.
func (c *Cluster) onlyMembers(next http.Handler) http.Handler {
	want := []byte(memberScheme + c.cfg.MemberKey)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		if _, err := r.Cookie("lumbung_session"); err == nil || strings.HasPrefix(auth, "Bearer ") {
			writeError(w, r, http.StatusForbidden, "members_only", msgNotForOfficers, nil)
			return
		}
		if c.cfg.MemberKey == "" || subtle.ConstantTimeCompare([]byte(auth), want) != 1 {
			writeError(w, r, http.StatusUnauthorized, "member_required", msgMemberRequired, nil)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// authorize adds this member's key to a request to another member.
func (c *Cluster) authorize(req *http.Request) {
	req.Header.Set("Authorization", memberScheme+c.cfg.MemberKey)
}

// AuthorizeMember adds a member key to a request a member-to-be makes
// (node.JoinCluster).
func AuthorizeMember(req *http.Request, key string) {
	req.Header.Set("Authorization", memberScheme+key)
}
