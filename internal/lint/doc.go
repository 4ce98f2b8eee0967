// Package lint holds the house rules of the repository as tests, so that
// `go test ./...` (and so `make test` and CI) fails when one is broken.
// It has no code of its own; the rules live in lint_test.go and read the
// source of every package under the module root with go/parser.
//
// The rules, each named in the failure message next to file:line:
//
//   - package-comment: every package has a package comment in at least
//     one of its non-test files (conventionally doc.go).
//   - errorf-wrap: fmt.Errorf formats an error argument (an identifier
//     named err, or ending in Err such as closeErr) with %w, never %v or
//     %s, so callers can match it with errors.Is and errors.As. Go allows
//     several %w in one call: fmt.Errorf("%w: %w", ErrDecode, err). To show
//     an error's text on purpose without wrapping it, say so: err.Error()
//     with %s.
//   - exported-doc: every exported top-level function and type in a
//     non-test file has a doc comment. In a grouped type ( ... )
//     declaration the group's comment counts for its members.
//
// Directories named testdata, bin or vendor, hidden directories, nested
// modules, files whose build constraint is "ignore", and generated files
// (for the errorf-wrap and exported-doc rules) are skipped.
package lint
