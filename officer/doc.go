// Package officer is who may do what at a node: an officer's account and
// role, the policy that says which role may take which action, how a
// password is kept (argon2id), the secrets that carry a session, and the
// throttle on failed logins. It is a deterministic core: no clock, no
// storage, no network. Package node keeps the accounts and sessions (as
// local records at a desa, as cluster state at a kecamatan or
// kabupaten); package httpapi asks the policy on every request.
//
// What it promises:
//
//  1. A password is never kept: only its argon2id hash, with a random
//     salt and the parameters it was made with (Params), in the PHC
//     string format. Verify compares in constant time.
//  2. A session or API token is 32 random bytes; only its SHA-256 is
//     kept, so a copy of the store logs in nobody.
//  3. What each role may do is written once, in policy.go, and a role
//     not named there may do nothing. A reporter's identity is readable
//     by the roles MayReadIdentity names, and by no other.
//  4. An officer acts only in the region of the node that holds the
//     account: a kecamatan's officer has no power in another kecamatan.
//  5. A session is void once its officer is disabled or their password
//     or role changes (Account.Gen moves on), once it was idle too long,
//     or once it is too old (Lifetimes), whichever comes first.
package officer
