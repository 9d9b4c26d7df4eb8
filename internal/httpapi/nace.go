package httpapi

import "github.com/isa-alliance/isa/internal/nace"

// normalNACE returns the canonical form of a NACE Rev. 2 code at any level
// (C, C22, C22.2, C22.29), accepting the spellings people type (c22, 22.29),
// and false for a code that is not in the classification: a filter on a
// code that cannot exist is a mistake worth a 400, not an empty list.
func normalNACE(code string) (string, bool) {
	n, err := nace.Default().Normalize(code)
	return n, err == nil
}
