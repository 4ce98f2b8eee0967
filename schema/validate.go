package schema

import (
	"strings"
	"unicode/utf8"

	"github.com/lumbung/lumbung/locale"
)

// Limits on what a person may type, in characters.
const (
	MaxTitle       = 200
	MaxDescription = 5000
	MaxName        = 100
	MaxAddress     = 200
	MaxNote        = 2000
	MaxOfficer     = 100
	// MaxActorBytes bounds a change's actor, the officer who wrote it, in
	// bytes: Change.Check refuses a longer one from a peer, so a write
	// must never make one.
	MaxActorBytes = 128
)

// CheckOfficer checks the name of the officer a write is recorded under:
// valid text of at most MaxOfficer letters and MaxActorBytes bytes. It
// returns a *ValidationError on the field "officer", or nil.
func CheckOfficer(s string) error {
	var v ValidationError
	checkOfficer(&v, s)
	return v.Err()
}

func checkOfficer(v *ValidationError, s string) {
	checkText(v, "officer", s, 0, MaxOfficer)
	if _, bad := v.Fields["officer"]; !bad && len(s) > MaxActorBytes {
		v.Add("officer", msgTooLongBytes.Text(MaxActorBytes))
	}
}

// Validate checks a complaint input and returns a *ValidationError naming
// every bad field, or nil. categories lists the categories this node knows
// (the built-in list when nil).
func (in *ComplaintInput) Validate(categories []Category) error {
	var v ValidationError
	if err := checkDesaCode(in.Region); err != nil {
		v.Add("region", *err)
	}
	if !contains(Channels, in.Channel) {
		v.Add("channel", oneOf(msgChannel, string(in.Channel), Channels))
	}
	if categories == nil {
		categories = Categories
	}
	if !contains(categories, in.Category) {
		v.Add("category", oneOf(msgCategory, string(in.Category), categories))
	}
	if in.Classification != "" && !contains(Classifications, in.Classification) {
		v.Add("classification", oneOf(msgClassification, string(in.Classification), Classifications))
	}
	checkText(&v, "title", in.Title, 5, MaxTitle)
	checkText(&v, "description", in.Description, 10, MaxDescription)
	checkLocation(&v, &in.Location)
	checkReporter(&v, &in.Reporter)
	checkOfficer(&v, in.Officer)
	return v.Err()
}

func checkDesaCode(c Code) *Msg {
	if c == "" {
		return ptr(msgRequired.Text())
	}
	if c.Level() != LevelDesa {
		return ptr(msgNotDesa.Text())
	}
	return nil
}

func checkText(v *ValidationError, field, s string, min, max int) {
	if !utf8.ValidString(s) {
		v.Add(field, msgNotUTF8.Text())
		return
	}
	n := utf8.RuneCountInString(strings.TrimSpace(s))
	switch {
	case min > 0 && n == 0:
		v.Add(field, msgRequired.Text())
	case n < min:
		v.Add(field, msgTooShort.Text(min))
	case utf8.RuneCountInString(s) > max:
		v.Add(field, msgTooLong.Text(max))
	}
}

func checkLocation(v *ValidationError, l *Location) {
	checkText(v, "location.address", l.Address, 0, MaxAddress)
	for field, s := range map[string]string{"location.rt": l.RT, "location.rw": l.RW} {
		if s != "" && (len(s) > 3 || !allDigits(s)) {
			v.Add(field, msgRTRW.Text())
		}
	}
	if (l.Lat == nil) != (l.Lon == nil) {
		v.Add("location.lat", msgLatLon.Text())
	}
	if l.Lat != nil && (*l.Lat < -11.5 || *l.Lat > 6.5) {
		v.Add("location.lat", msgLatOutside.Text())
	}
	if l.Lon != nil && (*l.Lon < 94.5 || *l.Lon > 141.5) {
		v.Add("location.lon", msgLonOutside.Text())
	}
}

// CheckReporter checks a reporter's name, NIK and phone into v, as
// Validate does.
func CheckReporter(v *ValidationError, r *Reporter) { checkReporter(v, r) }

func checkReporter(v *ValidationError, r *Reporter) {
	if !(r.Anonymous || r.Sealed) || r.Name != "" {
		checkText(v, "reporter.name", r.Name, 2, MaxName)
	}
	if r.NIK != "" {
		if m := CheckNIK(r.NIK); m != nil {
			v.Add("reporter.nik", *m)
		}
	}
	if r.Phone != "" && !ValidPhone(r.Phone) {
		v.Add("reporter.phone", msgPhone.Text())
	}
}

// CheckNIK checks a Nomor Induk Kependudukan: 16 digits whose first six
// are a plausible kecamatan code (province, kabupaten/kota, kecamatan).
// It returns nil when the NIK is acceptable.
func CheckNIK(nik string) *Msg {
	if len(nik) != 16 || !allDigits(nik) {
		return ptr(msgNIKDigits.Text(utf8.RuneCountInString(nik)))
	}
	code := nik[0:2] + "." + nik[2:4] + "." + nik[4:6]
	if _, err := ParseCode(code); err != nil {
		return ptr(msgNIKRegion.Text(code))
	}
	return nil
}

// ValidPhone accepts Indonesian numbers: 0 or +62 or 62, then 8 to 13
// digits, with spaces, dots or dashes between groups.
func ValidPhone(p string) bool {
	var digits strings.Builder
	for i, r := range p {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case r == '+' && i == 0:
		case r == ' ' || r == '-' || r == '.':
		default:
			return false
		}
	}
	d := digits.String()
	switch {
	case strings.HasPrefix(p, "+62") || strings.HasPrefix(d, "62"):
		d = d[2:]
	case strings.HasPrefix(d, "0") && !strings.HasPrefix(p, "+"):
		d = d[1:]
	default:
		return false
	}
	return len(d) >= 8 && len(d) <= 13 && d[0] != '0'
}

// Validate checks an action input on its own (the status check is Next's).
func (a *ActionInput) Validate() error {
	var v ValidationError
	if !contains(Actions, a.Action) {
		v.Add("action", oneOf(msgAction, string(a.Action), Actions))
	}
	checkText(&v, "note", a.Note, 0, MaxNote)
	checkText(&v, "unit", a.Unit, 0, MaxName)
	checkOfficer(&v, a.Officer)
	switch a.Action {
	case ActForward:
		if strings.TrimSpace(a.Unit) == "" {
			v.Add("unit", msgUnitRequired.Text())
		}
	case ActRespond:
		if strings.TrimSpace(a.Note) == "" {
			v.Add("note", msgNoteRequired.Text())
		}
	case ActReject:
		if !contains(RejectReasons, a.Reason) {
			v.Add("reason", oneOf(msgReason, a.Reason, RejectReasons))
		}
	}
	return v.Err()
}

// oneOf says that got, for the list called name, is missing or not one
// of allowed.
func oneOf[T ~string](name locale.Key, got string, allowed []T) Msg {
	list := make([]string, len(allowed))
	for i, a := range allowed {
		list[i] = string(a)
	}
	joined := strings.Join(list, ", ")
	if got == "" {
		return msgRequiredOneOf.Text(joined)
	}
	return msgUnknownOneOf.Text(name.Text(), clip(got), joined)
}

func clip(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return strings.ToValidUTF8(s, "?")
}

func contains[T comparable](list []T, x T) bool {
	for _, y := range list {
		if y == x {
			return true
		}
	}
	return false
}

func ptr(m Msg) *Msg { return &m }
