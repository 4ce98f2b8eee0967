package node

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/lumbung/lumbung/replication/cluster"
	"github.com/lumbung/lumbung/schema"
)

// apiError is what a client is told when a request cannot be served: a
// stable code for programs, a sentence for people, and the fields at fault.
type apiError struct {
	status int
	code   string
	msg    schema.Msg
	fields map[string]schema.Msg
}

type errorBody struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields,omitempty"`
	} `json:"error"`
}

// lang picks the language of messages: English when the client asks for
// it (?lang=en or Accept-Language: en…), Indonesian otherwise.
func lang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l != "" {
		return l
	}
	return r.Header.Get("Accept-Language")
}

func writeError(w http.ResponseWriter, r *http.Request, e *apiError) {
	var body errorBody
	body.Error.Code = e.code
	body.Error.Message = e.msg.In(lang(r))
	if len(e.fields) > 0 {
		body.Error.Fields = map[string]string{}
		for f, m := range e.fields {
			body.Error.Fields[f] = m.In(lang(r))
		}
	}
	writeJSON(w, e.status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

func newError(status int, code, id, en string) *apiError {
	return &apiError{status: status, code: code, msg: schema.Msg{ID: id, EN: en}}
}

// errorFor maps an error from the store or the model to what the client
// is told. Only an error no input can cause becomes a 500.
func errorFor(err error) *apiError {
	var ve *schema.ValidationError
	var te *schema.TransitionError
	var ae *ApprovalError
	switch {
	case errors.As(err, &ae):
		return &apiError{status: ae.Status, code: ae.Code, msg: ae.Msg}
	case errors.As(err, &ve):
		e := newError(http.StatusUnprocessableEntity, "invalid_input",
			"Data tidak valid; periksa kolom yang disebut.", "The data is not valid; check the fields named.")
		e.fields = ve.Fields
		return e
	case errors.As(err, &te):
		return &apiError{status: http.StatusConflict, code: "invalid_action", msg: te.Msg}
	case errors.Is(err, ErrNotFound):
		return newError(http.StatusNotFound, "not_found", "Data tidak ditemukan di node ini.",
			"Not found on this node.")
	case errors.Is(err, ErrAlreadySubmitted):
		return newError(http.StatusConflict, "already_submitted",
			"Monografi periode ini sudah diajukan dan belum diubah sejak itu.",
			"This period's monografi was already submitted and has not changed since.")
	case errors.Is(err, ErrNotAbove):
		return newError(http.StatusForbidden, "not_above",
			"Katalog dan daftar wilayah hanya dapat ditambah oleh node kecamatan, kabupaten atau di atasnya, untuk wilayahnya sendiri.",
			"Only a kecamatan, kabupaten or higher node extends the catalogue or the region list, for its own region.")
	case errors.Is(err, ErrBadCursor):
		return newError(http.StatusBadRequest, "bad_cursor", "Kursor halaman tidak dikenal; mulai lagi dari halaman pertama.",
			"Unknown page cursor; start again from the first page.")
	case errors.Is(err, cluster.ErrUnknownOutcome):
		return newError(http.StatusServiceUnavailable, "unknown_outcome",
			"Pemimpin klaster berganti saat data ini disimpan, jadi belum pasti tersimpan. Periksa daftar dulu sebelum mengulang agar tidak tercatat dua kali.",
			"The cluster leader changed while this was being stored, so it may or may not be stored. Check the list before trying again, so it is not recorded twice.")
	case errors.Is(err, ErrBadResult):
		return newError(http.StatusBadGateway, "bad_leader_answer",
			"Jawaban pemimpin klaster tidak dapat dibaca, jadi belum pasti data ini tersimpan. Periksa daftar dulu sebelum mengulang agar tidak tercatat dua kali.",
			"The cluster leader's answer could not be read, so this may or may not be stored. Check the list before trying again, so it is not recorded twice.")
	case errors.Is(err, cluster.ErrNoLeader), errors.Is(err, cluster.ErrShutdown), errors.Is(err, ErrNotReady):
		return newError(http.StatusServiceUnavailable, "no_leader",
			"Klaster sedang memilih pemimpin atau belum siap; coba lagi sebentar lagi. Data yang sudah tersimpan aman.",
			"The cluster is electing a leader or is not ready yet; try again shortly. Data already stored is safe.")
	case errors.Is(err, ErrStoreFailed), errors.Is(err, ErrClosed), errors.Is(err, context.Canceled),
		errors.Is(err, context.DeadlineExceeded):
		return newError(http.StatusServiceUnavailable, "unavailable",
			"Node sedang tidak dapat menyimpan data; coba lagi sebentar lagi. Data yang sudah tersimpan aman.",
			"The node cannot store data right now; try again shortly. Data already stored is safe.")
	}
	return newError(http.StatusInternalServerError, "internal", "Terjadi kesalahan di node ini; sudah dicatat di log.",
		"Something went wrong on this node; it has been logged.")
}

// decodeJSON reads one JSON object into v, refusing unknown fields, wrong
// types, trailing data and bodies over max bytes.
func decodeJSON(w http.ResponseWriter, r *http.Request, max int64, v any) *apiError {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return newError(http.StatusUnsupportedMediaType, "unsupported_media_type",
			"Kirim data sebagai JSON (Content-Type: application/json).", "Send the data as JSON (Content-Type: application/json).")
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, max))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("trailing data after the JSON object")
	}
	if err == nil {
		if _, terr := dec.Token(); terr != io.EOF {
			err = errors.New("trailing data after the JSON object")
		}
	}
	if err == nil {
		return nil
	}
	return jsonError(err, max)
}

func jsonError(err error, max int64) *apiError {
	var tooBig *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	var syntax *json.SyntaxError
	switch {
	case errors.As(err, &tooBig):
		return newError(http.StatusRequestEntityTooLarge, "too_large",
			fmt.Sprintf("Data terlalu besar: paling banyak %d byte.", max),
			fmt.Sprintf("The request is too large: at most %d bytes.", max))
	case errors.As(err, &typeErr):
		e := newError(http.StatusBadRequest, "invalid_json", "Jenis data salah pada kolom yang disebut.",
			"A field has the wrong type.")
		field := typeErr.Field
		if field == "" {
			field = "(body)"
		}
		e.fields = map[string]schema.Msg{field: {ID: "harus berupa " + typeID(typeErr.Type.Kind().String()),
			EN: "must be " + typeErr.Type.String() + ", not " + typeErr.Value}}
		return e
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return newError(http.StatusBadRequest, "invalid_json", "Data bukan JSON yang sah: "+err.Error(),
			"The body is not valid JSON: "+err.Error())
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		e := newError(http.StatusBadRequest, "invalid_json", "Ada kolom yang tidak dikenal.", "There is an unknown field.")
		e.fields = map[string]schema.Msg{f: {ID: "kolom tidak dikenal", EN: "unknown field"}}
		return e
	}
	return newError(http.StatusBadRequest, "invalid_json", "Data tidak dapat dibaca: "+err.Error(),
		"The body cannot be read: "+err.Error())
}

func typeID(kind string) string {
	switch kind {
	case "string":
		return "teks"
	case "bool":
		return "true atau false"
	case "float64", "int", "int64", "uint64":
		return "angka"
	case "map", "struct":
		return "objek JSON"
	case "slice":
		return "daftar"
	}
	return kind
}
