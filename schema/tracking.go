package schema

import (
	"fmt"
	"strings"
)

// crockford is Crockford's base-32 alphabet: digits and letters without
// I, L, O and U, so a number read over the phone is not misheard.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// TrackingNumber makes a complaint's tracking number where it is taken,
// without asking anyone: the region code without dots, the origin's
// incarnation, and the sequence number in base 32 (at least three
// characters) followed by a Luhn mod-32 check character, which catches
// every single mistyped character and most swaps of neighbours.
//
//	3214022001-K7M2QX-00AZ
//
// Unique because (region, incarnation, seq) is unique: a node never
// reuses a sequence number, and a restored node takes a new incarnation.
func TrackingNumber(o Origin, seq uint64) string {
	s := base32(seq)
	for len(s) < 3 {
		s = "0" + s
	}
	payload := o.Region.Compact() + "-" + o.Incarnation + "-" + s
	return payload + string(checkChar(payload))
}

// ParseTrackingNumber checks a tracking number typed by a person:
// normalises case and look-alike letters (I, L → 1; O → 0), verifies the
// check character, and returns the normalised form.
func ParseTrackingNumber(s string) (string, error) {
	s = normalise(s)
	parts := strings.Split(s, "-")
	if len(parts) != 3 || len(parts[0]) < 2 || len(parts[1]) != 6 || len(parts[2]) < 4 || len(s) > 40 {
		return "", fmt.Errorf("%w: tracking number %q: want REGION-INCARN-SEQUENCE, such as 3214022001-K7M2QX-00AZ", ErrInvalid, s)
	}
	if !allDigits(parts[0]) {
		return "", fmt.Errorf("%w: tracking number %q: region part must be digits", ErrInvalid, s)
	}
	payload, check := s[:len(s)-1], s[len(s)-1]
	for i := 0; i < len(payload); i++ {
		if payload[i] != '-' && strings.IndexByte(crockford, payload[i]) < 0 {
			return "", fmt.Errorf("%w: tracking number %q: character %q is not allowed", ErrInvalid, s, payload[i])
		}
	}
	if checkChar(payload) != check {
		return "", fmt.Errorf("%w: tracking number %q: check character does not match (a typo?)", ErrInvalid, s)
	}
	return s, nil
}

func normalise(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	return strings.NewReplacer("I", "1", "L", "1", "O", "0", " ", "").Replace(s)
}

func base32(n uint64) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{crockford[n%32]}, b...)
		n /= 32
	}
	return string(b)
}

// checkChar computes the Luhn mod-32 check character over the base-32
// characters of payload, skipping dashes.
func checkChar(payload string) byte {
	const n = 32
	factor, sum := 2, 0
	for i := len(payload) - 1; i >= 0; i-- {
		cp := strings.IndexByte(crockford, payload[i])
		if cp < 0 {
			continue
		}
		add := factor * cp
		factor = 3 - factor
		sum += add/n + add%n
	}
	return crockford[(n-sum%n)%n]
}
