// Package web is what an officer's browser shows: the screens of every
// node, server-rendered from html/template, with their stylesheet and a
// vendored, pinned htmx (static/htmx-2.0.11.min.js, 0BSD, its licence
// beside it) embedded in the binary. Nothing is fetched from outside, so
// a desa laptop's screens work with the modem down, and there is no build
// step: the files here are what is served.
//
// The package renders and serves files; it decides nothing. The pages'
// handlers are package httpapi's, beside the JSON API, so that a screen
// and the API go through the same checks and the same node commands and
// can never disagree. Every word on a page comes from the one message
// catalogue (package locale), in Indonesian unless the officer switched
// to English; html/template escapes everything else, labels from
// reference data included.
package web
