// Package catalogue folds the reference data that a region above the desa
// publishes for everything below it: monografi indicators (with their
// groups) and complaint categories (Body, folded by Fold into an
// Extension), and the Kemendagri region list (RegionsBody, folded by
// FoldRegions the same way). A kecamatan or kabupaten writes an extension
// as a schema.OpCatalogueSet change on Entity(its region), and a region
// list as a schema.OpRegionsSet change on RegionsEntity(its region); the
// change's scope is that region, so sync carries it down every link below
// and never across.
//
// Like schema and monografi it is pure: no I/O, no goroutines, no clock.
//
// The node that drives this package has these duties:
//
//  1. Before it writes an OpCatalogueSet change, it calls Body.Check with
//     the catalogue in effect at its region; only a node above the desa
//     writes one, scoped to its own region.
//  2. To read an extension it calls Fold with every change it holds for
//     Entity(region), in any order and with repeats. Fold never fails: a
//     change from an origin outside the region's line, or one whose body
//     does not pass Body.Check, is counted as skipped and has no effect,
//     so a bad peer cannot wedge the catalogue of a whole kabupaten; one
//     a newer version made (an op or a body field unknown here) is counted
//     as not understood, kept and not folded.
//  3. The catalogue in effect at a region is NewEffective(the extensions
//     of the regions above it and of the region itself above the desa,
//     outermost first): the built-in catalogue, extended. Values of an
//     indicator a node does not know yet are kept in the documents (the
//     monografi fold keeps every well-formed code), and count as soon as
//     the extension that defines them arrives.
//
// An extension only adds or amends: an item once added stays, its labels
// (and rule) amended by a later change of the same code, in fold order. A
// built-in code cannot be changed by an extension; the binary's catalogue
// version is what the sync handshake compares.
package catalogue
