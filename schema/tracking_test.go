package schema_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/lumbung/lumbung/schema"
)

var trackingOrigins = []schema.Origin{
	desaOrigin,
	{Region: "32.73.01.1001", Incarnation: "K7M2QX"}, // a kelurahan in a kota
	{Region: "51.03.01.3012", Incarnation: "ZZZZZZ"}, // a desa adat
	kecOrigin,
}

// trackingSeqs are sequence numbers around every base-32 width.
func trackingSeqs() []uint64 {
	var s []uint64
	for i := uint64(0); i < 300; i++ {
		s = append(s, i)
	}
	for p := uint64(1024); p < math.MaxUint64/32; p *= 32 {
		s = append(s, p-1, p, p+1)
	}
	return append(s, math.MaxUint64-1, math.MaxUint64)
}

func TestTrackingNumberRoundTrip(t *testing.T) {
	seen := map[string]bool{}
	for _, o := range trackingOrigins {
		for _, seq := range trackingSeqs() {
			tn := schema.TrackingNumber(o, seq)
			if seen[tn] {
				t.Fatalf("TrackingNumber(%s, %d) = %s was issued before", o, seq, tn)
			}
			seen[tn] = true
			if !strings.HasPrefix(tn, o.Region.Compact()+"-"+o.Incarnation+"-") {
				t.Errorf("TrackingNumber(%s, %d) = %s, want region and incarnation in front", o, seq, tn)
			}
			for _, typed := range []string{tn, strings.ToLower(tn), "  " + tn + " ", strings.ReplaceAll(tn, "-", " - ")} {
				got, err := schema.ParseTrackingNumber(typed)
				if err != nil || got != tn {
					t.Fatalf("ParseTrackingNumber(%q) = %q, %v; want %q", typed, got, err, tn)
				}
			}
		}
	}
	if got := schema.TrackingNumber(desaOrigin, 1); len(got) != len("3214022001-DESA01-001")+1 {
		t.Errorf("TrackingNumber(desa, 1) = %q, want a 3-character sequence and a check character", got)
	}
}

func TestTrackingNumberLookAlikes(t *testing.T) {
	tn := schema.TrackingNumber(schema.Origin{Region: "32.14.01.1001", Incarnation: "A0B1C0"}, 1025)
	typed := strings.NewReplacer("0", "o", "1", "l").Replace(tn)
	for _, s := range []string{typed, strings.ToUpper(typed), strings.ReplaceAll(typed, "l", "i"), strings.ReplaceAll(typed, "l", "I")} {
		if got, err := schema.ParseTrackingNumber(s); err != nil || got != tn {
			t.Errorf("ParseTrackingNumber(%q) = %q, %v; want %q", s, got, err, tn)
		}
	}
}

// canon is what a person's character means: case folded, I and L read as
// 1, O as 0.
func canon(c byte) byte {
	switch c = strings.ToUpper(string(c))[0]; c {
	case 'I', 'L':
		return '1'
	case 'O':
		return '0'
	}
	return c
}

func TestTrackingNumberCatchesEverySubstitution(t *testing.T) {
	const typeable = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-*#."
	tried := 0
	for _, o := range trackingOrigins {
		for k, seq := range trackingSeqs() {
			if k%20 != 0 {
				continue // a sample keeps this under a second
			}
			tn := schema.TrackingNumber(o, seq)
			for i := 0; i < len(tn); i++ {
				for j := 0; j < len(typeable); j++ {
					if canon(typeable[j]) == tn[i] {
						continue // the same character as read over the phone
					}
					typo := tn[:i] + typeable[j:j+1] + tn[i+1:]
					tried++
					if got, err := schema.ParseTrackingNumber(typo); err == nil {
						t.Fatalf("typo %q of %q accepted as %q", typo, tn, got)
					} else if !errors.Is(err, schema.ErrInvalid) {
						t.Fatalf("typo %q: %v is not ErrInvalid", typo, err)
					}
				}
			}
		}
	}
	t.Logf("%d substitutions, all caught", tried)
}

func TestTrackingNumberCatchesMostTranspositions(t *testing.T) {
	tried, caught := 0, 0
	for _, o := range trackingOrigins {
		for _, seq := range trackingSeqs() {
			tn := schema.TrackingNumber(o, seq)
			for i := 0; i+1 < len(tn); i++ {
				if tn[i] == tn[i+1] {
					continue
				}
				swapped := tn[:i] + tn[i+1:i+2] + tn[i:i+1] + tn[i+2:]
				tried++
				if _, err := schema.ParseTrackingNumber(swapped); err != nil {
					caught++
				}
			}
		}
	}
	rate := float64(caught) / float64(tried)
	t.Logf("%d of %d adjacent transpositions caught (%.2f%%)", caught, tried, 100*rate)
	if rate < 0.90 {
		t.Errorf("only %.2f%% of adjacent transpositions caught, want at least 90%%", 100*rate)
	}
}

func TestParseTrackingNumberRejects(t *testing.T) {
	good := schema.TrackingNumber(desaOrigin, 42)
	for _, s := range []string{
		"",
		"-",
		"--",
		good[:len(good)-1], // check character missing
		strings.Replace(good, "-", "", 1),
		good + "-0",
		"3214022001-DESA0-0019",   // incarnation of five
		"3214022001-DESA011-0019", // incarnation of seven
		"3-DESA01-0019",           // region of one digit
		"32140220A1-DESA01-0019",  // letter in the region
		"3214022001-DESA01-001",   // sequence too short
		"3214022001-DESU01-0019",  // U is not in the alphabet
		"3214022001-DESA01-00*9",  // nor is *
		strings.Repeat("1", 30) + "-DESA01-00019", // too long
	} {
		if got, err := schema.ParseTrackingNumber(s); !errors.Is(err, schema.ErrInvalid) {
			t.Errorf("ParseTrackingNumber(%q) = %q, %v; want ErrInvalid", s, got, err)
		}
	}
}
