// Package interchange reads and writes the ISA interchange format (version 1,
// docs/interchange.md): organisations and listings as JSON Lines or as CSV
// files, one per record type. It is how city offices bulk-load their
// members' offers and requests, how the database is backed up, and where the
// fixtures of tests and benchmarks come from.
//
// Import streams: records are read, validated in full and written in small
// transactions one after another, so a file of a million listings needs no
// more memory than one of a hundred. A record that breaks the format is
// rejected with its position, field and reason, in German, Chinese or
// English; the others still import unless Options.Atomic asks for all or
// nothing. Export writes what Import reads, so that an export imports again
// to the same data.
package interchange
