package vocab

import "github.com/isa-alliance/isa/internal/nace"

// validNACE reports whether a syntactically valid code names a NACE Rev. 2
// section, division, group or class, written in canonical form: the
// vocabulary's codes are compared with listing codes as strings, so "C28.1"
// for the group and "C28.10" for a class must not be confused.
func validNACE(code string) bool {
	e, ok := nace.Default().Lookup(code)
	return ok && e.Code == code
}
