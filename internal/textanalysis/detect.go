package textanalysis

import (
	"strings"
	"unicode"

	"github.com/isa-alliance/isa"
)

// German and English markers: frequent function words and letter sequences
// typical of one language and rare in the other. Detection only has to tell
// the three alliance languages apart, so a few strong cues suffice.
var (
	deWords = wordSet(`und der die das ist wir sie mit fur für von zu den dem des ein eine einen
		nicht auf auch sich bei nach aus oder wird werden unsere unser ihre suchen bieten
		im zur zum sowie gmbh für über`)
	enWords = wordSet(`the and is are we our with for of to in a an on by from this that be
		you your which will can looking offer seek partner company products ltd co`)
	deGrams = []string{"sch", "ung", "ich", "cht", "ein", "gen", "eit", "ier", "tz", "ck", "üb", "ver", "zu"}
	enGrams = []string{"th", "wh", "ing", "tion", "ea", "ou", "ly", "ce ", "ity", "ss ", "ght"}
)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// Detect returns the language of a text: zh when Chinese characters make up
// a noticeable share of its letters, otherwise de or en by function words,
// umlauts and ß, and typical letter sequences. Ties and empty text go to en,
// the alliance's common language.
func Detect(text string) isa.Lang {
	var han, letters int
	for _, r := range text {
		switch {
		case isHan(r):
			han++
			letters++
		case unicode.IsLetter(r):
			letters++
		}
	}
	if letters == 0 {
		return isa.EN
	}
	// Chinese listings often carry Latin model names and norms; one Han
	// character per five letters is already Chinese text.
	if han*5 >= letters || han >= 8 {
		return isa.ZH
	}
	lower := strings.ToLower(text)
	var de, en float64
	for _, w := range strings.FieldsFunc(lower, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if deWords[w] {
			de += 2
		}
		if enWords[w] {
			en += 2
		}
	}
	for _, r := range lower {
		if r == 'ä' || r == 'ö' || r == 'ü' || r == 'ß' {
			de += 3
		}
	}
	padded := " " + lower + " "
	for _, g := range deGrams {
		de += 0.5 * float64(strings.Count(padded, g))
	}
	for _, g := range enGrams {
		en += 0.5 * float64(strings.Count(padded, g))
	}
	if de > en {
		return isa.DE
	}
	return isa.EN
}
