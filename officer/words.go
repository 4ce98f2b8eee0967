package officer

import "github.com/lumbung/lumbung/locale"

// The words an officer reads when an account or a password is refused.
var (
	msgName = locale.Define("officer.name", "nama login 3–32 huruf kecil, angka, titik, garis bawah atau tanda hubung, diawali huruf",
		"a login is 3–32 lower-case letters, digits, '.', '_' or '-', starting with a letter")
	msgFullNameEmpty = locale.Define("officer.full_name_empty", "wajib diisi", "is required")
	msgFullNameChars = locale.Define("officer.full_name_chars", "berisi karakter yang tidak dapat ditampilkan", "holds characters that cannot be shown")
	msgFullNameLong  = locale.Define("officer.full_name_long", "terlalu panjang: paling banyak %d karakter", "is too long: at most %d characters")
	msgRole          = locale.Define("officer.role", "peran %q tidak dikenal; pilih operator, verifikator, admin atau viewer",
		"unknown role %q; choose operator, verifikator, admin or viewer")
	msgPasswordShort = locale.Define("officer.password_short", "kata sandi terlalu pendek: paling sedikit %d karakter",
		"the password is too short: at least %d characters")
	msgPasswordLong = locale.Define("officer.password_long", "kata sandi terlalu panjang: paling banyak %d byte",
		"the password is too long: at most %d bytes")
	msgPasswordChars = locale.Define("officer.password_chars", "kata sandi berisi karakter yang tidak dapat diketik",
		"the password holds characters that cannot be typed")
	msgPasswordName = locale.Define("officer.password_name", "kata sandi tidak boleh memuat nama login",
		"the password must not contain the login name")
)
