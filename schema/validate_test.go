package schema_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/lumbung/lumbung/locale"
	"github.com/lumbung/lumbung/schema"
)

func TestCheckNIK(t *testing.T) {
	for nik, ok := range map[string]bool{
		"3214024101900001":  true,
		"3171015505850002":  true,  // Jakarta Pusat, a woman (day + 40)
		"321402410190001":   false, // 15 digits
		"32140241019000011": false, // 17 digits
		"":                  false,
		"32140241019000AB":  false, // letters
		"3214 24101900001":  false,
		"0014024101900001":  false, // province 00
		"1014024101900001":  false, // province 10
		"3270024101900001":  false, // kabupaten 70
		"3200024101900001":  false, // kabupaten 00
		"3214004101900001":  false, // kecamatan 00
	} {
		m := schema.CheckNIK(nik)
		if (m == nil) != ok {
			t.Errorf("CheckNIK(%q) = %v, want ok=%v", nik, m, ok)
		}
		if m != nil && (m.ID == "" || m.EN == "") {
			t.Errorf("CheckNIK(%q) message %+v lacks a language", nik, *m)
		}
	}
	if m := schema.CheckNIK("123"); m == nil || !strings.Contains(m.EN, "got 3") {
		t.Errorf("CheckNIK(\"123\") = %v, want the length named", m)
	}
}

func TestValidPhone(t *testing.T) {
	for p, ok := range map[string]bool{
		"081234567890":       true,
		"0812-3456-7890":     true,
		"0812 3456 7890":     true,
		"0812.3456.7890":     true,
		"+62 812 3456 7890":  true,
		"+6281234567890":     true,
		"6281234567890":      true,
		"62 812-3456-7890":   true,
		"021-5551234":        true, // a Jakarta landline
		"081234567":          true, // 8 digits after the 0
		"08123456789012":     true, // 13 digits after the 0
		"":                   false,
		"0812":               false, // too short
		"08123456":           false, // 7 digits after the 0
		"081234567890123":    false, // 14 digits after the 0
		"0812-34S6-7890":     false, // a letter
		"0812_3456_7890":     false,
		"0812+3456-7890":     false, // + only in front
		"+0812-3456-7890":    false, // + must be +62
		"++6281234567890":    false,
		"812345678":          false, // no 0 or 62 in front
		"+1 202 555 0100":    false,
		"0081234567":         false, // 0 then 0
		"+62 0812 3456 7890": false, // 0 after +62
		"+62":                false,
		"62":                 false,
	} {
		if got := schema.ValidPhone(p); got != ok {
			t.Errorf("ValidPhone(%q) = %v, want %v", p, got, ok)
		}
	}
}

// validInput is a complaint as an officer enters it at the counter.
func validInput() schema.ComplaintInput {
	b := createBody("C1")
	return schema.ComplaintInput{
		Region: b.Region, Channel: b.Channel, Category: b.Category, Title: b.Title,
		Description: b.Description, Location: b.Location, Reporter: b.Reporter, Officer: "siti",
	}
}

// wantFields checks that err is a *ValidationError naming exactly fields,
// each with an Indonesian and an English message.
func wantFields(t *testing.T, name string, err error, fields ...string) {
	t.Helper()
	if len(fields) == 0 {
		if err != nil {
			t.Errorf("%s: unexpected error %v", name, err)
		}
		return
	}
	var v *schema.ValidationError
	if !errors.As(err, &v) || !errors.Is(err, schema.ErrInvalid) {
		t.Errorf("%s: error %v is not a *ValidationError matching ErrInvalid", name, err)
		return
	}
	for _, f := range fields {
		if m, ok := v.Fields[f]; !ok || m.ID == "" || m.EN == "" {
			t.Errorf("%s: field %q not reported in both languages: %v", name, f, v.Fields)
		}
	}
	if len(v.Fields) != len(fields) {
		t.Errorf("%s: fields %v, want only %v", name, v.Fields, fields)
	}
}

