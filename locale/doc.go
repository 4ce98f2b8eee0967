// Package locale is the one home of the words an officer reads: the
// language they asked for, the catalogue of messages in Indonesian and
// English, and the one JSON shape of an error answer on every HTTP surface
// (the officers' API, the cluster endpoints and the sync exchange).
//
// Languages. Indonesian is the default; English is a switch. Parse is the
// only parser of a language setting, whether it comes from --lang,
// LUMBUNG_LANG, ?lang= or an Accept-Language header.
//
// Messages. A package defines the words it owns once, at init, with Define
// or DefineAll, under a dotted key named after it ("schema.required",
// "flag.action_note"); Key.Text and Key.In are the one lookup. Messages
// that take values are fmt formats with the same verbs in both languages
// (or verbs that name their arguments, %[2]s, when one language leaves a
// value out); a value that is itself a Text is put in each language.
// Check walks every message defined and reports a key defined twice, a
// language left empty or verbs that differ: the test of the binary that
// links every package calls it, so such a mistake fails a test rather
// than showing one command's help under another's flag.
//
// Numbers. Number writes a figure as it reads in a language: 1.234,5 in
// Indonesian, 1,234.5 in English.
//
// Errors. A Problem is an error answer before it is put in a language;
// WriteError writes it as
//
//	{"error": {"code": "...", "message": "...", "fields": {"reporter.nik": "..."}}}
//
// in the language the request asks for.
//
// The package imports only the standard library, so that schema, the
// replication packages and everything above them can use it.
package locale
