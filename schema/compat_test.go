package schema_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/lumbung/lumbung/schema"
)

// TestNewerChangeKept: a change a newer version made (an op or a body field
// this version does not know) decodes, keeps its bytes through a
// decode/encode round trip (so it is forwarded and digested as written),
// and says it is not understood.
func TestNewerChangeKept(t *testing.T) {
	for name, edit := range map[string]func(*schema.Change){
		"unknown op": func(c *schema.Change) {
			c.Op = "complaint.attach"
			c.Body = []byte(`{"photo":"sha256:ab","bytes":4821}`)
		},
		"unknown body field": func(c *schema.Change) { c.Body = []byte(`{"action":"verify","priority":"high"}`) },
	} {
		c := sampleChange()
		c.Op = schema.OpComplaintAction
		c.Body = []byte(`{"action":"verify"}`)
		if !c.Understood() {
			t.Fatalf("%s: today's action is not understood", name)
		}
		edit(c)
		enc := schema.EncodeChange(c)
		got, err := schema.DecodeChange(enc)
		if err != nil {
			t.Fatalf("%s: DecodeChange: %v", name, err)
		}
		if again := schema.EncodeChange(got); !bytes.Equal(again, enc) {
			t.Errorf("%s: round trip changed the change:\n%s\n%s", name, enc, again)
		}
		if got.Understood() {
			t.Errorf("%s: Understood() = true for a newer version's change", name)
		}
	}
}

func TestDecodeBody(t *testing.T) {
	var in schema.ActionInput
	if err := schema.DecodeBody([]byte(`{"action":"verify","note":"ok"}`), &in); err != nil || in.Note != "ok" {
		t.Errorf("a known body: %v %+v", err, in)
	}
	if err := schema.DecodeBody([]byte(`{"action":"verify","priority":1}`), &in); !errors.Is(err, schema.ErrNotUnderstood) {
		t.Errorf("a body with a newer field: %v, want ErrNotUnderstood", err)
	}
	if err := schema.DecodeBody([]byte(`{"action":5}`), &in); !errors.Is(err, schema.ErrDecode) || errors.Is(err, schema.ErrNotUnderstood) {
		t.Errorf("a malformed body: %v, want ErrDecode only", err)
	}
}