func TestComplaintInputValidate(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	for _, tc := range []struct {
		name   string
		edit   func(*schema.ComplaintInput)
		fields []string
	}{
		{"valid", func(*schema.ComplaintInput) {}, nil},
		{"no region", func(in *schema.ComplaintInput) { in.Region = "" }, []string{"region"}},
		{"region a kecamatan", func(in *schema.ComplaintInput) { in.Region = "32.14.02" }, []string{"region"}},
		{"region malformed", func(in *schema.ComplaintInput) { in.Region = "32.14.02.4001" }, []string{"region"}},
		{"no channel", func(in *schema.ComplaintInput) { in.Channel = "" }, []string{"channel"}},
		{"unknown channel", func(in *schema.ComplaintInput) { in.Channel = "telegram" }, []string{"channel"}},
		{"unknown category", func(in *schema.ComplaintInput) { in.Category = "korupsi" }, []string{"category"}},
		{"unknown classification", func(in *schema.ComplaintInput) { in.Classification = "gossip" }, []string{"classification"}},
		{"aspiration", func(in *schema.ComplaintInput) { in.Classification = "aspiration" }, nil},
		{"no title", func(in *schema.ComplaintInput) { in.Title = "" }, []string{"title"}},
		{"blank title", func(in *schema.ComplaintInput) { in.Title = "    " }, []string{"title"}},
		{"short title", func(in *schema.ComplaintInput) { in.Title = " Jal " }, []string{"title"}},
		{"long title", func(in *schema.ComplaintInput) { in.Title = strings.Repeat("a", schema.MaxTitle+1) }, []string{"title"}},
		{"longest title", func(in *schema.ComplaintInput) { in.Title = strings.Repeat("é", schema.MaxTitle) }, nil},
		{"title not UTF-8", func(in *schema.ComplaintInput) { in.Title = "Jalan \xff\xfe rusak" }, []string{"title"}},
		{"short description", func(in *schema.ComplaintInput) { in.Description = "rusak 123" }, []string{"description"}},
		{"long description", func(in *schema.ComplaintInput) { in.Description = strings.Repeat("x", schema.MaxDescription+1) }, []string{"description"}},
		{"description not UTF-8", func(in *schema.ComplaintInput) { in.Description = strings.Repeat("\xc3", 20) }, []string{"description"}},
		{"long address", func(in *schema.ComplaintInput) { in.Location.Address = strings.Repeat("a", schema.MaxAddress+1) }, []string{"location.address"}},
		{"RT of 4 digits", func(in *schema.ComplaintInput) { in.Location.RT = "0003" }, []string{"location.rt"}},
		{"RT with a letter", func(in *schema.ComplaintInput) { in.Location.RT = "3a" }, []string{"location.rt"}},
		{"RW with a letter", func(in *schema.ComplaintInput) { in.Location.RW = "I" }, []string{"location.rw"}},
		{"RT and RW short", func(in *schema.ComplaintInput) { in.Location.RT, in.Location.RW = "3", "12" }, nil},
		{"no coordinates", func(in *schema.ComplaintInput) { in.Location.Lat, in.Location.Lon = nil, nil }, nil},
		{"lat only", func(in *schema.ComplaintInput) { in.Location.Lon = nil }, []string{"location.lat"}},
		{"lon only", func(in *schema.ComplaintInput) { in.Location.Lat = nil }, []string{"location.lat"}},
		{"lat north of Indonesia", func(in *schema.ComplaintInput) { in.Location.Lat = f(10) }, []string{"location.lat"}},
		{"lat south of Indonesia", func(in *schema.ComplaintInput) { in.Location.Lat = f(-11.6) }, []string{"location.lat"}},
		{"lon west of Indonesia", func(in *schema.ComplaintInput) { in.Location.Lon = f(94.4) }, []string{"location.lon"}},
		{"lon east of Indonesia", func(in *schema.ComplaintInput) { in.Location.Lon = f(150) }, []string{"location.lon"}},
		{"Sabang and Merauke", func(in *schema.ComplaintInput) { in.Location.Lat, in.Location.Lon = f(5.9), f(140.4) }, nil},
		{"anonymous without name", func(in *schema.ComplaintInput) { in.Reporter = schema.Reporter{Anonymous: true} }, nil},
		{"anonymous with a short name", func(in *schema.ComplaintInput) { in.Reporter = schema.Reporter{Anonymous: true, Name: "S"} }, []string{"reporter.name"}},
		{"no name", func(in *schema.ComplaintInput) { in.Reporter.Name = "" }, []string{"reporter.name"}},
		{"long name", func(in *schema.ComplaintInput) { in.Reporter.Name = strings.Repeat("n", schema.MaxName+1) }, []string{"reporter.name"}},
		{"no NIK", func(in *schema.ComplaintInput) { in.Reporter.NIK = "" }, nil},
		{"NIK of 15 digits", func(in *schema.ComplaintInput) { in.Reporter.NIK = "321402410190000" }, []string{"reporter.nik"}},
		{"NIK implausible", func(in *schema.ComplaintInput) { in.Reporter.NIK = "9970024101900001" }, []string{"reporter.nik"}},
		{"phone wrong", func(in *schema.ComplaintInput) { in.Reporter.Phone = "12345" }, []string{"reporter.phone"}},
		{"long officer", func(in *schema.ComplaintInput) { in.Officer = strings.Repeat("o", schema.MaxOfficer+1) }, []string{"officer"}},
		{"everything wrong", func(in *schema.ComplaintInput) { *in = schema.ComplaintInput{Location: schema.Location{RT: "x"}} },
			[]string{"region", "channel", "category", "title", "description", "location.rt", "reporter.name"}},
	} {
		in := validInput()
		tc.edit(&in)
		wantFields(t, tc.name, in.Validate(nil), tc.fields...)
	}
}

