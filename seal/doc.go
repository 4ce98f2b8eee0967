// Package seal keeps reporters' identities sealed: a value (a reporter's
// name, NIK and phone) is encrypted under a fresh data key, and the data
// key is wrapped with HPKE (RFC 9180, X25519) to the public key of each
// office that may read it; only an office's private key opens it. The
// private key itself is kept only wrapped: under a key derived with
// argon2id from an officer's password, or under the office's recovery key
// (kept on paper).
//
// The package is pure: it reads no file, clock or network; randomness
// comes from crypto/rand. DESIGN.md says where each key lives, how an
// officer gets access, what happens when every password is forgotten,
// how keys rotate and how an identity is erased.
//
// Parse, Unwrap and ParseRecoveryKey read bytes that come from elsewhere
// (a peer's change, a stored record, a typed key): they bound every
// length and never panic (FuzzParse).
package seal
