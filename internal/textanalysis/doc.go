// Package textanalysis is the one analyser of the ISA Partner Database. The
// search index, queries and partner matching all run text through it, so
// that a word is normalised the same way wherever it appears.
//
// It detects the language of undeclared text, segments Chinese into words
// (gse's dictionary and algorithm, embedded compactly in zhdict.bin, with
// the industrial vocabulary added to the dictionary) plus
// character bigrams for recall, folds German umlauts and ß so that a word
// typed without them still meets the original, stems German and English
// with Snowball, splits German compounds against a lexicon of known words,
// and tags vocabulary concepts in text of any language. Concept tags are
// the bridge between German, Chinese and English listings.
package textanalysis
