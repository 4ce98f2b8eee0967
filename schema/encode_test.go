package schema_test

import (
	"encoding/json"
	"testing"

	"github.com/lumbung/lumbung/schema"
)

// TestEncodeChangeMatchesMarshal pins the hand-assembled canonical
// encoding to what encoding/json gives for the same change.
func TestEncodeChangeMatchesMarshal(t *testing.T) {
	texts := []string{"", "operator", "Budi <b>&amp;</b>", "baris\\nbaru \"kutip\"", "tab\tx\x01", "émoji ✓ 🌾",
		"sep\u2028line\u2029", "\xff bad utf8"}
	bodies := []string{`{}`, `{"a": 1, "b" : [1, 2]}`, `{"t":"<script>&</script>"}`, `{"t":"a\u2028b"}`, "{\"t\":\"a\u2028b\u2029c\"}", `null`, `[ ]`}
	for _, text := range texts {
		for _, body := range bodies {
			c := &schema.Change{Origin: schema.Origin{Region: "32.14.02.2001", Incarnation: "K7M2QX"}, Seq: 42,
				HLC: schema.HLC{Wall: 1_790_000_000_123, Logical: 7}, Actor: text, Entity: "complaint/" + text,
				Scope: "32.14.02.2001", Op: schema.OpComplaintAction, Body: json.RawMessage(body)}
			want, err := json.Marshal(c)
			if err != nil {
				t.Fatal(err)
			}
			if got := schema.EncodeChange(c); string(got) != string(want) {
				t.Errorf("actor %q body %q:\n got %s\nwant %s", text, body, got, want)
			}
			var v any
			if json.Unmarshal([]byte(body), &v) == nil {
				c.Body, _ = json.Marshal(v)
				if got, want := schema.EncodeMarshalled(c), schema.EncodeChange(c); string(got) != string(want) {
					t.Errorf("EncodeMarshalled differs for body %q:\n got %s\nwant %s", body, got, want)
				}
			}
		}
	}
}
