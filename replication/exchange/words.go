package exchange

import "github.com/lumbung/lumbung/locale"

// The words of the uplink's status. (The refusals a server answers with
// are still written beside their codes in server.go.)
var (
	// msgRefused is an upstream's refusal as the uplink keeps it: the
	// upstream's own words, with the code in English.
	msgRefused = locale.Define("exchange.refused", "%[2]s", "the upstream refused the exchange (%[1]s): %[2]s")
	// msgUnreachable and msgSyncFailed say in Indonesian that the uplink
	// retries, and in English also what the error was: only the English
	// takes the error.
	msgUnreachable = locale.Define("exchange.unreachable", "server atas tidak dapat dihubungi; akan dicoba lagi otomatis",
		"the upstream cannot be reached; retrying by itself: %[1]v")
	msgSyncFailed = locale.Define("exchange.failed", "sinkronisasi gagal; akan dicoba lagi otomatis",
		"sync failed; retrying by itself: %[1]v")
)
