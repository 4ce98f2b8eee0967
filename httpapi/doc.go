// Package httpapi is the HTTP API of PRODUCT.md over one running node:
// its routes, the decoding of what a client sends, and the one error
// shape (locale.Problem) every answer that is not a success takes. It
// holds no state of its own and writes only through the node's typed
// commands, so the screens (a package beside it) and the CLI reach the
// same writes the same way.
//
// What it promises:
//
//  1. Nothing a person or a peer sends makes it answer 500: bad input gets
//     a 4xx JSON error naming the field, in Indonesian or English
//     (locale.Problem); only an error no input can cause is a 500, and it
//     is logged.
//  2. Every route answers any method it does not serve with a JSON 405,
//     and every path it does not know with a JSON 404.
//  3. A request is checked (decoded, validated, its region in the node's
//     scope) before the node is asked to write; a refused request reaches
//     no write.
//
// The node's error sentinels (node/errors.go) are mapped to statuses in
// errors.go, in one place.
package httpapi
