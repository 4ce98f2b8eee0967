package node

import (
	"encoding/binary"
	"encoding/json"
	"fmt"

	"github.com/lumbung/lumbung/schema"
)

// A reporter's identity as it is sealed: compact, because every byte of
// it is ciphertext that no compressor shrinks on a 2G link. It reads:
//
//	1 (format) | name | NIK | phone
//
// each field a uvarint header then its bytes: the header is the field's
// length times two, plus one when the field is digits only, packed two to
// a byte (a NIK's 16 digits in 8 bytes). An identity written before this
// format is JSON, which starts with '{'; both read.
const identityFormat = 1

// maxIdentityField bounds a field of an identity read from elsewhere.
const maxIdentityField = 1024

// encodeIdentity encodes r's name, NIK and phone.
func encodeIdentity(r schema.Reporter) []byte {
	out := []byte{identityFormat}
	for _, f := range []string{r.Name, r.NIK, r.Phone} {
		if f != "" && digitsOnly(f) {
			out = binary.AppendUvarint(out, uint64(len(f))<<1|1)
			for i := 0; i < len(f); i += 2 {
				lo := byte(0xf)
				if i+1 < len(f) {
					lo = f[i+1] - '0'
				}
				out = append(out, (f[i]-'0')<<4|lo)
			}
			continue
		}
		out = binary.AppendUvarint(out, uint64(len(f))<<1)
		out = append(out, f...)
	}
	return out
}

func digitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// decodeIdentity reads an identity encodeIdentity wrote, or the JSON an
// older release sealed or kept.
func decodeIdentity(b []byte) (schema.Reporter, error) {
	var r schema.Reporter
	if len(b) > 0 && b[0] == '{' {
		if err := json.Unmarshal(b, &r); err != nil {
			return r, fmt.Errorf("%w: identity: %w", ErrCorrupt, err)
		}
		return r.Identity(), nil
	}
	if len(b) == 0 || b[0] != identityFormat {
		return r, fmt.Errorf("%w: identity of an unknown format", ErrCorrupt)
	}
	b = b[1:]
	var fields [3]string
	for i := range fields {
		h, n := binary.Uvarint(b)
		if n <= 0 || h>>1 > maxIdentityField {
			return r, fmt.Errorf("%w: identity field %d", ErrCorrupt, i)
		}
		b = b[n:]
		size, packed := int(h>>1), h&1 == 1
		if !packed {
			if len(b) < size {
				return r, fmt.Errorf("%w: identity field %d cut short", ErrCorrupt, i)
			}
			fields[i], b = string(b[:size]), b[size:]
			continue
		}
		nb := (size + 1) / 2
		if len(b) < nb {
			return r, fmt.Errorf("%w: identity field %d cut short", ErrCorrupt, i)
		}
		digits := make([]byte, 0, size)
		for j := 0; j < size; j++ {
			d := b[j/2] >> 4
			if j%2 == 1 {
				d = b[j/2] & 0xf
			}
			if d > 9 {
				return r, fmt.Errorf("%w: identity field %d is not digits", ErrCorrupt, i)
			}
			digits = append(digits, '0'+d)
		}
		fields[i], b = string(digits), b[nb:]
	}
	if len(b) != 0 {
		return r, fmt.Errorf("%w: identity with bytes after it", ErrCorrupt)
	}
	return schema.Reporter{Name: fields[0], NIK: fields[1], Phone: fields[2]}, nil
}
