package textanalysis

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	snowball "github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
	"github.com/blevesearch/snowballstem/german"
)

// isHan reports whether r is a Chinese character (CJK unified ideographs and
// their extensions).
func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// isWordRune reports whether r belongs to a Latin-script word or number.
func isWordRune(r rune) bool {
	return (unicode.IsLetter(r) || unicode.IsDigit(r)) && !isHan(r)
}

// diacritics maps letters with accents to their base letter. German umlauts
// fold to the plain vowel (not "ae"), because users who cannot type umlauts
// write either "Walzlager" or "Waelzlager"; Fold also turns the latter into
// the plain vowel, so all three spellings meet.
var diacritics = map[rune]string{
	'ä': "a", 'ö': "o", 'ü': "u", 'ß': "ss", 'ẞ': "ss",
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'å': "a", 'æ': "ae",
	'ç': "c", 'è': "e", 'é': "e", 'ê': "e", 'ë': "e",
	'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'ñ': "n",
	'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ø': "o", 'œ': "oe",
	'ù': "u", 'ú': "u", 'û': "u", 'ý': "y", 'ÿ': "y",
}

// Fold lowercases a Latin-script word and removes diacritics and the
// two-letter spellings of umlauts (ae, oe, ue), so that Wälzlager,
// Waelzlager and Walzlager all become "walzlager". The same folding runs on
// indexed text and on queries, so the loss of distinctions (English "blue"
// becomes "blu") costs nothing in matching.
func Fold(word string) string {
	s := foldDiacritics(word)
	// Acronyms (OEM, AE) are not German words spelt without umlauts.
	if isAcronym(word) {
		return s
	}
	if strings.Contains(s, "ae") || strings.Contains(s, "oe") || strings.Contains(s, "ue") {
		s = foldDigraphs(s)
	}
	return s
}

// foldDiacritics lowercases and removes diacritics only.
func foldDiacritics(word string) string {
	var b strings.Builder
	b.Grow(len(word))
	for _, r := range word {
		r = unicode.ToLower(r)
		if s, ok := diacritics[r]; ok {
			b.WriteString(s)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isAcronym reports whether word is a short all-capitals word.
func isAcronym(word string) bool {
	n := 0
	for _, r := range word {
		if !unicode.IsUpper(r) && !unicode.IsDigit(r) {
			return false
		}
		n++
	}
	return n <= 5
}

// foldDigraphs turns ae, oe, ue into a, o, u, except where the e starts a
// new syllable after a vowel pair ("que" in English words is kept as it is
// harmless either way, since both sides fold alike).
func foldDigraphs(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c == 'a' || c == 'o' || c == 'u') && i+1 < len(s) && s[i+1] == 'e' {
			// "eue" (neue, Feuer) keeps its diphthong: folding it would
			// merge unrelated words for no gain.
			if c == 'u' && i > 0 && s[i-1] == 'e' {
				b.WriteByte(c)
				continue
			}
			b.WriteByte(c)
			i++
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// hasDigit reports whether s contains a digit; such tokens (norms, model
// names like IE3 or EN 15194) are never stemmed.
func hasDigit(s string) bool {
	for _, r := range s {
		if unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// Stem returns the Snowball stem of a folded word in lang (German or
// English; Chinese words are returned unchanged).
func Stem(folded string, lang string) string {
	if hasDigit(folded) || utf8.RuneCountInString(folded) < 3 {
		return folded
	}
	c := &stemCaches[0]
	if lang == "en" {
		c = &stemCaches[1]
	} else if lang != "de" {
		return folded
	}
	if s, ok := c.get(folded); ok {
		return s
	}
	s := stem(folded, lang)
	c.put(folded, s)
	return s
}

// stemCache remembers stems: word frequencies follow Zipf's law, so a
// small cache answers most calls without running the stemmer. It is
// bounded and simply starts over when full.
type stemCache struct {
	mu sync.RWMutex
	m  map[string]string
}

const stemCacheSize = 200000

var stemCaches [2]stemCache

func (c *stemCache) get(w string) (string, bool) {
	c.mu.RLock()
	s, ok := c.m[w]
	c.mu.RUnlock()
	return s, ok
}

func (c *stemCache) put(w, s string) {
	c.mu.Lock()
	if c.m == nil || len(c.m) >= stemCacheSize {
		c.m = make(map[string]string, 1024)
	}
	c.m[w] = s
	c.mu.Unlock()
}

func stem(folded, lang string) string {
	env := snowball.NewEnv(folded)
	switch lang {
	case "de":
		german.Stem(env)
	case "en":
		english.Stem(env)
	default:
		return folded
	}
	return env.Current()
}

// stopwords are function words of German and English that carry no
// subject; dropping them keeps long texts (used as matching queries) from
// matching on grammar.
var stopwords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
aber als also am an auch auf aus bei bereits bis bzw da damit dann das dass
dem den denen der des die dies diese diesem diesen dieser dieses doch dort
durch ein eine einem einen einer eines er es etwa fur ihr ihre ihrem ihren
ihrer im in ist ja je jedoch kann konnen mit nach nicht noch nur ob oder
ohne pro sehr sein seine sich sie sind so sowie uber um und uns unser
unsere unserem unseren unserer unter usw vom von vor war waren was weitere
wenn werden wie wir wird wo zu zum zur zwischen sowohl gerne suchen sucht
a about also an and any are as at be been but by can do for from has have
if in into is it its of on or our such than that the their them these this
those to up us was we were which will with within without you your
`) {
		m[w] = true
	}
	return m
}()

// IsStopword reports whether a folded word is a German or English function word.
func IsStopword(folded string) bool { return stopwords[folded] }
