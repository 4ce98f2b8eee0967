// Package monografi holds village statistics as Permendagri 12/2007 and
// 13/2012 describe them: a versioned catalogue of indicators, the periods
// they are filed for, the checks a figure must pass, and the fold that
// turns a region's replicated changes into its monografi document.
//
// It is pure, like package schema: no I/O, no goroutines, no clock reads.
// Everything here takes its inputs as arguments and returns outputs, so
// every function is deterministic and tested by replaying inputs.
//
// The node that drives this package has these duties:
//
//  1. Before it writes a schema.OpMonografiSet change, it calls
//     CheckValues with the catalogue and the document's current values,
//     and refuses the write with the returned *schema.ValidationError.
//  2. Before it writes a schema.OpMonografiSubmit change, it calls
//     CheckSubmit on the folded document.
//  3. To read a document, it calls Fold with every change it holds for
//     Entity(region, period), in any order and with repeats. Fold never
//     fails: a malformed change from a peer is kept in the history,
//     marked, and skipped, so one bad peer cannot wedge a document.
//  4. Ratios (density, sex ratio, dependency ratio, ...) are never stored:
//     Derived computes them from a document's values, and an Aggregator
//     from the summed bases above the desa, so they are never averaged.
//  5. Before it writes an approval step (approve, return, unapprove by the
//     kecamatan; accept, unaccept by the kabupaten), it checks that it is
//     the node of that level and that the document is in the status the
//     step starts from; Fold decides again, by the change's origin, so a
//     step from anyone else has no effect wherever it arrives.
//  6. To show a region above the desa, it feeds an Aggregator the
//     documents of the desa below (NewAggregator, then Update as they
//     change) and reads Get: figures, ratios and completeness.
//
// Convergence: two nodes that fold the same set of changes hold the same
// Document, byte for byte (schema.Digest), whatever the order or
// repetition in which the changes arrived. Concurrent writes of one
// indicator resolve to the latest in fold order (HLC, origin, sequence);
// the losing value stays visible in the history.
package monografi
