package httpapi

import (
	"errors"
	"net/http"
	"strings"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/schema"
	"github.com/lumbung/lumbung/seal"
)

// The office's identity key (node/keyring.go, seal/DESIGN.md), for an
// admin: whether the office has one and whether it is unlocked; making
// one for an office made before identity keys (its recovery key answered
// once); unlocking it with the recovery key when every officer has
// forgotten their password. The recovery key travels in a body, never a
// URL, and is never logged.

// IdentityStatus says where the office's identity key stands.
type IdentityStatus struct {
	HasKey    bool   `json:"has_key"`
	Unlocked  bool   `json:"unlocked"`
	PublicKey string `json:"public_key,omitempty"`
	// SealedTo names the offices a reporter taken here now is sealed to:
	// this one and those above it whose keys have come down.
	SealedTo []schema.Code `json:"sealed_to"`
}

// RecoveryAnswer carries a new office key's recovery key, shown once.
type RecoveryAnswer struct {
	RecoveryKey string `json:"recovery_key"`
}

// UnlockInput is the recovery key as typed from paper.
type UnlockInput struct {
	RecoveryKey string `json:"recovery_key"`
}

var (
	msgOfficeKeyExists = locale.Define("api.office_key_exists", "Kantor ini sudah punya kunci identitas pelapor.",
		"This office has its reporters' identity key already.")
	msgNoOfficeKey = locale.Define("api.no_office_key", "Kantor ini belum punya kunci identitas pelapor: buat dulu (lumbung identity key).",
		"This office has no reporters' identity key yet: make one first (lumbung identity key).")
	msgBadRecoveryKey = locale.Define("api.bad_recovery_key", "Kunci pemulihan tidak terbaca: 52 huruf dan angka, dalam kelompok empat.",
		"The recovery key does not read: 52 letters and digits, in groups of four.")
	msgWrongRecoveryKey = locale.Define("api.wrong_recovery_key", "Kunci pemulihan ini bukan milik kantor ini.",
		"This recovery key is not this office's.")
)

func (a *api) identityStatus(w http.ResponseWriter, r *http.Request) {
	st := IdentityStatus{Unlocked: a.st.Unlocked()}
	var err error
	if st.SealedTo, err = a.st.SealsTo(); err != nil {
		a.fail(w, r, err)
		return
	}
	if pub, ok, err := a.st.OfficePublicKey(); err != nil {
		a.fail(w, r, err)
		return
	} else if ok {
		st.HasKey, st.PublicKey = true, pub
	}
	locale.WriteJSON(w, http.StatusOK, st)
}

func (a *api) makeOfficeKey(w http.ResponseWriter, r *http.Request) {
	rk, err := a.n.MakeOfficeKey(r.Context())
	if errors.Is(err, node.ErrOfficeKeyExists) {
		locale.WriteError(w, r, newError(http.StatusConflict, "office_key_exists", msgOfficeKeyExists))
		return
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.log.Info("office identity key made", "by", actor(r))
	locale.WriteJSON(w, http.StatusCreated, RecoveryAnswer{RecoveryKey: rk})
}

func (a *api) unlockIdentities(w http.ResponseWriter, r *http.Request) {
	var in UnlockInput
	if e := decodeJSON(w, r, 4<<10, &in); e != nil {
		locale.WriteError(w, r, e)
		return
	}
	if e := a.unlock(r, in.RecoveryKey); e != nil {
		locale.WriteError(w, r, e)
		return
	}
	locale.WriteJSON(w, http.StatusOK, IdentityStatus{HasKey: true, Unlocked: true})
}

// unlock unlocks the office's key with the recovery key typed, as the
// API and the page both do; it returns the refusal in words, or nil.
func (a *api) unlock(r *http.Request, typed string) *apiError {
	err := a.st.UnlockWithRecovery(typed)
	switch {
	case errors.Is(err, node.ErrNotFound):
		return newError(http.StatusConflict, "no_office_key", msgNoOfficeKey)
	case errors.Is(err, seal.ErrMalformed):
		return newError(http.StatusBadRequest, "bad_recovery_key", msgBadRecoveryKey)
	case errors.Is(err, seal.ErrOpen):
		a.log.Warn("office identity key: a wrong recovery key", "by", actor(r))
		return newError(http.StatusForbidden, "wrong_recovery_key", msgWrongRecoveryKey)
	case err != nil:
		return errorFor(err)
	}
	a.log.Info("office identity key unlocked by the recovery key", "by", actor(r))
	return nil
}

// SubjectInput is the NIK of a subject-access request.
type SubjectInput struct {
	NIK string `json:"nik"`
}

// SubjectAnswer is which complaints this node holds for a NIK: never the
// identity itself. Locked counts anonymous reporters that could not be
// searched, the office's key being locked.
type SubjectAnswer struct {
	Region     string            `json:"region"`
	Tier       string            `json:"tier"`
	Complaints []node.SubjectHit `json:"complaints"`
	Locked     int               `json:"locked"`
}

var msgSubjectNIK = locale.Define("api.subject_nik", "NIK harus 16 angka.", "A NIK is 16 digits.")

// subjectAccess answers a subject-access request (UU 27/2022) for an
// admin: the complaints this node holds whose reporter has the NIK. The
// NIK travels in the body, never a URL; the request is in the audit
// trail as every request is.
func (a *api) subjectAccess(w http.ResponseWriter, r *http.Request) {
	var in SubjectInput
	if e := decodeJSON(w, r, 4<<10, &in); e != nil {
		locale.WriteError(w, r, e)
		return
	}
	if len(in.NIK) != 16 || strings.Trim(in.NIK, "0123456789") != "" {
		locale.WriteError(w, r, newError(http.StatusBadRequest, "bad_nik", msgSubjectNIK))
		return
	}
	hits, locked, err := a.st.SubjectComplaints(in.NIK)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.log.Info("subject-access request answered", "by", actor(r), "complaints", len(hits))
	locale.WriteJSON(w, http.StatusOK, SubjectAnswer{Region: string(a.cfg.Region), Tier: string(a.cfg.Tier),
		Complaints: hits, Locked: locked})
}

// EraseInput names the complaint whose reporter's identity to erase.
type EraseInput struct {
	ID string `json:"id"`
}

// EraseAnswer says whether this request erased the identity (false: it
// was erased already).
type EraseAnswer struct {
	ID     string `json:"id"`
	Erased bool   `json:"erased"`
}

// eraseIdentity erases a complaint's reporter's identity on request
// (UU 27/2022), for an admin: a change that replicates to every tier that
// holds the identity and removes it there; the complaint stays.
func (a *api) eraseIdentity(w http.ResponseWriter, r *http.Request) {
	var in EraseInput
	if e := decodeJSON(w, r, 4<<10, &in); e != nil {
		locale.WriteError(w, r, e)
		return
	}
	erased, err := a.n.EraseIdentity(r.Context(), strings.TrimSpace(in.ID), actor(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.log.Info("reporter identity erased", "by", actor(r), "complaint", in.ID, "erased", erased)
	locale.WriteJSON(w, http.StatusOK, EraseAnswer{ID: strings.TrimSpace(in.ID), Erased: erased})
}