func TestComplaintInputValidateCategories(t *testing.T) {
	in := validInput()
	in.Category = "air_bersih"
	wantFields(t, "extended category", in.Validate([]schema.Category{"infrastruktur", "air_bersih"}))
	in.Category = "kesehatan"
	wantFields(t, "category outside the list", in.Validate([]schema.Category{"air_bersih"}), "category")
}

func TestActionInputValidate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		in     schema.ActionInput
		fields []string
	}{
		{"verify", schema.ActionInput{Action: "verify"}, nil},
		{"no action", schema.ActionInput{}, []string{"action"}},
		{"unknown action", schema.ActionInput{Action: "escalate"}, []string{"action"}},
		{"forward", schema.ActionInput{Action: "forward", Unit: "dinas-pupr"}, nil},
		{"forward without unit", schema.ActionInput{Action: "forward"}, []string{"unit"}},
		{"forward to a blank unit", schema.ActionInput{Action: "forward", Unit: "  "}, []string{"unit"}},
		{"respond", schema.ActionInput{Action: "respond", Note: "tim dikirim"}, nil},
		{"respond without note", schema.ActionInput{Action: "respond", Note: "\n"}, []string{"note"}},
		{"reject", schema.ActionInput{Action: "reject", Reason: "duplicate"}, nil},
		{"reject without reason", schema.ActionInput{Action: "reject"}, []string{"reason"}},
		{"reject for an unknown reason", schema.ActionInput{Action: "reject", Reason: "malas"}, []string{"reason"}},
		{"long note", schema.ActionInput{Action: "hold", Note: strings.Repeat("n", schema.MaxNote+1)}, []string{"note"}},
		{"note not UTF-8", schema.ActionInput{Action: "hold", Note: "\xff"}, []string{"note"}},
		{"long officer", schema.ActionInput{Action: "archive", Officer: strings.Repeat("o", schema.MaxOfficer+1)}, []string{"officer"}},
	} {
		wantFields(t, tc.name, tc.in.Validate(), tc.fields...)
	}
}

func TestValidationErrorForms(t *testing.T) {
	var v schema.ValidationError
	if v.Err() != nil {
		t.Fatal("an empty ValidationError is an error")
	}
	v.Add("title", schema.Msg{ID: "wajib diisi", EN: "is required"})
	v.Add("region", schema.Msg{ID: "salah", EN: "is wrong"})
	v.Add("title", schema.Msg{ID: "kedua", EN: "second"}) // the first problem is kept
	if got, want := v.Err().Error(), "invalid input: region: is wrong; title: is required"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got := v.Localized(locale.Parse("id-ID"))["title"]; got != "wajib diisi" {
		t.Errorf("Localized(id-ID) title = %q", got)
	}
	if got := v.Localized(locale.Parse("en-GB"))["title"]; got != "is required" {
		t.Errorf("Localized(en-GB) title = %q", got)
	}
}
