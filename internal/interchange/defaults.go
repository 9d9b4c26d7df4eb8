package interchange

import (
	"strings"
	"unicode"

	"github.com/isa-alliance/isa"
)

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
