package httpapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	demo "github.com/lumbung/lumbung/internal/staff"
	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/officer"
	"github.com/lumbung/lumbung/replication/cluster"
	"github.com/lumbung/lumbung/replication/exchange"
)

// TestOneErrorShape sends a bad request to each HTTP surface a cluster
// member serves on one real server (the officers' API, where the member
// endpoints are not, the sync exchange) and reads every answer in the one shape,
// {"error": {"code", "message", "fields"}}, with nothing else in it, in
// the language asked for; the exchange's refusals also carry the message
// in both languages ("messages"), which the uplink keeps.
func TestOneErrorShape(t *testing.T) {
	_, srv := serveTestMember(t)
	hire(t, srv.URL)
	operator := demo.Lookup(srv.URL).Token(officer.Operator)

	for _, tc := range []struct {
		surface, method, path, body string
		status                      int
		code, field                 string
	}{
		{"api", "GET", "/api/v1/nowhere", "", 404, "no_route", ""},
		{"api", "POST", "/api/v1/complaints", `{"title": 5}`, 400, "invalid_json", "title"},
		{"cluster", "POST", cluster.PathJoin, `{}`, 404, "no_route", ""}, // on the raft port only
		{"exchange", "POST", exchange.Path, "", 401, "bad_token", ""},
		{"exchange", "GET", exchange.Path, "", 405, "method", ""},
	} {
		var said [2]string
		for i, lang := range []string{"id", "en"} {
			req, err := http.NewRequest(tc.method, srv.URL+tc.path, bytes.NewBufferString(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Accept-Language", lang)
			req.Header.Set("Content-Type", "application/json")
			if tc.surface == "api" {
				req.Header.Set("Authorization", "Bearer "+operator)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var body locale.ErrorBody
			dec := json.NewDecoder(resp.Body)
			dec.DisallowUnknownFields()
			err = dec.Decode(&body)
			resp.Body.Close()
			where := tc.surface + " " + tc.method + " " + tc.path + " (" + lang + ")"
			switch {
			case err != nil:
				t.Errorf("%s: not the one error shape: %v", where, err)
			case resp.StatusCode != tc.status || body.Error.Code != tc.code || body.Error.Message == "":
				t.Errorf("%s: %d %+v, want %d %s with a message", where, resp.StatusCode, body.Error, tc.status, tc.code)
			case resp.Header.Get("Content-Type") != "application/json; charset=utf-8":
				t.Errorf("%s: Content-Type %q", where, resp.Header.Get("Content-Type"))
			case tc.field != "" && body.Error.Fields[tc.field] == "":
				t.Errorf("%s: no word on the field %s: %+v", where, tc.field, body.Error)
			case len(body.Error.Extra) > 0:
				t.Errorf("%s: more than the one shape: %+v", where, body.Error.Extra)
			case (tc.surface == "exchange") != (body.Error.Messages != nil):
				t.Errorf("%s: both languages %+v; want them from the exchange only", where, body.Error.Messages)
			case body.Error.Messages != nil && (body.Error.Messages.ID == "" || body.Error.Messages.EN == "" || body.Error.Messages.In(locale.Parse(lang)) != body.Error.Message):
				t.Errorf("%s: both languages %+v, message %q", where, body.Error.Messages, body.Error.Message)
			}
			said[i] = body.Error.Message
		}
		if said[0] == said[1] {
			t.Errorf("%s %s: the same message in Indonesian and English: %q", tc.surface, tc.path, said[0])
		}
	}
}
