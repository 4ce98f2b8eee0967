package catalogue

import "github.com/lumbung/lumbung/monografi"

// SampleExtension is the extension a kabupaten publishes in the tests and
// the docs: a group and an indicator for its village-owned enterprises
// (BUMDes turnover) and a complaint category for natural disasters.
func SampleExtension() Body {
	return Body{
		Groups: []monografi.Group{{Code: "bumdes", LabelID: "Badan usaha milik desa", LabelEN: "Village-owned enterprises"}},
		Indicators: []monografi.Indicator{{Code: "bumdes.omzet_juta", LabelID: "Omzet BUMDes", LabelEN: "BUMDes turnover",
			Unit: "juta rupiah", Type: monografi.TypeDecimal, Agg: monografi.AggSum}},
		Categories: []Category{{Code: "bencana_alam", LabelID: "Bencana alam", LabelEN: "Natural disaster"}},
	}
}
