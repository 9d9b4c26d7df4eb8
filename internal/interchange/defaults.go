package interchange

import (
	"errors"
	"strings"
	"unicode"

	"github.com/isa-alliance/isa"
)

// naceSyntax checks only the form of a NACE Rev. 2 code (section letter,
// optionally with division, group and class: C, C22, C22.2, C22.29). It
// stands in when no code list is given; package nace knows which codes
// exist.
type naceSyntax struct{}

var errNACE = errors.New("not a NACE Rev. 2 code")

func (naceSyntax) Normalize(code string) (string, error) {
	s := strings.ToUpper(strings.TrimSpace(code))
	if s == "" || s[0] < 'A' || s[0] > 'U' {
		return "", errNACE
	}
	rest := s[1:]
	switch {
	case rest == "":
		return s, nil
	case len(rest) == 2 && isDigits(rest):
		return s, nil
	case len(rest) == 4 && isDigits(rest[:2]) && rest[2] == '.' && isDigits(rest[3:]):
		return s, nil
	case len(rest) == 5 && isDigits(rest[:2]) && rest[2] == '.' && isDigits(rest[3:]):
		return s, nil
	}
	return "", errNACE
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// guessLang is the fallback language detector: Han characters mean Chinese;
// otherwise umlauts and German function words outvote English ones. The
// application wires the real detector of package textanalysis instead.
func guessLang(s string) isa.Lang {
	var han, letters int
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
			letters++
		case unicode.IsLetter(r):
			letters++
		}
	}
	if letters > 0 && han*5 >= letters {
		return isa.ZH
	}
	de, en := 0, 0
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) }) {
		switch w {
		case "der", "die", "das", "und", "für", "mit", "wir", "von", "ist", "ein", "eine", "zur", "auf", "nicht", "sie", "im":
			de++
		case "the", "and", "for", "with", "we", "of", "is", "a", "an", "to", "our", "are", "in", "not", "you":
			en++
		}
		if strings.ContainsAny(w, "äöüß") {
			de++
		}
	}
	if de > en {
		return isa.DE
	}
	return isa.EN
}
