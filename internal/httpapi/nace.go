package httpapi

// validNACE reports whether code has the form of a NACE Rev. 2 code at any
// level (C, C22, C22.2, C22.29). It is the one place to check against the
// full classification once internal/nace exists.
func validNACE(code string) bool { return naceRE.MatchString(code) }
